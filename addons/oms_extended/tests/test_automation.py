from unittest.mock import patch

from odoo.tests import tagged

from .common import OmsOrderCommon


def no_commit(self, processed=0, *, remaining=None, deactivate=False):
    return float("inf")


@tagged("post_install", "-at_install")
class TestAutomation(OmsOrderCommon):
    def _run_cron(self):
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit):
            self.env["sale.order"]._cron_oms_apply_automation(batch_size=2)

    def test_paid_service_quotation_runs_to_done(self):
        orders = self._order([(self.service, 1)]) | self._order([(self.service, 2)])
        for order in orders:
            order._oms_register_payment(order.amount_total, "bank_transfer")
        unpaid = self._order([(self.service, 1)])
        self.assertEqual(orders.oms_workflow_id, self.default_rule)
        self._run_cron()
        for order in orders:
            self.assertEqual(order.state, "sale")
            self.assertTrue(order.oms_delivered)
            self.assertEqual(order.invoice_ids.state, "posted")
            self.assertIn(order.invoice_ids.payment_state, ("paid", "in_payment"))
            self.assertEqual(order.oms_state, "done")
            self.assertFalse(order.oms_needs_automation)
        self.assertEqual(unpaid.state, "draft", "not paid: the default rule waits")

    def test_preview_shows_the_steps_without_doing_them(self):
        order = self._order([(self.service, 1)])
        order._oms_register_payment(50.0, "cash")
        self.assertEqual(order._oms_plan(), ["confirm", "deliver", "invoice", "post", "reconcile"])
        action = order.action_oms_preview_automation()
        self.assertIn("Confirm the quotation", action["params"]["message"])
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.invoice_ids)

    def test_most_specific_rule_wins(self):
        team = self.env["crm.team"].create({"name": "Web shop"})
        web_card = self.env["oms.workflow"].create(
            {
                "name": "Web shop, card",
                "team_ids": team.ids,
                "payment_method": "card",
                "confirm_policy": "always",
                "invoice_policy": "confirm",
                "post_invoice": False,
            }
        )
        self.env["oms.workflow"].create(
            {"name": "Web shop", "team_ids": team.ids, "confirm_policy": "never"}
        )
        order = self._order([(self.service, 1)], team_id=team.id, oms_payment_method="card")
        self.assertEqual(order.oms_workflow_id, web_card)
        order.action_oms_run_automation()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.invoice_ids.state, "draft", "this rule does not post")
        other = self._order([(self.service, 1)], team_id=team.id, oms_payment_method="cash")
        other._oms_register_payment(50.0, "cash")
        other.action_oms_run_automation()
        self.assertEqual(other.state, "draft", "the channel rule never confirms")

    def test_failing_order_goes_to_exception_and_never_blocks_the_rest(self):
        good = self._order([(self.service, 1)])
        bad = self._order([(self.product, 1)])
        for order in good | bad:
            order._oms_register_payment(order.amount_total, "cash")
        self.product.active = False
        self._run_cron()
        self.assertEqual(good.oms_state, "done")
        self.assertEqual(bad.state, "draft")
        self.assertEqual(bad.oms_state, "exception")
        self.assertEqual(bad.oms_exception_type, "automation")
        self.assertIn("Confirm the quotation failed", bad.oms_exception_reason)
        self.assertIn("archived", bad.activity_ids.note)
        # Resolving the cause and the exception lets the automation finish the job.
        self.product.active = True
        bad.action_oms_clear_exception()
        self._run_cron()
        self.assertEqual(bad.oms_state, "ready_to_ship")
        self.assertFalse(bad.oms_exception_type)

    def test_events_trigger_the_steps_at_once(self):
        order = self._order([(self.product, 2)])
        # A payment registered from the order confirms it at once (paid -> confirm).
        action = order.action_oms_register_payment()
        wizard = (
            self.user_env["oms.order.payment"]
            .with_context(**action["context"])
            .create({"method": "cash"})
        )
        wizard.action_register()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.invoice_ids, "invoiced at delivery")
        # A done delivery invoices, posts and reconciles at once.
        self._deliver(order)
        self.assertEqual(order.invoice_ids.state, "posted")
        self.assertEqual(order.oms_state, "done")

    def test_confirmation_mail_when_the_rule_says_so(self):
        self.default_rule.write({"send_confirmation_mail": True, "confirm_policy": "always"})
        order = self._order([(self.service, 1)])
        self.customer.email = "cafe@example.com"
        with patch.object(type(order), "_send_order_confirmation_mail", autospec=True) as send:
            order.action_oms_run_automation()
        self.assertEqual(order.state, "sale")
        send.assert_called_once()
