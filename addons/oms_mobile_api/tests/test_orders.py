import uuid
from datetime import datetime

from .common import OmsApiCase


class TestOrders(OmsApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.old_order = cls._order(date_order=datetime(2024, 3, 1, 10, 0), confirm=True)
        cls.quotation = cls._order(
            [(cls.product, 2), (cls.service, 1)],
            customer=cls.contact,
            date_order=datetime(2024, 3, 5, 10, 0),
            client_order_ref="PO-LUMIERE-7",
        )
        cls.recent_order = cls._order([(cls.product, 1)], date_order=datetime(2024, 3, 9, 10, 0))

    def _create(self, body, key=None):
        return self.api(
            "POST", "/orders", body, headers={"Idempotency-Key": key or str(uuid.uuid4())}
        )

    def test_list_orders_newest_first_with_lines_and_customer(self):
        response = self.api("GET", "/orders?limit=200")
        self.assertEqual(response.status_code, 200, response.text)
        items = response.json()["items"]
        ids = [item["id"] for item in items]
        self.assertLess(ids.index(self.recent_order.id), ids.index(self.quotation.id))
        self.assertLess(ids.index(self.quotation.id), ids.index(self.old_order.id))
        self.assertNotIn(self.other_order.id, ids, "another company's order is invisible")
        quotation = next(item for item in items if item["id"] == self.quotation.id)
        self.assertEqual(quotation["oms_state"], "quotation")
        self.assertEqual(quotation["customer"]["id"], self.contact.id)
        self.assertEqual(quotation["client_order_ref"], "PO-LUMIERE-7")
        self.assertEqual(quotation["amount_total"], 580.0)
        self.assertEqual(
            [(line["product"]["id"], line["quantity"]) for line in quotation["lines"]],
            [(self.product.id, 2.0), (self.service.id, 1.0)],
        )
        self.assertEqual(quotation["date_order"], "2024-03-05T10:00:00Z")

    def test_filters(self):
        def ids(query):
            response = self.api("GET", f"/orders?{query}")
            self.assertEqual(response.status_code, 200, response.text)
            return {item["id"] for item in response.json()["items"]}

        mine = {self.old_order.id, self.quotation.id, self.recent_order.id}
        # customer: the company and its contacts
        self.assertEqual(ids(f"customer_id={self.customer.id}") & mine, mine)
        self.assertEqual(ids(f"customer_id={self.other_customer.id}"), set())
        self.assertEqual(
            ids("oms_state=quotation") & mine, {self.quotation.id, self.recent_order.id}
        )
        self.assertEqual(ids("oms_state=quotation&oms_state=ready_to_ship") & mine, mine)
        self.assertEqual(ids("date_from=2024-03-02&date_to=2024-03-05") & mine, {self.quotation.id})
        self.assertEqual(ids("q=LUMIERE-7"), {self.quotation.id})
        self.assertEqual(ids(f"q={self.recent_order.name}"), {self.recent_order.id})

    def test_cursor_pagination(self):
        orders = [self._order(date_order=datetime(2024, 2, 1, 9, 0)) for _i in range(5)]
        seen, cursor = [], None
        while True:
            query = "limit=2&date_to=2024-02-01" + (f"&cursor={cursor}" if cursor else "")
            page = self.api("GET", f"/orders?{query}").json()
            self.assertLessEqual(len(page["items"]), 2)
            seen += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        # Same date: the id orders them, each seen once.
        self.assertEqual(seen, sorted((order.id for order in orders), reverse=True))

    def test_limit_and_cursor_are_checked(self):
        error = self.assertError(self.api("GET", "/orders?limit=201"), 400, "invalid_request")
        self.assertEqual(error["details"]["fields"][0]["field"], "limit")
        self.assertError(self.api("GET", "/orders?limit=0"), 400, "invalid_request")
        self.assertError(self.api("GET", "/orders?cursor=garbage"), 400, "invalid_request")
        self.assertError(self.api("GET", "/orders?date_from=yesterday"), 400, "invalid_request")

    def test_order_detail(self):
        order = self._order([(self.product, 2)], confirm=True)
        picking = order.picking_ids
        picking.carrier_tracking_ref = "TRACK-123"
        picking.move_ids.picked = True
        picking.with_user(self.clerk).button_validate()
        invoice = order.with_user(self.clerk)._create_invoices()
        invoice.action_post()
        order.with_user(self.clerk)._oms_register_payment(200.0, "bank_transfer")

        response = self.api("GET", f"/orders/{order.id}")
        self.assertEqual(response.status_code, 200, response.text)
        detail = response.json()
        self.assertEqual(detail["name"], order.name)
        self.assertEqual(detail["lines"][0]["quantity_delivered"], 2.0)
        self.assertEqual(detail["amount_paid"], 200.0)
        self.assertEqual(detail["payment_state"], "partial")
        self.assertEqual(
            [(s["name"], s["state"], s["tracking_reference"]) for s in detail["shipments"]],
            [(picking.name, "done", "TRACK-123")],
        )
        self.assertEqual(
            [(i["id"], i["state"], i["amount_total"]) for i in detail["invoices"]],
            [(invoice.id, "posted", 500.0)],
        )
        self.assertEqual([p["amount"] for p in detail["payments"]], [200.0])
        self.assertEqual(detail["payments"][0]["method"], "bank_transfer")

    def test_other_company_order_is_not_found(self):
        self.assertError(self.api("GET", f"/orders/{self.other_order.id}"), 404, "not_found")
        self.assertError(self.api("GET", "/orders/999999999"), 404, "not_found")
        response = self.api(
            "POST",
            f"/orders/{self.other_order.id}/confirm",
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        self.assertError(response, 404, "not_found")
        self.assertEqual(self.other_order.state, "draft")

    def test_create_quotation(self):
        response = self._create(
            {
                "customer_id": self.customer.id,
                "client_order_ref": "APP-1",
                "commitment_date": "2030-01-15T08:00:00+01:00",
                "payment_method": "bank_transfer",
                "note": "Ring twice <b>please</b>",
                "lines": [
                    {"product_id": self.product.id, "quantity": 3},
                    {
                        "product_id": self.service.id,
                        "quantity": 1,
                        "price_unit": 60,
                        "discount": 50,
                        "description": "Training, half price",
                    },
                ],
            }
        )
        self.assertEqual(response.status_code, 201, response.text)
        body = response.json()
        order = self.env["sale.order"].browse(body["id"])
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.user_id, self.clerk)
        self.assertEqual(order.company_id, self.company)
        self.assertEqual(order.oms_payment_method, "bank_transfer")
        self.assertEqual(str(order.commitment_date), "2030-01-15 07:00:00")
        self.assertIn("Ring twice &lt;b&gt;please&lt;/b&gt;", str(order.note))
        self.assertEqual(order.amount_total, 3 * 250 + 30)
        self.assertEqual(order.order_line[1].name, "Training, half price")
        self.assertEqual(body["amount_total"], 780.0)
        self.assertEqual(body["oms_state"], "quotation")
        self.assertEqual(body["shipments"], [])

    def test_create_and_confirm(self):
        response = self._create(
            {
                "customer_id": self.customer.id,
                "confirm": True,
                "lines": [{"product_id": self.product.id, "quantity": 4}],
            }
        )
        self.assertEqual(response.status_code, 201, response.text)
        body = response.json()
        self.assertEqual(body["state"], "sale")
        self.assertEqual(body["oms_state"], "ready_to_ship")
        self.assertEqual(body["shipments"][0]["state"], "assigned")

    def test_create_refused(self):
        # Body errors: 400 naming the fields, nothing created.
        count = self.env["sale.order"].search_count([])
        error = self.assertError(
            self._create({"customer_id": "abc", "lines": [{"product_id": 1, "quantity": -1}]}),
            400,
            "invalid_request",
        )
        fields = {field["field"] for field in error["details"]["fields"]}
        self.assertEqual(fields, {"customer_id", "lines.0.quantity"})
        self.assertError(
            self._create({"customer_id": self.customer.id, "lines": []}), 400, "invalid_request"
        )
        self.assertError(
            self._create({"customer_id": self.customer.id, "lines": [], "colour": "red"}),
            400,
            "invalid_request",
        )
        # Unknown or invisible references: 422 naming the field.
        error = self.assertError(
            self._create(
                {
                    "customer_id": self.customer.id,
                    "lines": [
                        {"product_id": self.product.id, "quantity": 1},
                        {"product_id": self.other_product.id, "quantity": 1},
                    ],
                }
            ),
            422,
            "unknown_reference",
        )
        self.assertEqual(error["details"]["field"], "lines.1.product_id")
        error = self.assertError(
            self._create(
                {
                    "customer_id": self.other_customer.id,
                    "lines": [{"product_id": self.product.id, "quantity": 1}],
                }
            ),
            422,
            "unknown_reference",
        )
        self.assertEqual(error["details"]["field"], "customer_id")
        # A business rule: an archived product cannot be confirmed; nothing half-written.
        archived = self.env["product.product"].create({"name": "Old model", "active": False})
        error = self.assertError(
            self._create(
                {
                    "customer_id": self.customer.id,
                    "confirm": True,
                    "lines": [{"product_id": archived.id, "quantity": 1}],
                }
            ),
            422,
            "business_rule",
        )
        self.assertIn("archived", error["message"])
        self.assertEqual(self.env["sale.order"].search_count([]), count)

    def test_confirm_is_safe_to_retry(self):
        order = self._order([(self.product, 3)])
        for _attempt in range(2):
            response = self.api("POST", f"/orders/{order.id}/confirm")
            self.assertEqual(response.status_code, 200, response.text)
            self.assertEqual(response.json()["state"], "sale")
        self.assertEqual(len(order.picking_ids), 1)
        self.assertEqual(order.picking_ids.move_ids.quantity, 3.0)
        # A cancelled order cannot be accepted.
        cancelled = self._order()
        cancelled.with_user(self.clerk)._action_cancel()
        self.assertError(self.api("POST", f"/orders/{cancelled.id}/confirm"), 422, "business_rule")

    def test_invoice(self):
        order = self._order([(self.service, 2)], confirm=True)
        key = str(uuid.uuid4())
        response = self.api("POST", f"/orders/{order.id}/invoice", headers={"Idempotency-Key": key})
        self.assertEqual(response.status_code, 201, response.text)
        invoice = response.json()
        self.assertEqual(invoice["state"], "posted")
        self.assertEqual(invoice["amount_total"], 160.0)
        self.assertEqual(invoice["type"], "out_invoice")
        self.assertEqual(order.invoice_ids.ids, [invoice["id"]])
        # Retried: the same invoice, not a second one.
        again = self.api("POST", f"/orders/{order.id}/invoice", headers={"Idempotency-Key": key})
        self.assertEqual(again.status_code, 201)
        self.assertEqual(again.json(), invoice)
        self.assertEqual(len(order.invoice_ids), 1)
        # Nothing left to invoice: a business rule refuses it.
        self.assertError(
            self.api(
                "POST",
                f"/orders/{order.id}/invoice",
                headers={"Idempotency-Key": str(uuid.uuid4())},
            ),
            422,
            "business_rule",
        )
        self.assertEqual(len(order.invoice_ids), 1)
