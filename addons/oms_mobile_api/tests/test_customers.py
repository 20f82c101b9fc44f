from datetime import datetime

from .common import OmsApiCase


class TestCustomers(OmsApiCase):
    def test_list_and_search(self):
        response = self.api("GET", "/customers?limit=200")
        self.assertEqual(response.status_code, 200, response.text)
        items = response.json()["items"]
        ids = [item["id"] for item in items]
        self.assertIn(self.customer.id, ids)
        self.assertNotIn(self.other_customer.id, ids, "another company's customer is hidden")
        self.assertNotIn(self.vendor.id, ids, "a vendor is not a customer")
        names = [item["name"] for item in items]
        self.assertEqual(names, sorted(names))
        lumiere = next(item for item in items if item["id"] == self.customer.id)
        self.assertEqual(lumiere["country_code"], "FR")
        self.assertEqual(lumiere["city"], "Lyon")
        response = self.api("GET", "/customers?q=cafe-lumiere")
        self.assertEqual([item["id"] for item in response.json()["items"]], [self.customer.id])

    def test_vendors(self):
        """role=vendor: the partners to buy from, for the app's "buy stock" screen."""
        ranked = self.env["res.partner"].create({"name": "Beans Ltd", "supplier_rank": 2})
        response = self.api("GET", "/customers?role=vendor&limit=200")
        self.assertEqual(response.status_code, 200, response.text)
        ids = [item["id"] for item in response.json()["items"]]
        self.assertIn(self.vendor.id, ids, "a vendor of a product")
        self.assertIn(ranked.id, ids, "a partner Odoo ranks as a supplier")
        self.assertNotIn(self.customer.id, ids)
        response = self.api("GET", "/customers?role=vendor&q=machines")
        self.assertEqual([item["id"] for item in response.json()["items"]], [self.vendor.id])
        self.assertError(self.api("GET", "/customers?role=employee"), 400, "invalid_request")

    def test_pagination(self):
        created = self.env["res.partner"].create(
            [{"name": f"Zz Customer {index}", "customer_rank": 1} for index in range(5)]
        )
        seen, cursor = [], None
        while True:
            suffix = f"&cursor={cursor}" if cursor else ""
            page = self.api("GET", f"/customers?q=Zz%20Customer&limit=2{suffix}").json()
            seen += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        self.assertEqual(seen, created.ids)

    def test_customer_with_sales_summary(self):
        self._order(confirm=True, date_order=datetime(2024, 1, 10, 12, 0))
        self._order([(self.service, 3)], customer=self.contact, confirm=True)
        self._order()  # an open quotation
        response = self.api("GET", f"/customers/{self.customer.id}")
        self.assertEqual(response.status_code, 200, response.text)
        customer = response.json()
        self.assertEqual(customer["name"], "Café Lumière")
        sales = customer["sales"]
        self.assertEqual(sales["order_count"], 2)
        self.assertEqual(sales["quotation_count"], 1)
        self.assertEqual(sales["first_order_date"], "2024-01-10T12:00:00Z")
        currency = self.company.currency_id.name
        self.assertEqual(
            sales["totals"], [{"currency": currency, "amount_total": 320.0, "amount_due": 320.0}]
        )

    def test_other_company_customer_is_not_found(self):
        self.assertError(self.api("GET", f"/customers/{self.other_customer.id}"), 404, "not_found")

    def test_create_customer(self):
        response = self.api(
            "POST",
            "/customers",
            {
                "name": "Bistro du Port",
                "is_company": True,
                "email": "port@example.com",
                "phone": "+33 4 00 00 00 00",
                "street": "1 quai Rambaud",
                "zip": "69002",
                "city": "Lyon",
                "country_code": "fr",
                "ref": "BDP",
            },
        )
        self.assertEqual(response.status_code, 201, response.text)
        body = response.json()
        partner = self.env["res.partner"].browse(body["id"])
        self.assertEqual(partner.country_id, self.env.ref("base.fr"))
        self.assertEqual(partner.customer_rank, 1)
        self.assertEqual(partner.company_id, self.env["res.company"])
        self.assertEqual(body["sales"]["order_count"], 0)
        # Listed at once.
        listed = self.api("GET", "/customers?q=Bistro").json()["items"]
        self.assertEqual([item["id"] for item in listed], [partner.id])
        # A contact of it.
        response = self.api("POST", "/customers", {"name": "Marc", "parent_id": partner.id})
        self.assertEqual(response.json()["parent"], {"id": partner.id, "name": "Bistro du Port"})

    def test_create_refused(self):
        self.assertError(self.api("POST", "/customers", {"name": ""}), 400, "invalid_request")
        self.assertError(
            self.api("POST", "/customers", {"name": "X", "email": "not an email"}),
            400,
            "invalid_request",
        )
        error = self.assertError(
            self.api("POST", "/customers", {"name": "X", "country_code": "QQ"}),
            422,
            "unknown_reference",
        )
        self.assertEqual(error["details"]["field"], "country_code")
        self.assertError(
            self.api("POST", "/customers", {"name": "X", "parent_id": self.other_customer.id}),
            422,
            "unknown_reference",
        )
