from odoo import models


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    def _oms_order_of(self, lines):
        orders = lines.move_id.line_ids.sale_line_ids.order_id
        return orders if len(orders) == 1 else orders.browse()

    def _oms_link_vals(self, vals, lines):
        order = self._oms_order_of(lines)
        if order and vals.get("payment_type", "inbound") == "inbound":
            vals.setdefault("oms_sale_order_id", order.id)
        return vals

    def _create_payment_vals_from_wizard(self, batch_result):
        vals = super()._create_payment_vals_from_wizard(batch_result)
        return self._oms_link_vals(vals, batch_result["lines"])

    def _create_payment_vals_from_batch(self, batch_result):
        vals = super()._create_payment_vals_from_batch(batch_result)
        return self._oms_link_vals(vals, batch_result["lines"])
