from odoo.tests import Form, tagged

from .common import OmsOrderCommon


@tagged("post_install", "-at_install")
class TestOrderStatus(OmsOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # No automation here: the status follows the steps done by hand.
        cls.default_rule.active = False

    def test_journey_of_a_shipped_order(self):
        with Form(self.user_env["sale.order"]) as form:
            form.partner_id = self.customer
            with form.order_line.new() as line:
                line.product_id = self.product
                line.product_uom_qty = 4
        order = form.record
        self.assertFalse(self.oms_user.has_group("base.group_system"))
        self.assertRecordValues(
            order,
            [
                {
                    "oms_state": "quotation",
                    "oms_payment_state": "not_paid",
                    "oms_amount_due": 400.0,
                    "oms_amount_paid": 0.0,
                }
            ],
        )
        self.assertTrue(order.oms_payment_reference.startswith(order.name.replace("/", "")))

        order.action_confirm()
        self.assertEqual(order.oms_state, "ready_to_ship")

        self._deliver(order, qty=1)  # creates a backorder
        self.assertEqual(order.oms_state, "partially_shipped")

        # Done transfers are delivered (oms_shipping: shipped while a carrier carries them).
        self._deliver(order)
        self.assertEqual(order.oms_state, "delivered")

        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(order.oms_state, "invoiced")

        order._oms_register_payment(400.0, "bank_transfer")
        self.assertEqual(order.oms_payment_state, "paid")
        self.assertEqual(order.oms_amount_due, 0.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(order.oms_state, "done")

    def test_delivery_without_carrier_is_delivered(self):
        order = self._order([(self.product, 1)])
        order.action_confirm()
        self._deliver(order)
        self.assertEqual(order.oms_state, "delivered")

    def test_awaiting_payment_and_cancelled(self):
        order = self._order([(self.service, 2)])
        order._oms_register_payment(30.0, "cash")
        self.assertEqual(order.oms_payment_state, "partial")
        self.assertEqual(order.oms_state, "awaiting_payment")
        self.assertEqual(order.oms_amount_due, 70.0)
        other = self._order([(self.service, 1)])
        other.action_cancel()
        self.assertEqual(other.oms_state, "cancelled")

    def test_confirmed_order_awaits_the_prepayment_odoo_asked_for(self):
        order = self._order([(self.product, 1)])
        order.write({"require_payment": True, "prepayment_percent": 0.3})
        order.action_confirm()
        self.assertEqual(order.oms_state, "awaiting_payment")
        order._oms_register_payment(20.0, "cash")
        self.assertEqual(order.oms_state, "awaiting_payment")
        order._oms_register_payment(10.0, "cash")  # 30 % of 100 is in
        self.assertEqual(order.oms_payment_state, "partial")
        self.assertEqual(order.oms_state, "ready_to_ship")

    def test_exception_wins_until_resolved(self):
        order = self._order([(self.product, 1)])
        order.action_confirm()
        order._oms_set_exception("shipment", "Parcel lost by the carrier")
        self.assertEqual(order.oms_state, "exception")
        activity = order.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertIn("Parcel lost", activity.note)
        order.action_oms_clear_exception()
        self.assertEqual(order.oms_state, "ready_to_ship")
        self.assertFalse(order.activity_ids)

    def test_status_is_searchable_and_grouped_on_the_board(self):
        quotation = self._order([(self.service, 1)])
        confirmed = self._order([(self.product, 1)])
        confirmed.action_confirm()
        SaleOrder = self.user_env["sale.order"]
        self.assertEqual(
            SaleOrder.search(
                [("oms_state", "=", "quotation"), ("id", "in", (quotation | confirmed).ids)]
            ),
            quotation,
        )
        groups = SaleOrder.formatted_read_group(
            [("id", "in", (quotation | confirmed).ids)], ["oms_state"], ["__count"]
        )
        counts = {group["oms_state"]: group["__count"] for group in groups}
        self.assertEqual(counts["quotation"], 1)
        self.assertEqual(counts["ready_to_ship"], 1)
        action = self.user_env["ir.actions.act_window"]._for_xml_id(
            "oms_extended.action_oms_order_board"
        )
        self.assertEqual(action["res_model"], "sale.order")
        board = self.env.ref("oms_extended.sale_order_view_kanban_oms_board").id
        views = SaleOrder.get_views([(board, "kanban")], {"load_filters": True})
        self.assertIn("oms_state", views["views"]["kanban"]["arch"])

    def test_chatter_timeline_of_status_changes(self):
        # SaleCommon turns mail tracking off (Odoo's DISABLED_MAIL_CONTEXT): on again here
        env = self.user_env(
            context=dict(self.user_env.context, tracking_disable=False, mail_notrack=False)
        )
        order = self._order([(self.product, 1)], env=env)
        env.flush_all()
        env.cr.precommit.run()  # the creation is not tracked, what follows is
        order.action_confirm()
        env.flush_all()
        env.cr.precommit.run()
        tracked = order.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "oms_state"
        )
        self.assertTrue(tracked)
        self.assertEqual(tracked[:1].new_value_char, "Ready to Ship")
