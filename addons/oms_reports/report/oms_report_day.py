from odoo import models


class OmsReportDay(models.Model):
    _name = "oms.report.day"
    _inherit = ["oms.report.order.mixin"]
    _description = "Best Days"
    _auto = False
    _order = "date desc"
