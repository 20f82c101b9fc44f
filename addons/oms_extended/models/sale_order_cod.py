from odoo import models


class SaleOrder(models.Model):
    """Cash on delivery: the carrier collects the value delivered."""

    _inherit = "sale.order"

    def _oms_collect_cash_on_delivery(self):
        """Record the cash the carrier collected when the delivery is validated."""
        for order in self.filtered(lambda o: o.oms_payment_method == "cod" and o.state == "sale"):
            if order.currency_id.compare_amounts(order.oms_amount_due, 0.0) > 0:
                order._oms_register_payment(
                    order.oms_amount_due,
                    "cod",
                    memo=self.env._("Cash on delivery for %s", order.name),
                )
