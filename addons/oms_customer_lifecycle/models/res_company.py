from odoo import fields, models


class ResCompany(models.Model):
    """Settings of the customer lifecycle, per company."""

    _inherit = "res.company"

    oms_clv_lifetime_years = fields.Float(
        string="Expected Customer Lifetime (years)",
        default=3.0,
        help="Years a customer keeps buying, used by the lifetime value estimate.",
    )
    oms_retention_clv_threshold = fields.Monetary(
        string="Retention Lifetime Value Threshold",
        currency_field="currency_id",
        help="A customer worth more than this who becomes At Risk or Hibernating gets a "
        "retention opportunity.",
    )
    oms_retention_team_id = fields.Many2one(
        "crm.team", string="Retention Sales Team", check_company=True
    )
    oms_retention_stage_id = fields.Many2one("crm.stage", string="Retention Stage")
