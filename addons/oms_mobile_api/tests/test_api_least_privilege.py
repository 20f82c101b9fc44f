"""What a person may do through the app equals what they may do in the web client (issue
19, item 2): invoices are posted with the caller's rights, and an order's payments are
shown only to those who may read payments."""

import uuid

from odoo.fields import Command
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from .common import OmsApiCase


class TestApiLeastPrivilege(OmsApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = [Command.set(cls.company.ids)]
        cls.salesperson = new_test_user(
            cls.env,
            login="oms_api_salesperson",
            lang="en_US",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=company,
        )
        cls.billing = new_test_user(
            cls.env,
            login="oms_api_billing",
            lang="en_US",
            groups="sales_team.group_sale_salesman,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=company,
        )
        for user in cls.salesperson | cls.billing:
            assert not user.has_group("oms_extended.group_oms_user"), user.login
        cls.salesperson_key = cls._api_key(cls.salesperson)
        cls.billing_key = cls._api_key(cls.billing)

    def _order_of(self, user, confirm=False, paid=False):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": user.id,
                "order_line": [Command.create({"product_id": self.service.id})],
            }
        )
        if paid:
            order._oms_register_payment(order.amount_total, "bank_transfer")
        if confirm:
            order.action_confirm()
        return order

    def _invoice(self, order, key):
        return self.api(
            "POST",
            f"/orders/{order.id}/invoice",
            key=key,
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_salesperson_cannot_post_an_invoice(self):
        order = self._order_of(self.salesperson, confirm=True)
        invoices = self.env["account.move"].search_count([("move_type", "=", "out_invoice")])
        error = self.assertError(self._invoice(order, self.salesperson_key), 403, "forbidden")
        self.assertIn("post", error["message"])
        # Nothing half-written: not even the draft invoice.
        self.assertFalse(order.invoice_ids)
        self.assertEqual(
            self.env["account.move"].search_count([("move_type", "=", "out_invoice")]), invoices
        )
        self.assertEqual(order.invoice_status, "to invoice")

    def test_billing_user_posts_an_invoice(self):
        order = self._order_of(self.billing, confirm=True, paid=True)
        response = self._invoice(order, self.billing_key)
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(response.json()["state"], "posted")
        self.assertEqual(order.invoice_ids.state, "posted")
        # A billing user reads payments: the order shows them.
        response = self.api("GET", f"/orders/{order.id}", key=self.billing_key)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual([p["amount"] for p in response.json()["payments"]], [order.amount_total])

    def test_salesperson_opens_and_confirms_an_order_with_payments(self):
        order = self._order_of(self.salesperson, paid=True)
        response = self.api("GET", f"/orders/{order.id}", key=self.salesperson_key)
        self.assertEqual(response.status_code, 200, response.text)
        detail = response.json()
        self.assertEqual(detail["payment_state"], "paid")
        self.assertEqual(detail["payments"], [], "payments are not the salesperson's to read")
        response = self.api("POST", f"/orders/{order.id}/confirm", key=self.salesperson_key)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(order.state, "sale")
        # An OMS user, who may read payments, sees them.
        response = self.api("GET", f"/orders/{order.id}")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual([p["amount"] for p in response.json()["payments"]], [order.amount_total])
