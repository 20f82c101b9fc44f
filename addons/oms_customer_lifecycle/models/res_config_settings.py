from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    oms_clv_lifetime_years = fields.Float(
        related="company_id.oms_clv_lifetime_years", readonly=False
    )
    oms_retention_clv_threshold = fields.Monetary(
        related="company_id.oms_retention_clv_threshold",
        readonly=False,
        # the company currency (account's setting; company_currency_id is purchase's)
        currency_field="currency_id",
    )
    oms_retention_team_id = fields.Many2one(
        related="company_id.oms_retention_team_id", readonly=False
    )
    oms_retention_stage_id = fields.Many2one(
        related="company_id.oms_retention_stage_id", readonly=False
    )
