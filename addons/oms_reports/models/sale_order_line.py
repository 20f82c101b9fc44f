from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        self.env["oms.sale.fact"]._mark_dirty(orders=lines.order_id.ids)
        return lines

    def write(self, vals):
        res = super().write(vals)
        self.env["oms.sale.fact"]._mark_dirty(orders=self.order_id.ids)
        return res

    def unlink(self):
        self.env["oms.sale.fact"]._mark_dirty(orders=self.order_id.ids)
        return super().unlink()
