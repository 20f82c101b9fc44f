"""A portal customer pays a quotation online, through the routes the portal's payment form
calls, exactly as in plain Odoo; the OMS records the payment on the order and its rule runs."""

from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortalPayment(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        if not company.chart_template:
            cls.env["account.chart.template"].try_loading("generic_coa", company=company)
        cls.portal = new_test_user(cls.env, login="oms_portal_customer", groups="base.group_portal")
        journal = cls.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
        )
        cls.env.ref("oms_extended.oms_workflow_default").active = True
        cls.provider = cls.env.ref("payment.payment_provider_demo")
        cls.provider.write({"state": "test", "journal_id": journal.id})
        service = cls.env["product.product"].create(
            {"name": "Tasting session", "type": "service", "list_price": 80.0, "taxes_id": []}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.portal.partner_id.id,
                "order_line": [Command.create({"product_id": service.id})],
            }
        )
        cls.order.action_quotation_sent()

    def test_portal_customer_pays_a_quotation_online(self):
        order = self.order
        self.assertEqual(order.oms_workflow_id, self.env.ref("oms_extended.oms_workflow_default"))
        self.env.invalidate_all()  # the routes read what they need through their own rights
        self.authenticate(self.portal.login, self.portal.login)
        processing = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/transaction",
            {
                "access_token": order._portal_ensure_token(),
                "provider_id": self.provider.id,
                "payment_method_id": self.provider.payment_method_ids[:1].id,
                "token_id": None,
                "amount": order.amount_total,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": order.get_portal_url(),
            },
        )
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {
                "reference": processing["reference"],
                "payment_details": "4242",
                "simulated_state": "done",
            },
        )
        status = self.make_jsonrpc_request("/payment/status/poll", {})
        self.assertEqual(status["state"], "done")
        order.invalidate_recordset()
        self.assertEqual(order.state, "sale")
        payment = order.transaction_ids.payment_id
        self.assertEqual(payment.oms_sale_order_id, order)
        self.assertEqual(order.oms_payment_state, "paid")
        self.assertEqual(order.oms_payment_ids, payment)
        # The default rule then delivers the service, invoices, posts and reconciles.
        self.assertEqual(order.oms_state, "done")
