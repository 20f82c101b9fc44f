from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    oms_dashboard_filters = fields.Json(
        string="Sales Dashboard Filters",
        help="The filters this user chose last on the Sales Dashboard.",
        copy=False,
    )
