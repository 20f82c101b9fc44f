from odoo import models


class OmsReportOrder(models.Model):
    _name = "oms.report.order"
    _inherit = ["oms.report.order.mixin"]
    _description = "Top Orders"
    _auto = False
    _order = "net_amount desc"
