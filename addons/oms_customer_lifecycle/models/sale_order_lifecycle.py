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
            # The figures are company-wide data written in SQL, and a retention opportunity
            # may follow: whoever may confirm or cancel the order (a salesperson outside the
            # OMS groups, a portal customer paying online) refreshes them as superuser.
            stats.sudo().with_company(company)._oms_compute_lifecycle(
                company, orders.partner_id.commercial_partner_id.ids
            )
