"""One cash on delivery: Odoo's checkout provider (``delivery``) and ours are the same.
A customer who chooses Odoo's cash-on-delivery provider makes the order a cash-on-delivery
order; the delivery records one payment, against the provider's transaction; a carrier
that does not collect cash cannot carry a cash-on-delivery order."""

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import OmsOrderCommon


@tagged("post_install", "-at_install")
class TestCodCheckout(OmsOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.default_rule.invoice_policy = "never"  # only the collection is under test
        cls.cod_provider = cls.env.ref("delivery.payment_provider_cod")
        cls.cod_provider.write({"state": "enabled", "company_id": cls.company.id})
        delivery_product = cls.env["product.product"].create(
            {"name": "Courier", "type": "service", "list_price": 0.0, "taxes_id": []}
        )
        carrier_values = {
            "delivery_type": "fixed",
            "fixed_price": 0.0,
            "product_id": delivery_product.id,
        }
        cls.cod_carrier = cls.env["delivery.carrier"].create(
            {"name": "Courier with COD", "allow_cash_on_delivery": True, **carrier_values}
        )
        cls.plain_carrier = cls.env["delivery.carrier"].create(
            {"name": "Post, no COD", "allow_cash_on_delivery": False, **carrier_values}
        )
        cls.storekeeper = new_test_user(
            cls.env, login="cod_storekeeper", groups="stock.group_stock_user"
        )
        cls.salesperson = new_test_user(
            cls.env, login="cod_salesperson", groups="sales_team.group_sale_salesman"
        )

    def _checkout_cod(self, order):
        """What Odoo's checkout does when the customer picks *Cash on Delivery*: a
        transaction of the provider, set pending by ``payment_custom``, post-processed."""
        # The checkout runs as the public user through sudo(), as Odoo's controllers do.
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": self.cod_provider.id,
                    "payment_method_id": self.env.ref(
                        "delivery.payment_method_cash_on_delivery"
                    ).id,
                    "reference": f"{order.name}-COD",
                    "amount": order.amount_total,
                    "currency_id": order.currency_id.id,
                    "partner_id": order.partner_id.id,
                    "operation": "online_redirect",
                    "sale_order_ids": [Command.set(order.ids)],
                }
            )
        )
        tx._set_pending()
        tx._post_process()
        return tx

    def _validate_delivery(self, order):
        """The storekeeper validates the delivery (no rights on payments)."""
        picking = order.sudo().picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        picking = picking.with_user(self.storekeeper)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()

    def test_checkout_cod_is_our_cod_with_one_payment(self):
        order = self._order([(self.product, 2)], carrier_id=self.cod_carrier.id)
        self.assertFalse(order.oms_payment_method)
        tx = self._checkout_cod(order)
        self.assertEqual(tx.state, "pending")
        # delivery's post-processing confirmed the order; we took it as cash on delivery.
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.oms_payment_method, "cod")
        self.assertEqual(order.oms_workflow_id, self.default_rule)
        self.assertFalse(order.sudo().oms_payment_ids, "nothing is collected before delivery")
        self.assertEqual(len(order.picking_ids), 1)

        self._validate_delivery(order)
        payment = order.sudo().oms_payment_ids
        self.assertEqual(len(payment), 1)
        self.assertEqual(payment.oms_method, "cod")
        self.assertEqual(payment.amount, 200.0)
        self.assertEqual(payment.journal_id, self.cod_provider.journal_id)
        self.assertIn(
            payment.payment_method_line_id,
            payment.journal_id._get_available_payment_method_lines("inbound"),
        )
        self.assertEqual(payment.payment_transaction_id, tx)
        self.assertEqual(tx.payment_id, payment)
        self.assertEqual(order.oms_payment_state, "paid")

        # The provider's transaction processed again, even confirmed by accounting: no
        # second confirmation, no second payment.
        tx._post_process()
        tx._set_done()
        tx._post_process()
        self.assertEqual(order.state, "sale")
        self.assertEqual(len(order.picking_ids), 1)
        self.assertEqual(order.sudo().oms_payment_ids, payment)
        self.assertEqual(
            self.env["account.payment"].search_count([("payment_transaction_id", "=", tx.id)]), 1
        )
        self.assertEqual(order.oms_amount_paid, 200.0)

    def test_odoo_checkout_offers_cod_only_with_a_carrier_allowing_it(self):
        order = self._order([(self.product, 1)], carrier_id=self.plain_carrier.id)
        providers = self.env["payment.provider"]._get_compatible_providers(
            self.company.id, order.partner_id.id, order.amount_total, sale_order_id=order.id
        )
        self.assertNotIn(self.cod_provider, providers)

    def test_cod_refused_on_a_carrier_that_does_not_collect(self):
        env = self.env(user=self.salesperson)
        order = self._order([(self.product, 1)], env=env, carrier_id=self.plain_carrier.id)
        with self.assertRaisesRegex(ValidationError, "does not collect cash on delivery"):
            order.oms_payment_method = "cod"
        with self.assertRaises(ValidationError):
            self._order(
                [(self.product, 1)],
                env=env,
                carrier_id=self.plain_carrier.id,
                oms_payment_method="cod",
            )
        # Allowed on a carrier that collects, and then the carrier cannot be swapped for
        # one that does not.
        order.carrier_id = self.cod_carrier
        order.oms_payment_method = "cod"
        with self.assertRaises(ValidationError):
            order.carrier_id = self.plain_carrier
        # Without a carrier (delivered by the shop's own staff) cash on delivery is kept.
        order.carrier_id = False
        self.assertEqual(order.oms_payment_method, "cod")
