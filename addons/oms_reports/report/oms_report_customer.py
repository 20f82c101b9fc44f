from odoo import models


class OmsReportCustomer(models.Model):
    _name = "oms.report.customer"
    _inherit = ["oms.report.order.mixin"]
    _description = "Top Customers"
    _auto = False
    _order = "net_amount desc"
