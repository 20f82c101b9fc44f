from odoo import models


class OmsReportChannel(models.Model):
    _name = "oms.report.channel"
    _inherit = ["oms.report.order.mixin"]
    _description = "Top Channels"
    _auto = False
    _order = "net_amount desc"
