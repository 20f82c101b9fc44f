from odoo import fields, models

from .oms_customer_stat import SEGMENTS


class OmsCustomerSegmentHistory(models.Model):
    """One row per change of a customer's segment in a company, written by the lifecycle
    computation in the same SQL statement as the figures."""

    _name = "oms.customer.segment.history"
    _description = "Customer Segment Change"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    from_segment = fields.Selection(SEGMENTS, string="From", readonly=True)
    to_segment = fields.Selection(SEGMENTS, string="To", readonly=True, required=True)
    date = fields.Date(readonly=True, required=True, index=True)
