"""Staff outside the OMS groups work in Odoo's own flows as in plain Odoo; the OMS hooks run
in the background with the rights they need."""

from odoo.tests import Form, new_test_user, tagged

from .common import OmsOrderCommon


@tagged("post_install", "-at_install")
class TestOtherStaff(OmsOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env, login="plain_salesperson", groups="sales_team.group_sale_salesman"
        )
        cls.storekeeper = new_test_user(
            cls.env, login="plain_storekeeper", groups="stock.group_stock_user"
        )
        cls.billing = new_test_user(
            cls.env, login="plain_billing", groups="account.group_account_invoice"
        )
        for user in cls.salesperson | cls.storekeeper | cls.billing:
            assert not user.has_group("oms_extended.group_oms_user"), user.login

    def _as(self, user):
        """``user``'s environment with nothing in the cache: what the user reads comes from
        the database, through their access rights, as in their own request."""
        self.env.invalidate_all()
        return self.env(user=user)

    def _paid_confirmed_order(self, product, qty, **vals):
        order = self._order([(product, qty)], env=self.env, **vals)
        order._oms_register_payment(order.amount_total, "cash")
        order.action_confirm()
        return order

    def test_salesperson_creates_and_confirms_an_order(self):
        env = self._as(self.salesperson)
        with Form(env["sale.order"]) as form:
            form.partner_id = self.customer
            with form.order_line.new() as line:
                line.product_id = self.product
                line.product_uom_qty = 2
        order = form.record
        self.assertEqual(order.oms_workflow_id, self.default_rule)
        self.env.invalidate_all()
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.oms_state, "ready_to_ship")
        self.assertTrue(order.picking_ids)

    def test_storekeeper_validates_a_delivery_and_the_automation_invoices(self):
        order = self._paid_confirmed_order(self.product, 2)
        picking = order.picking_ids.with_env(self._as(self.storekeeper))
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        self.assertIs(picking.button_validate(), True)
        self.assertEqual(picking.state, "done")
        # The default rule invoices at delivery, posts and reconciles the cash payment.
        self.assertEqual(order.invoice_ids.state, "posted")
        self.assertIn(order.invoice_ids.payment_state, ("paid", "in_payment"))
        self.assertEqual(order.oms_state, "done")

    def test_storekeeper_validates_a_cash_on_delivery_order(self):
        order = self._order([(self.product, 1)], env=self.env, oms_payment_method="cod")
        order.action_confirm()
        picking = order.picking_ids.with_env(self._as(self.storekeeper))
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(order.oms_payment_state, "paid")
        self.assertEqual(order.oms_payment_ids.oms_method, "cod")

    def test_billing_user_posts_an_invoice_and_registers_a_payment(self):
        self.default_rule.write({"invoice_policy": "confirm", "post_invoice": False})
        order = self._order([(self.service, 2)], env=self.env)
        order._oms_register_payment(40.0, "bank_transfer")
        order.action_confirm()
        order.action_oms_run_automation()
        invoice = order.invoice_ids.with_env(self._as(self.billing))
        self.assertEqual(invoice.state, "draft", "this rule does not post")
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_residual, 60.0, "the deposit is reconciled")
        register = (
            self._as(self.billing)["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
        )
        payment = register._create_payments()
        self.assertEqual(payment.oms_sale_order_id, order)
        self.assertEqual(order.oms_payment_state, "paid")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_salesperson_cancels_a_paid_quotation_and_accounting_refunds(self):
        order = self._order([(self.service, 2)], env=self.env, user_id=self.salesperson.id)
        order._oms_register_payment(order.amount_total, "bank_transfer")
        order.with_env(self._as(self.salesperson)).action_cancel()
        self.assertEqual(order.state, "cancel")
        # A salesperson may not refund: the money stays, accounting gets an activity.
        self.assertEqual(order.oms_payment_state, "paid")
        self.assertFalse(order.oms_payment_ids.filtered(lambda p: p.payment_type == "outbound"))
        kind = self.env.ref("oms_extended.mail_activity_type_oms_refund")
        self.assertEqual(order.activity_ids.activity_type_id, kind)

    def test_salesperson_cancels_a_paid_and_invoiced_order_as_in_plain_odoo(self):
        self.default_rule.write({"invoice_policy": "confirm"})
        order = self._order([(self.service, 1)], env=self.env, user_id=self.salesperson.id)
        order._oms_register_payment(order.amount_total, "bank_transfer")
        order.action_confirm()
        order.action_oms_run_automation()
        invoice = order.invoice_ids
        self.assertEqual(invoice.state, "posted")
        order.with_env(self._as(self.salesperson)).action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(invoice.state, "posted", "the accountant's to credit")
        self.assertFalse(order.oms_payment_ids.filtered(lambda p: p.payment_type == "outbound"))
        self.assertIn("credit note", order.message_ids[0].body)
