from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _oms_refunded_order_ids(self):
        """Ids of the orders of these credit notes, to queue their sales facts."""
        # sudo: reads only the ids of the orders linked to moves the user is writing (a
        # billing user may not read orders); they are queued for the refresh, never shown.
        refunds = self.sudo().filtered(lambda move: move.move_type == "out_refund")
        return refunds.invoice_line_ids.sale_line_ids.order_id.ids

    def write(self, vals):
        res = super().write(vals)
        if "state" in vals:
            order_ids = self._oms_refunded_order_ids()
            if order_ids:
                self.env["oms.sale.fact"]._mark_dirty(orders=order_ids)
        return res

    def unlink(self):
        order_ids = self._oms_refunded_order_ids()
        if order_ids:
            self.env["oms.sale.fact"]._mark_dirty(orders=order_ids)
        return super().unlink()
