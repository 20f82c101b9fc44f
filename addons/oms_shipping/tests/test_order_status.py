"""The order status with carrier tracking: a done delivery with a tracking number is shipped
until the carrier (or a user) says it arrived."""

from odoo.addons.oms_extended.tests.common import OmsOrderCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestOrderStatusShipping(OmsOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.default_rule.active = False  # the status follows the steps done by hand

    def test_tracked_delivery_is_shipped_until_delivered(self):
        order = self._order([(self.product, 4)])
        order.action_confirm()
        self._deliver(order, qty=1)  # creates a backorder
        self.assertEqual(order.oms_state, "partially_shipped")

        backorder = order.picking_ids.filtered(lambda p: p.state != "done")
        backorder.carrier_tracking_ref = "TRACK-1"
        self._deliver(order)
        self.assertEqual(order.oms_state, "shipped")
        order.with_user(self.oms_user).action_oms_mark_delivered()
        self.assertEqual(order.oms_state, "delivered")

    def test_tracking_number_set_after_the_delivery_recomputes_the_status(self):
        order = self._order([(self.product, 1)])
        order.action_confirm()
        self._deliver(order)
        self.assertEqual(order.oms_state, "delivered")
        order.picking_ids.carrier_tracking_ref = "TRACK-2"
        self.assertEqual(order.oms_state, "shipped")
