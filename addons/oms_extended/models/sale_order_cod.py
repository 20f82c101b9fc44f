from odoo import api, models
from odoo.exceptions import ValidationError

from ..order_states import PAID_STATES

# payment.transaction states in which a customer's choice of a provider holds.
COD_TX_STATES = ("pending", "authorized", "done")


class SaleOrder(models.Model):
    """Cash on delivery, on ``delivery``'s own: the carrier's *Cash on Delivery* allows it,
    and a customer who chooses Odoo's cash-on-delivery provider at checkout makes the
    order a cash-on-delivery order; the carrier collects the value delivered."""

    _inherit = "sale.order"

    @api.constrains("oms_payment_method", "carrier_id")
    def _check_oms_cod_carrier(self):
        for order in self:
            carrier = order.carrier_id
            if order.oms_payment_method == "cod" and carrier and not carrier.allow_cash_on_delivery:
                raise ValidationError(
                    self.env._(
                        "%(carrier)s does not collect cash on delivery (order %(order)s): "
                        "choose a delivery method that allows it (Cash on Delivery on the "
                        "delivery method), or another collection method.",
                        carrier=carrier.name,
                        order=order.name,
                    )
                )

    def _oms_cod_transactions(self):
        """The order's transactions with Odoo's cash-on-delivery provider (``delivery``'s
        ``custom`` provider in ``cash_on_delivery`` mode) that the customer went through
        with at checkout."""
        self.ensure_one()
        return self.transaction_ids.filtered(
            lambda tx: (
                tx.provider_id.custom_mode == "cash_on_delivery" and tx.state in COD_TX_STATES
            )
        )

    def _oms_cod_payment_options(self):
        """How the cash the carrier collects is recorded: for an order paid by Odoo's
        cash-on-delivery provider, in the provider's journal with its payment method line
        and against its transaction (the first payment is the transaction's payment, so
        that Odoo never creates a second one for it); for a cash-on-delivery order set by
        hand, in the company's cash journal (``_oms_default_journal``), since no provider
        says otherwise."""
        self.ensure_one()
        tx = self._oms_cod_transactions()[:1]
        if not tx:
            return {}
        journal = tx.provider_id.journal_id
        if not journal:
            return {}
        options = {
            "journal": journal,
            "payment_method_line": self._oms_payment_method_line(journal, tx.provider_id),
        }
        if not tx.payment_id:
            options["extra_vals"] = {"payment_transaction_id": tx.id}
        return options

    def _oms_cod_delivered_value(self):
        """The value the customer received, taxes included: goods lines for their
        delivered quantity (returns deducted), the other lines (services, delivery
        charges) as soon as goods were delivered."""
        self.ensure_one()
        lines = self.order_line.filtered(lambda line: not line.display_type)
        goods = lines.filtered(lambda line: line.qty_delivered_method == "stock_move")
        value = sum(
            line.price_total * line.qty_delivered / line.product_uom_qty
            for line in goods
            if line.product_uom_qty
        )
        if any(line.qty_delivered > 0 for line in goods):
            value += sum((lines - goods).mapped("price_total"))
        return min(value, self.amount_total)

    def _oms_cod_payments(self):
        self.ensure_one()
        return self.oms_payment_ids.filtered(
            lambda p: (
                p.oms_method == "cod" and p.payment_type == "inbound" and p.state in PAID_STATES
            )
        )

    def _oms_settle_cash_on_delivery(self):
        """Keep what cash on delivery recorded equal to what the carrier collects: the
        value delivered less what the customer paid otherwise. A validated delivery
        records the difference as a cash payment. A validated return never changes the
        books: it cancels only the cash-on-delivery payments that are not collected yet
        (``account.payment._oms_cod_collected``: no posted entry, not paid, matched or
        reconciled; newest first); what was collected stays the customer's credit and
        accounting gets an activity to refund it. No lock date can block it."""
        for order in self.filtered(lambda o: o.oms_payment_method == "cod" and o.state == "sale"):
            currency = order.currency_id
            payments = order._oms_cod_payments()
            collected = sum(payments.mapped("oms_order_amount"))
            paid_otherwise = order.oms_amount_paid - collected
            target = max(order._oms_cod_delivered_value() - paid_otherwise, 0.0)
            cancelled = self.env["account.payment"]
            uncollected = payments.filtered(lambda p: not p._oms_cod_collected())
            for payment in uncollected.sorted("id", reverse=True):
                if currency.compare_amounts(collected, target) <= 0:
                    break
                collected -= payment.oms_order_amount
                cancelled |= payment
            if cancelled:
                cancelled.action_cancel()
                order.message_post(
                    body=self.env._(
                        "Returned: the cash on delivery %(payments)s was not collected and is "
                        "cancelled.",
                        payments=", ".join(cancelled.mapped("name")),
                    )
                )
            if currency.compare_amounts(collected, target) > 0:
                order._oms_cod_ask_accounting_to_refund(collected - target, payments - cancelled)
            elif currency.compare_amounts(target - collected, 0.0) > 0:
                options = order._oms_cod_payment_options()
                payment = order._oms_register_payment(
                    target - collected,
                    "cod",
                    memo=self.env._("Cash on delivery for %s", order.name),
                    **options,
                )
                if options.get("extra_vals"):
                    payment.payment_transaction_id.payment_id = payment

    def _oms_cod_ask_accounting_to_refund(self, excess, payments):
        """Goods came back after their cash on delivery was collected: ``excess`` (order
        currency) stays as the customer's credit, and accounting gets one activity."""
        self.ensure_one()
        amount = self.currency_id.format(excess)
        if any(payments.mapped("is_reconciled")):
            what_to_do = self.env._(
                "The cash is reconciled with the invoice: issue a credit note for the goods "
                "returned, then refund the customer from it or keep it as credit."
            )
        else:
            what_to_do = self.env._(
                "Refund the customer, or keep it as the customer's credit; if the carrier "
                "did not collect it after all, settle it with the carrier."
            )
        note = self.env._(
            "Goods of %(order)s worth %(amount)s came back after their cash on delivery was "
            "collected (%(payments)s). %(what_to_do)s",
            order=self.name,
            amount=amount,
            payments=", ".join(payments.mapped("name")),
            what_to_do=what_to_do,
        )
        self._oms_schedule_refund_activity(note)
        self.message_post(
            body=self.env._(
                "Returned after the cash on delivery was collected: %s stays as the "
                "customer's credit until accounting refunds it.",
                amount,
            )
        )
