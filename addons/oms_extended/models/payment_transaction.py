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
        """The collection method Odoo's records say: the provider's custom mode for
        ``payment_custom``'s providers (``delivery``'s cash on delivery, wire transfer),
        else the payment method's code (``paypal``; every other online method counts as
        a card payment, our one class for them)."""
        self.ensure_one()
        mode = self.provider_id.custom_mode if self.provider_code == "custom" else False
        if mode == "cash_on_delivery":
            return "cod"
        if mode == "wire_transfer":
            return "bank_transfer"
        code = self.payment_method_id.primary_payment_method_id.code or self.payment_method_code
        return "paypal" if code == "paypal" else "card"

    def _oms_is_pending_cod(self):
        self.ensure_one()
        return self.provider_id.custom_mode == "cash_on_delivery" and self.state == "pending"

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
            extra_create_values.setdefault("oms_method", self._oms_method())
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
        # The customer chose Odoo's cash on delivery at checkout: the order is a cash-on-
        # delivery order for the automation before ``delivery`` confirms it (its own
        # ``_post_process``, which confirms only quotations, so never twice); the cash is
        # recorded when the delivery is validated (``sale.order._oms_settle_cash_on_delivery``).
        cod_orders = self.filtered(lambda tx: tx._oms_is_pending_cod()).sale_order_ids
        cod_orders.filtered(
            lambda o: o.state != "cancel" and o.oms_payment_method != "cod"
        ).oms_payment_method = "cod"
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
