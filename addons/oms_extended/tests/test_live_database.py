"""Installed on a live database: upgrades keep what users set, orders without a rule are
left alone, and the automation posts only the invoices it created."""

from unittest.mock import patch

from odoo.tests import Form, tagged
from odoo.tools import convert_file

from .common import OmsOrderCommon
from .test_automation import no_commit


@tagged("post_install", "-at_install")
class TestLiveDatabase(OmsOrderCommon):
    def _run_cron(self):
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit):
            self.env["sale.order"]._cron_oms_apply_automation()

    def _upgrade(self, filename):
        """Load a data file of the addon as ``-u oms_extended`` does."""
        convert_file(self.env, "oms_extended", filename, {}, mode="update")

    def test_upgrade_keeps_the_rule_and_the_cron_users_edited(self):
        self.default_rule.write({"confirm_policy": "always", "post_invoice": False})
        cron = self.env.ref("oms_extended.ir_cron_oms_apply_automation")
        cron.write({"interval_number": 3, "interval_type": "hours", "active": False})
        self._upgrade("data/oms_workflow_data.xml")
        self._upgrade("data/ir_cron_data.xml")
        self.assertEqual(self.default_rule.confirm_policy, "always")
        self.assertFalse(self.default_rule.post_invoice)
        self.assertEqual((cron.interval_number, cron.interval_type), (3, "hours"))
        self.assertFalse(cron.active)
        self.assertTrue(self.default_rule.active, "shipped archived, turned on by a manager")

    def test_shipped_rule_is_off_until_a_manager_turns_it_on(self):
        self.default_rule.active = False  # as installed
        order = self._order([(self.product, 1)])
        self.assertFalse(order.oms_workflow_id)
        self.assertFalse(order.oms_needs_automation)
        order._oms_register_payment(order.amount_total, "cash")
        order.action_confirm()
        self._deliver(order)
        self._run_cron()
        self.assertFalse(order.invoice_ids, "delivering invoices nothing, as in plain Odoo")
        self.assertEqual(order.oms_state, "delivered")

    def _order_without_rule(self):
        """An order as it stands after installation when it existed before: no rule and
        no work flagged (the columns start empty)."""
        order = self._order([(self.service, 1)])
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_order SET oms_workflow_id = NULL, oms_needs_automation = FALSE "
            "WHERE id = %s",
            [order.id],
        )
        order.invalidate_recordset()
        return order

    def test_order_without_rule_is_left_alone(self):
        order = self._order_without_rule()
        team = self.env["crm.team"].create({"name": "Phone"})
        order.with_env(self.user_env).team_id = team
        self.assertFalse(order.oms_workflow_id, "a channel change gives no rule to an old order")
        order._oms_register_payment(order.amount_total, "cash")
        self._run_cron()
        order.action_oms_run_automation()
        self.assertEqual(order.state, "draft", "paid, but no rule: nobody confirms it")
        self.assertFalse(order.oms_needs_automation)
        # In the form too, a saved order without a rule keeps none.
        with Form(order.with_env(self.user_env)) as form:
            form.team_id = self.env["crm.team"].create({"name": "Counter"})
            self.assertFalse(form.oms_workflow_id)

    def test_a_user_hands_chosen_orders_to_the_automation(self):
        order = self._order_without_rule()
        order._oms_register_payment(order.amount_total, "cash")
        order.with_env(self.user_env).action_oms_apply_rule()
        self.assertEqual(order.oms_workflow_id, self.default_rule)
        self.assertTrue(order.oms_needs_automation)
        self._run_cron()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.oms_state, "done")

    def test_new_orders_get_their_rule_and_wait_for_the_cron(self):
        order = self._order([(self.service, 1)])
        self.assertEqual(order.oms_workflow_id, self.default_rule)
        self.assertTrue(order.oms_needs_automation)

    def test_post_step_posts_only_the_invoices_the_automation_created(self):
        self.default_rule.invoice_policy = "confirm"
        order = self._order([(self.service, 2)])
        order.action_confirm()
        # An accountant's own draft invoice of the order: not the automation's to post.
        manual = order._create_invoices()
        order.action_oms_run_automation()
        self.assertEqual(manual.state, "draft")
        self.assertNotIn("post", order._oms_plan())

        other = self._order([(self.service, 1)])
        other.action_confirm()
        other.action_oms_run_automation()
        invoice = other.invoice_ids
        self.assertEqual(invoice.state, "posted")
        # Reset to draft by an accountant: the automation never posts it again.
        invoice.button_draft()
        other.action_oms_run_automation()
        self._run_cron()
        self.assertEqual(invoice.state, "draft")
        # A draft credit note of the order is not posted either.
        invoice.action_post()
        credit_note = invoice._reverse_moves()
        self.assertEqual(credit_note.state, "draft")
        other.action_oms_run_automation()
        self.assertEqual(credit_note.state, "draft")
