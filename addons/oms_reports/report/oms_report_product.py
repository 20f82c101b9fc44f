from odoo import models


class OmsReportProduct(models.Model):
    _name = "oms.report.product"
    _inherit = ["oms.report.line.mixin"]
    _description = "Top Products"
    _auto = False
    _order = "net_amount desc"
