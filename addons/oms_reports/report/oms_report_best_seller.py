from odoo import models


class OmsReportBestSeller(models.Model):
    _name = "oms.report.best.seller"
    _inherit = ["oms.report.line.mixin"]
    _description = "Best-Selling Products"
    _auto = False
    _order = "net_qty desc"
