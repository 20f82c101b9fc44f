from odoo import models


class OmsReportCategory(models.Model):
    _name = "oms.report.category"
    _inherit = ["oms.report.line.mixin"]
    _description = "Top Categories"
    _auto = False
    _order = "net_amount desc"
