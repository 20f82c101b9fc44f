"""A whole order through Odoo, driven by an OMS user who is not an administrator:
quotation, confirmation, picking, delivery, invoice (by the default automation rule)
and payment, with the order status following each step."""

from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestOrderJourney(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The company set-up an administrator does once: accounting and stock, and the
        # default automation rule turned on (it is shipped archived).
        cls.env.ref("oms_extended.oms_workflow_default").active = True
        company = cls.env.company
        if not company.chart_template:
            cls.env["account.chart.template"].try_loading("generic_coa", company=company)
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", company.id)])
        cls.product = cls.env["product.product"].create(
            {
                "name": "Espresso machine",
                "is_storable": True,
                "list_price": 250.0,
                "standard_price": 120.0,
                "invoice_policy": "delivery",
                "taxes_id": [],
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 10.0
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Café Lumière", "country_id": cls.env.ref("base.fr").id}
        )
        cls.clerk = new_test_user(
            cls.env, login="oms_journey_clerk", groups="oms_extended.group_oms_user"
        )

    def test_order_from_quotation_to_paid(self):
        env = self.env(user=self.clerk)
        self.assertFalse(self.clerk.has_group("base.group_system"))

        # Quotation
        with Form(env["sale.order"]) as quotation:
            quotation.partner_id = self.customer.with_env(env)
            with quotation.order_line.new() as line:
                line.product_id = self.product.with_env(env)
                line.product_uom_qty = 3
        order = quotation.record
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.oms_state, "quotation")
        self.assertEqual(order.amount_total, 750.0)
        self.assertEqual(order.user_id, self.clerk)

        # Confirmation creates the delivery and reserves the stock.
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        picking = order.picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.picking_type_code, "outgoing")
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(order.invoice_status, "no")  # invoiced on delivery

        self.assertEqual(order.oms_state, "ready_to_ship")
        self.assertEqual(order.oms_payment_state, "not_paid")
        self.assertEqual(order.oms_amount_due, 750.0)

        # Picking and delivery: the default automation rule invoices at delivery
        # and posts the invoice at once.
        picking.move_ids.picked = True
        self.assertIs(picking.button_validate(), True)
        self.assertEqual(picking.state, "done")
        self.assertEqual(order.order_line.qty_delivered, 3)
        self.assertEqual(self.product.with_env(env).qty_available, 7)
        self.assertEqual(order.oms_workflow_id, self.env.ref("oms_extended.oms_workflow_default"))
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_total, 750.0)
        self.assertEqual(order.invoice_status, "invoiced")
        self.assertEqual(order.oms_state, "invoiced")

        # Payment, registered from the invoice with Odoo's own wizard.
        payment_register = env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        )
        payments = payment_register.create({})._create_payments()
        self.assertEqual(payments.amount, 750.0)
        self.assertEqual(payments.partner_id, self.customer)
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(order.oms_payment_state, "paid")
        self.assertEqual(order.oms_amount_due, 0.0)
        self.assertEqual(order.oms_state, "done")

        # Every status change is in the order's chatter (tracking is written at commit).
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = order.sudo().message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "oms_state"
        )
        self.assertIn("Done", tracked.mapped("new_value_char"))
