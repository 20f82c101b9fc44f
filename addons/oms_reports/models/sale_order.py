from odoo import api, models

# sale.order fields copied into the report facts
FACT_FIELDS = {
    "state",
    "date_order",
    "partner_id",
    "company_id",
    "currency_id",
    "currency_rate",
    "user_id",
    "team_id",
    "warehouse_id",
    "source_id",
    "medium_id",
    "campaign_id",
    "order_line",
}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        self.env["oms.sale.fact"]._mark_dirty(orders=orders.ids)
        return orders

    def write(self, vals):
        res = super().write(vals)
        if FACT_FIELDS.intersection(vals):
            self.env["oms.sale.fact"]._mark_dirty(orders=self.ids)
        return res

    def unlink(self):
        self.env["oms.sale.fact"]._mark_dirty(orders=self.ids)
        return super().unlink()
