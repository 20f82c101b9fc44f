from odoo import fields, models


class OmsSaleOrderFact(models.Model):
    """One row per confirmed sale order: the sums of its ``oms.sale.fact`` rows.

    Written by ``oms.sale.fact._refresh`` only; the row id is the sale order id.
    """

    _name = "oms.sale.order.fact"
    _inherit = "oms.fact.mixin"
    _auto = False  # see oms.fact.mixin
    _description = "Sales Fact (order grain)"
    _oms_indexes = (
        "order_id",
        "date",
        "company_id, date",
        "net_amount DESC, id",
        "amount DESC, id",
    )

    line_count = fields.Integer(readonly=True)
    qty = fields.Float(readonly=True)
    amount = fields.Float(readonly=True)
    amount_total = fields.Float(readonly=True)
    margin = fields.Float(readonly=True)
    refund_amount = fields.Float(readonly=True)
    net_amount = fields.Float(readonly=True)
    net_margin = fields.Float(readonly=True)
