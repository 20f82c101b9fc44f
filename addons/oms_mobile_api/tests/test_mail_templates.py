from .common import OmsApiCase


class TestMailTemplates(OmsApiCase):
    def test_templates_of_orders(self):
        response = self.api("GET", "/mail-templates?model=sale.order")
        self.assertEqual(response.status_code, 200, response.text)
        items = response.json()["items"]
        quotation = self.env.ref("sale.email_template_edi_sale")
        self.assertIn({"id": quotation.id, "name": quotation.name, "model": "sale.order"}, items)
        self.assertEqual({item["model"] for item in items}, {"sale.order"})
        names = [item["name"] for item in items]
        self.assertEqual(names, sorted(names))
        # as the user sees them: the same set as a search with the clerk's rights
        visible = (
            self.env["mail.template"].with_user(self.clerk).search([("model", "=", "sale.order")])
        )
        self.assertEqual({item["id"] for item in items}, set(visible.ids))

    def test_paging_and_send(self):
        page = self.api("GET", "/mail-templates?model=sale.order&limit=1").json()
        self.assertEqual(len(page["items"]), 1)
        self.assertTrue(page["next_cursor"])
        following = self.api(
            "GET", f"/mail-templates?model=sale.order&limit=1&cursor={page['next_cursor']}"
        ).json()
        self.assertNotEqual(following["items"], page["items"])
        # a listed template is one POST /emails accepts
        order = self._order()
        response = self.api(
            "POST", "/emails", {"order_id": order.id, "template_id": page["items"][0]["id"]}
        )
        self.assertEqual(response.status_code, 202, response.text)

    def test_refused(self):
        self.assertError(self.api("GET", "/mail-templates"), 400, "invalid_request")
        self.assertError(self.api("GET", "/mail-templates?model=res.users"), 400, "invalid_request")
        self.assertError(
            self.api("GET", "/mail-templates?model=sale.order", key="0" * 40), 401, "unauthorized"
        )
