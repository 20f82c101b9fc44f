from odoo import fields, models


class OmsReportLine(models.Model):
    """Sales report at order line grain, over ``oms.sale.fact``: the rankings of
    products, best sellers, brands and categories (one action each)."""

    _name = "oms.report.line"
    _inherit = ["oms.report.mixin"]
    _description = "Sales Report (order lines)"
    _auto = False
    _oms_fact_table = "oms_sale_fact"
    _oms_columns = {"order_count": "f.order_id"}

    product_id = fields.Many2one("product.product", string="Product Variant", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    brand_id = fields.Many2one("product.brand", string="Brand", readonly=True)
    refund_qty = fields.Float(string="Qty Refunded", readonly=True)
    net_qty = fields.Float(string="Units Sold", readonly=True)
    order_count = fields.Integer(string="Orders", aggregator="count_distinct", readonly=True)
