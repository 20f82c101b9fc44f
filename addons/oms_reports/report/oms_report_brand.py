from odoo import models


class OmsReportBrand(models.Model):
    _name = "oms.report.brand"
    _inherit = ["oms.report.line.mixin"]
    _description = "Top Brands"
    _auto = False
    _order = "net_amount desc"
