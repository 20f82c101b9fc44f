from odoo import fields, models


class OmsReportOrder(models.Model):
    """Sales report at order grain, over ``oms.sale.order.fact``: the rankings of
    customers, orders, countries, channels and days (one action each)."""

    _name = "oms.report.order"
    _inherit = ["oms.report.mixin"]
    _description = "Sales Report (orders)"
    _auto = False
    _oms_fact_table = "oms_sale_order_fact"
    _oms_amount_fields = ("avg_amount",)
    _oms_columns = {"order_count": "1", "avg_amount": "f.net_amount"}

    line_count = fields.Integer(string="Order Lines", readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True)
    avg_amount = fields.Float(string="Average Order", aggregator="avg", readonly=True)
