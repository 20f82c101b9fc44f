"""Money moves only by people allowed to move it: cancelling a paid order refunds only for
users with payment rights (each payment in its own currency), and a customer return never
changes a cash-on-delivery payment that is in the books."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import OmsOrderCommon


@tagged("post_install", "-at_install")
class TestMoneyRights(OmsOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.default_rule.invoice_policy = "never"  # only the money is under test
        cls.salesperson = new_test_user(
            cls.env, login="money_salesperson", groups="sales_team.group_sale_salesman"
        )
        cls.billing = new_test_user(
            cls.env,
            login="money_billing",
            groups="sales_team.group_sale_salesman,account.group_account_invoice",
        )
        cls.storekeeper = new_test_user(
            cls.env, login="money_storekeeper", groups="stock.group_stock_user"
        )
        cls.portal = new_test_user(cls.env, login="money_portal", groups="base.group_portal")
        for user in cls.salesperson | cls.storekeeper:
            assert not user.has_group("account.group_account_invoice"), user.login
            assert not user.has_group("oms_extended.group_oms_user"), user.login
        cls.refund_type = cls.env.ref("oms_extended.mail_activity_type_oms_refund")
        # A foreign currency worth 2 per unit of the company's on the payment date, 4 today.
        company_currency = cls.company.currency_id
        euro, dollar = cls.env.ref("base.EUR"), cls.env.ref("base.USD")
        cls.foreign = euro if company_currency != euro else dollar
        cls.foreign.active = True
        cls.foreign.rate_ids.unlink()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.paid_on = cls.today - timedelta(days=10)
        cls.env["res.currency.rate"].create(
            [
                {"currency_id": cls.foreign.id, "name": cls.paid_on, "rate": 2.0},
                {"currency_id": cls.foreign.id, "name": cls.today, "rate": 4.0},
            ]
        )
        cls.provider = cls.env.ref("payment.payment_provider_demo")
        cls.provider.write({"state": "test", "journal_id": cls.bank_journal.id})

    def _as(self, user):
        """``user``'s environment with nothing in the cache, as in their own request."""
        self.env.invalidate_all()
        return self.env(user=user)

    def _refund_activities(self, order):
        return order.activity_ids.filtered(lambda a: a.activity_type_id == self.refund_type)

    def _refunds(self, order):
        return order.oms_payment_ids.filtered(lambda p: p.payment_type == "outbound")

    def _paid_quotation(self, qty=2, **vals):
        """A quotation of services (50 each) of the salesperson, paid by bank transfer."""
        order = self._order(
            [(self.service, qty)], env=self.env, user_id=self.salesperson.id, **vals
        )
        order._oms_register_payment(order.amount_total, "bank_transfer")
        return order

    # ------------------------------------------------------------ cancelling a paid order

    def test_salesperson_cancels_a_paid_order_nothing_moves_accounting_is_asked(self):
        order = self._paid_quotation()
        payment = order.oms_payment_ids
        order.with_env(self._as(self.salesperson)).action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertFalse(self._refunds(order), "no refund on behalf of a salesperson")
        self.assertEqual(payment.state, "in_process", "the payment is untouched")
        self.assertEqual(order.oms_amount_paid, 100.0, "it stays as the customer's credit")
        activity = self._refund_activities(order)
        self.assertEqual(len(activity), 1)
        self.assertTrue(activity.user_id.has_group("account.group_account_manager"))
        self.assertIn("100.00", activity.note)
        self.assertIn("without a refund", order.message_ids[0].body)
        # Cancelled again after a new start: still one activity to refund.
        order.with_env(self._as(self.salesperson)).action_draft()
        order.with_env(self._as(self.salesperson)).action_cancel()
        self.assertEqual(len(self._refund_activities(order)), 1)
        self.assertFalse(self._refunds(order))

    def test_salesperson_cancels_a_card_paid_order_no_provider_refund(self):
        order = self._order([(self.service, 2)], env=self.env, user_id=self.salesperson.id)
        tx = order._oms_create_transaction(
            self.provider, self.provider.payment_method_ids[:1], order.amount_total
        )
        tx._process("demo", {"reference": tx.reference, "simulated_state": "done"})
        tx._post_process()
        self.assertEqual(order.oms_payment_state, "paid")
        order.with_env(self._as(self.salesperson)).action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertFalse(tx.child_transaction_ids, "the provider is not asked to refund")
        self.assertFalse(self._refunds(order))
        self.assertEqual(len(self._refund_activities(order)), 1)

    def test_salesperson_cannot_charge_a_card(self):
        order = self._order([(self.service, 1)], env=self.env, user_id=self.salesperson.id)
        order = order.with_env(self._as(self.salesperson))
        with self.assertRaises(AccessError):
            order._oms_create_transaction(
                self.provider, self.provider.payment_method_ids[:1], order.amount_total
            )
        self.assertFalse(order.sudo().transaction_ids)

    def test_portal_customer_declining_a_paid_quotation_moves_no_money(self):
        order = self._paid_quotation(partner_id=self.portal.partner_id.id)
        # As the portal's decline route does: the customer's order, as superuser.
        order.with_user(self.portal).sudo()._action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertFalse(self._refunds(order))
        self.assertEqual(len(self._refund_activities(order)), 1)

    def test_billing_user_cancels_and_refunds_in_the_payment_currency(self):
        order = self._order([(self.service, 2)], env=self.env, user_id=self.billing.id)
        # 200 in the foreign currency when it was worth 100 in the order's.
        payment = order._oms_register_payment(
            200.0, "bank_transfer", currency=self.foreign, date=self.paid_on
        )
        self.assertEqual(order.oms_payment_state, "paid")
        order.with_env(self._as(self.billing)).action_cancel()
        refund = self._refunds(order)
        self.assertEqual(len(refund), 1)
        self.assertEqual(refund.currency_id, self.foreign)
        self.assertEqual(refund.amount, 200.0, "what was received, not 100 at today's rate")
        self.assertEqual(refund.oms_refunded_payment_id, payment)
        self.assertEqual(refund.create_uid, self.billing)
        self.assertTrue(payment.is_reconciled)
        self.assertEqual(order.oms_amount_paid, 0.0)
        self.assertEqual(order.oms_payment_state, "refunded")
        self.assertFalse(self._refund_activities(order))
        self.assertIn(f"200.00&nbsp;{self.foreign.symbol}", order.message_ids[0].body)

    def test_oms_user_cancels_and_refunds_each_payment_in_its_currency(self):
        order = self._order([(self.service, 3)], env=self.env)
        foreign = order._oms_register_payment(
            200.0, "bank_transfer", currency=self.foreign, date=self.paid_on
        )
        cash = order._oms_register_payment(50.0, "cash")
        self.assertEqual(order.oms_payment_state, "paid")
        order.with_env(self._as(self.oms_user)).action_cancel()
        refunds = self._refunds(order)
        self.assertEqual(
            {(r.currency_id, r.amount) for r in refunds},
            {(self.foreign, 200.0), (self.company.currency_id, 50.0)},
        )
        self.assertEqual(
            {(r.oms_refunded_payment_id, r.amount) for r in refunds},
            {(foreign, 200.0), (cash, 50.0)},
        )
        self.assertEqual(refunds.journal_id, self.bank_journal | self.cash_journal)
        self.assertEqual(order.oms_payment_state, "refunded")
        self.assertFalse(self._refund_activities(order))

    # ----------------------------------------------------- returns after cash on delivery

    def _cod_delivered(self, qty, on=None):
        """A cash-on-delivery order of ``qty`` machines (100 each) the storekeeper delivered
        (``on`` that day)."""
        with freeze_time(on or self.today):
            order = self._order([(self.product, qty)], env=self.env, oms_payment_method="cod")
            order.action_confirm()
            picking = order.picking_ids.with_env(self._as(self.storekeeper))
            picking.move_ids.quantity = qty
            picking.move_ids.picked = True
            self.assertIs(picking.button_validate(), True)
        self.assertEqual(order.oms_payment_state, "paid")
        return order, picking

    def _storekeeper_returns(self, picking, qty):
        env = self._as(self.storekeeper)
        wizard = Form(
            env["stock.return.picking"].with_context(
                active_id=picking.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = qty
        returned = wizard._create_return()
        returned.move_ids.quantity = qty
        returned.move_ids.picked = True
        self.assertIs(returned.button_validate(), True)
        self.assertEqual(returned.state, "done")
        return returned

    def _assert_credit_left_to_accounting(self, order, payment, amount):
        self.assertIn(payment.state, ("in_process", "paid"), "the payment is untouched")
        self.assertEqual(payment.move_id.state, "posted")
        self.assertEqual(order.oms_amount_paid, 200.0)
        activity = self._refund_activities(order)
        self.assertEqual(len(activity), 1)
        self.assertIn(f"{amount:.2f}", activity.note)
        self.assertTrue(activity.user_id.has_group("account.group_account_invoice"))

    def test_storekeeper_return_after_cod_collected_leaves_a_credit_to_refund(self):
        order, picking = self._cod_delivered(2)
        payment = order.oms_payment_ids
        self.assertEqual(payment.move_id.state, "posted", "in the books: collected")
        self._storekeeper_returns(picking, 2)
        self._assert_credit_left_to_accounting(order, payment, 200.0)
        self.assertIn("customer's credit", order.message_ids[0].body)
        self.assertTrue(payment._oms_cod_collected())

    def test_storekeeper_return_in_a_locked_period_is_not_blocked(self):
        order, picking = self._cod_delivered(2, on=self.paid_on)
        payment = order.oms_payment_ids
        self.assertEqual(payment.date, self.paid_on)
        # The books are closed up to after the cash was collected.
        self.company.fiscalyear_lock_date = self.paid_on + timedelta(days=2)
        self._storekeeper_returns(picking, 1)
        self._assert_credit_left_to_accounting(order, payment, 100.0)
        # A second return adds to the same activity.
        self._storekeeper_returns(picking, 1)
        self._assert_credit_left_to_accounting(order, payment, 200.0)

    def test_storekeeper_return_never_unreconciles_an_invoiced_cod_payment(self):
        self.default_rule.invoice_policy = "delivery"  # invoiced, posted and reconciled
        order, picking = self._cod_delivered(2)
        payment, invoice = order.oms_payment_ids, order.invoice_ids
        self.assertTrue(payment.is_reconciled)
        self._storekeeper_returns(picking, 2)
        self.assertTrue(payment.is_reconciled)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        activity = self._refund_activities(order)
        self.assertEqual(len(activity), 1)
        self.assertIn("credit note", activity.note)
