from odoo import models
from odoo.tools import SQL


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _oms_order(self):
        """The one sales order the transaction pays, if any."""
        self.ensure_one()
        orders = self.sale_order_ids or self.source_transaction_id.sale_order_ids
        return orders if len(orders) == 1 else orders.browse()

    def _oms_method(self):
        self.ensure_one()
        code = self.payment_method_code or ""
        return "paypal" if code == "paypal" else "card"

    def _create_payment(self, **extra_create_values):
        # The provider's notification, the customer's status poll and Odoo's post-processing
        # cron may create the payment of one transaction at the same time: the second waits
        # for the first here, then fails to serialize and is retried (Odoo's retrying, or the
        # cron's next run), sees the payment and creates none. Without the lock it would hit
        # the unique index on the transaction, an error that is not retried.
        self.env.cr.execute(
            SQL("SELECT id FROM payment_transaction WHERE id = %s FOR NO KEY UPDATE", self.id)
        )
        order = self._oms_order()
        if order:
            extra_create_values.setdefault("oms_sale_order_id", order.id)
            extra_create_values.setdefault(
                "oms_method", order.oms_payment_method or self._oms_method()
            )
        payment = super()._create_payment(**extra_create_values)
        if self.operation == "refund" and payment.source_payment_id:
            payment.source_payment_id._oms_reconcile_refund(payment)
        order._oms_reconcile_payments()
        return payment

    def _check_amount_and_confirm_order(self):
        # The order's automation rule decides; "never" keeps the quotation as is.
        held = self.sale_order_ids.filtered(lambda o: o.oms_workflow_id.confirm_policy == "never")
        if not held:
            return super()._check_amount_and_confirm_order()
        return super(
            PaymentTransaction, self.filtered(lambda tx: not tx.sale_order_ids & held)
        )._check_amount_and_confirm_order()

    def _post_process(self):
        res = super()._post_process()
        # Event: a confirmed payment runs the order's automation at once.
        self.filtered(lambda tx: tx.state == "done").sale_order_ids._oms_run_automation()
        return res

    def _set_error(self, state_message, extra_allowed_states=()):
        txs = super()._set_error(state_message, extra_allowed_states=extra_allowed_states)
        for tx in txs.filtered(lambda t: t.operation != "validation"):
            orders = tx.sale_order_ids.filtered(lambda o: o.state != "cancel")
            orders._oms_set_exception(
                "payment",
                self.env._(
                    "Payment %(ref)s by %(provider)s failed: %(reason)s",
                    ref=tx.reference,
                    provider=tx.provider_id.name,
                    reason=state_message,
                ),
            )
        return txs
