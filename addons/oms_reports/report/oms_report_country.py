from odoo import models


class OmsReportCountry(models.Model):
    _name = "oms.report.country"
    _inherit = ["oms.report.order.mixin"]
    _description = "Top Countries"
    _auto = False
    _order = "net_amount desc"
