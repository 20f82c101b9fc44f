from odoo import api, models


class OmsDemo(models.AbstractModel):
    """Access-log entries and stage progress: an order taken through its stages."""

    _inherit = "oms.demo"

    @api.model
    def _oms_demo_build_audit(self):
        """A quotation created, looked at by the salesperson, confirmed, delivered and
        invoiced: the access log records each step (creation, view, stage changes of the
        order, its delivery and its invoice)."""
        a, *_others = self._oms_demo_customers()
        grinder, kettle, _beans = self._oms_demo_products()
        order = self._oms_demo_order(a, [(grinder, 1), (kettle, 1)], "card", confirm=False)
        salesperson = self.env.ref("base.user_admin", raise_if_not_found=False)
        viewer = order.with_user(salesperson) if salesperson else order
        viewer._oms_audit_log_view()
        order.action_confirm()
        self._oms_demo_pay(order, "card")
        self._oms_demo_deliver(order)
        self._oms_demo_invoice(order)
        order._oms_reconcile_payments()
        return order
