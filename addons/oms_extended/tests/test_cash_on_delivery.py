"""Cash on delivery: the carrier collects the value delivered, and nothing it brought back.
A return cancels only what is not in the books yet; collected cash stays the customer's
credit, for accounting to refund."""

from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import Form, tagged

from .common import OmsOrderCommon


@tagged("post_install", "-at_install")
class TestCashOnDelivery(OmsOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.default_rule.invoice_policy = "never"  # only the collection is under test

    def _cod_order(self, qty):
        order = self._order([(self.product, qty)], oms_payment_method="cod")
        order.action_confirm()
        return order

    def _return(self, picking, qty):
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=picking.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = qty
        returned = wizard._create_return()
        returned.move_ids.quantity = qty
        returned.move_ids.picked = True
        returned.button_validate()
        return returned

    def test_partial_delivery_collects_the_part_delivered(self):
        order = self._cod_order(10)
        self._deliver(order, qty=4)  # a backorder keeps the other 6
        self.assertEqual(len(order.picking_ids), 2)
        self.assertEqual(order.oms_amount_paid, 400.0)
        self.assertEqual(order.oms_payment_state, "partial")
        self._deliver(order)
        self.assertEqual(order.oms_amount_paid, 1000.0)
        self.assertEqual(order.oms_payment_state, "paid")
        self.assertEqual(order.oms_payment_ids.mapped("oms_method"), ["cod", "cod"])

    @contextmanager
    def _payments_without_entries(self):
        """Odoo's setup where a payment reaches the books only when it is matched with the
        bank statement (Accounting installed, no outstanding account on the method): a
        cash-on-delivery payment then says only what the carrier is to bring."""
        self.cash_journal.inbound_payment_method_line_ids.payment_account_id = False
        with patch.object(
            type(self.env["account.move"]),
            "_get_invoice_in_payment_state",
            return_value="in_payment",
        ):
            yield

    def _refund_activities(self, order):
        kind = self.env.ref("oms_extended.mail_activity_type_oms_refund")
        return order.activity_ids.filtered(lambda a: a.activity_type_id == kind)

    def test_return_after_collection_leaves_a_credit_for_accounting(self):
        order = self._cod_order(2)
        self._deliver(order)
        self.assertEqual(order.oms_payment_state, "paid")
        cod_payment = order.oms_payment_ids
        self.assertEqual(cod_payment.move_id.state, "posted")
        self._return(order.picking_ids, 2)
        self.assertNotEqual(cod_payment.state, "canceled")
        self.assertEqual(cod_payment.move_id.state, "posted")
        self.assertEqual(order.oms_amount_paid, 200.0, "the customer's credit")
        activity = self._refund_activities(order)
        self.assertEqual(len(activity), 1)
        self.assertIn("200.00", activity.note)
        self.assertIn(cod_payment.name, activity.note)

    def test_partial_return_after_collection_asks_to_refund_the_part_returned(self):
        order = self._cod_order(5)
        self._deliver(order)
        self._return(order.picking_ids, 2)
        self.assertEqual(order.oms_payment_ids.mapped("amount"), [500.0])
        self.assertEqual(order.oms_amount_paid, 500.0)
        self.assertIn("200.00", self._refund_activities(order).note)

    def test_returned_delivery_not_collected_is_cancelled(self):
        with self._payments_without_entries():
            order = self._cod_order(2)
            self._deliver(order)
            cod_payment = order.oms_payment_ids
            self.assertEqual(cod_payment.state, "in_process")
            self.assertFalse(cod_payment.move_id)
            self._return(order.picking_ids, 2)
        self.assertEqual(cod_payment.state, "canceled")
        self.assertEqual(order.oms_amount_paid, 0.0)
        self.assertEqual(order.oms_payment_state, "not_paid")
        self.assertTrue(any("not collected" in body for body in order.message_ids.mapped("body")))
        self.assertFalse(self._refund_activities(order))

    def test_partial_return_not_collected_keeps_the_value_kept_by_the_customer(self):
        with self._payments_without_entries():
            order = self._cod_order(5)
            self._deliver(order)
            self._return(order.picking_ids, 2)
        self.assertEqual(order.oms_amount_paid, 300.0)
        self.assertEqual(order.oms_payment_state, "partial")
        paid = order.oms_payment_ids.filtered(lambda p: p.state != "canceled")
        self.assertEqual(paid.mapped("amount"), [300.0])
        self.assertFalse(self._refund_activities(order))

    def test_cod_collects_what_other_payments_left_due(self):
        order = self._cod_order(4)
        order._oms_register_payment(100.0, "bank_transfer")  # a deposit
        self._deliver(order, qty=2)
        self.assertEqual(order.oms_amount_paid, 200.0, "200 delivered, 100 of it prepaid")
        self._deliver(order)
        self.assertEqual(order.oms_payment_state, "paid")
