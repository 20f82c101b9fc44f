from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _oms_api_read(self):
        orders = super()._oms_api_read()
        orders._oms_audit_log_view()  # channel "api", from the request's path
        return orders
