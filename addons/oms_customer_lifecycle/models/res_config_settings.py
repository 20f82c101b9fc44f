from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    oms_clv_lifetime_years = fields.Float(
        related="company_id.oms_clv_lifetime_years", readonly=False
    )
    oms_retention_clv_threshold = fields.Monetary(
        related="company_id.oms_retention_clv_threshold",
        readonly=False,
        currency_field="company_currency_id",
    )
    oms_retention_team_id = fields.Many2one(
        related="company_id.oms_retention_team_id", readonly=False
    )
    oms_retention_stage_id = fields.Many2one(
        related="company_id.oms_retention_stage_id", readonly=False
    )
