from odoo import models


class SaleOrder(models.Model):
    """Confirming or cancelling an order refreshes its customer's lifecycle figures."""

    _inherit = "sale.order"

    def action_confirm(self):
        res = super().action_confirm()
        self._oms_refresh_customer_lifecycle()
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self._oms_refresh_customer_lifecycle()
        return res

    def _oms_refresh_customer_lifecycle(self):
        if self.env.context.get("oms_skip_lifecycle"):
            return
        stats = self.env["oms.customer.stat"]
        for company in self.company_id:
            orders = self.filtered(lambda o, c=company: o.company_id == c)
            # sudo: whoever confirmed or cancelled these orders (a salesperson outside the
            # OMS groups, a portal customer paying online) refreshes the figures of their
            # customers only, written in SQL from the orders; nothing is read back for them.
            stats.sudo().with_company(company)._oms_compute_lifecycle(
                company, orders.partner_id.commercial_partner_id.ids
            )
