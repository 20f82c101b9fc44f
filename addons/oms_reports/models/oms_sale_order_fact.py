from odoo import fields, models

from .oms_sale_fact import create_fact_table


class OmsSaleOrderFact(models.Model):
    """One row per confirmed sale order: the sums of its ``oms.sale.fact`` rows.

    Written by ``oms.sale.fact._refresh`` only; the row id is the sale order id.
    """

    _name = "oms.sale.order.fact"
    _description = "Sales Fact (order grain)"
    _auto = False  # see oms.sale.fact
    _log_access = False
    _order = "date desc, id desc"
    _oms_indexes = (
        "order_id",
        "date",
        "company_id, date",
        "net_amount DESC, id",
        "amount DESC, id",
    )

    order_id = fields.Many2one("sale.order", readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Datetime(readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    commercial_partner_id = fields.Many2one("res.partner", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    source_id = fields.Many2one("utm.source", readonly=True)
    medium_id = fields.Many2one("utm.medium", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    line_count = fields.Integer(readonly=True)
    qty = fields.Float(readonly=True)
    amount = fields.Float(readonly=True)
    amount_total = fields.Float(readonly=True)
    margin = fields.Float(readonly=True)
    refund_amount = fields.Float(readonly=True)
    net_amount = fields.Float(readonly=True)
    net_margin = fields.Float(readonly=True)

    def init(self):
        create_fact_table(self)
