"""A plain salesperson works on orders with payments as in plain Odoo (issue 19, item 2):
the payments are shown only to those who may read them, and the automation's buttons are
the OMS users', checked on the server."""

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import OmsOrderCommon


@tagged("post_install", "-at_install")
class TestSalespersonRights(OmsOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env, login="oms_plain_salesperson", groups="sales_team.group_sale_salesman"
        )
        cls.billing = new_test_user(
            cls.env,
            login="oms_sales_billing",
            groups="sales_team.group_sale_salesman,account.group_account_invoice",
        )
        for user in cls.salesperson | cls.billing:
            assert not user.has_group("oms_extended.group_oms_user"), user.login

    def _as(self, user):
        """``user``'s environment with nothing in the cache: what the user reads comes from
        the database, through their access rights, as in their own request."""
        self.env.invalidate_all()
        return self.env(user=user)

    def _paid_quotation_of(self, user):
        order = self._order([(self.service, 2)], env=self.env, user_id=user.id)
        order._oms_register_payment(order.amount_total, "bank_transfer")
        return order

    def test_salesperson_reads_opens_and_confirms_an_order_with_payments(self):
        order = self._paid_quotation_of(self.salesperson)
        mine = order.with_env(self._as(self.salesperson))
        # read() of every field the user may read, as Odoo's own sale tests do.
        values = mine.read()[0]
        self.assertNotIn("oms_payment_ids", values)
        self.assertNotIn("oms_payment_count", values)
        self.assertEqual(values["oms_payment_state"], "paid")
        # The form opens (payments left out) and confirms the order.
        with Form(mine) as form:
            self.assertEqual(form.partner_id, self.customer)
        mine.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_billing_user_reads_the_payments(self):
        order = self._paid_quotation_of(self.billing)
        mine = order.with_env(self._as(self.billing))
        values = mine.read(["oms_payment_ids", "oms_payment_count"])[0]
        self.assertEqual(values["oms_payment_ids"], order.oms_payment_ids.ids)
        self.assertEqual(values["oms_payment_count"], 1)

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_automation_buttons_are_for_oms_users(self):
        order = self._paid_quotation_of(self.salesperson)
        mine = order.with_env(self._as(self.salesperson))
        for action in (
            "action_oms_run_automation",
            "action_oms_preview_automation",
            "action_oms_apply_rule",
            "action_oms_clear_exception",
            "action_oms_mark_delivered",
        ):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(mine, action)()
        self.assertEqual(order.state, "draft", "nothing ran")
        # An OMS user runs it: the default rule confirms a paid order.
        order.with_env(self._as(self.oms_user)).action_oms_run_automation()
        self.assertEqual(order.state, "sale")
