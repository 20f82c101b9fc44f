from odoo import fields, models


class OmsReportOrderMixin(models.AbstractModel):
    """Ranking at sale order grain (customers, orders, countries, channels, days)."""

    _name = "oms.report.order.mixin"
    _inherit = ["oms.report.mixin"]
    _description = "OMS Ranking (order grain)"
    _oms_fact_table = "oms_sale_order_fact"
    _oms_amount_fields = ("avg_amount",)
    _oms_columns = {"order_count": "1", "avg_amount": "f.net_amount"}

    line_count = fields.Integer(string="Order Lines", readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True)
    avg_amount = fields.Float(string="Average Order", aggregator="avg", readonly=True)
