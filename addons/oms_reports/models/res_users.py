from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    oms_dashboard_filters = fields.Json(
        string="Sales Dashboard Filters",
        help="The filters this user chose last on the Sales Dashboard.",
        copy=False,
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "oms_dashboard_filters"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        # each user keeps their own dashboard filters, without write access to users
        return [*super().SELF_WRITEABLE_FIELDS, "oms_dashboard_filters"]
