from markupsafe import Markup

from odoo import models

from ..order_states import PAID_STATES


class SaleOrder(models.Model):
    """Cancelling a paid order: a refund by users who may move money, otherwise an
    activity for accounting (see USAGE.md, *Who may move money*)."""

    _inherit = "sale.order"

    def _action_cancel(self):
        paid = self.filtered(
            lambda o: (
                o.state != "cancel" and o.currency_id.compare_amounts(o.oms_amount_paid, 0) > 0
            )
        )
        # A posted invoice holds the payments: cancelling the order leaves them to the
        # accountant (a credit note, then its refund), as plain Odoo does.
        invoiced = paid.filtered(
            lambda o: o.invoice_ids.filtered(
                lambda m: m.state == "posted" and m.move_type == "out_invoice"
            )
        )
        res = super()._action_cancel()
        to_refund = paid - invoiced
        if to_refund and to_refund._oms_may_move_money():
            to_refund._oms_refund_payments()
        elif to_refund:
            # No money moves for someone who may not move it (a salesperson, a customer
            # declining on the portal): the payments stay as the customer's credit.
            to_refund._oms_ask_accounting_to_refund()
        for order in invoiced:
            order.message_post(
                body=self.env._(
                    "Cancelled with a posted invoice: its payments stay on the invoice. Issue a "
                    "credit note for the invoice, then refund the customer from it."
                )
            )
        return res

    def _oms_may_move_money(self):
        """Whether the current user may give the customers' money back, as in Odoo's web
        client: billing rights (Invoicing / Accounting, which take and refund payments)
        or the OMS user group. The user's own groups, also in superuser mode."""
        user = self.env.user
        return user.has_group("account.group_account_invoice") or user.has_group(
            "oms_extended.group_oms_user"
        )

    def _oms_refund_payments(self):
        """Give back what a cancelled order collected, with the rights of the user: through
        the payment provider for card and PayPal payments, as outbound payments in the
        journals the money came in otherwise. Each payment is refunded in its own currency
        for what is left of it; nothing is converted at today's rate."""
        for order in self:
            currency = order.currency_id
            to_refund = order.oms_amount_paid  # order currency, net of the refunds so far
            inbound = order.oms_payment_ids.filtered(
                lambda p: p.state in PAID_STATES and p.payment_type == "inbound" and p.amount
            ).sorted("id", reverse=True)
            refunded, notes = [], []
            for payment in inbound:
                if currency.compare_amounts(to_refund, 0.0) <= 0:
                    break
                amount = payment._oms_refundable_amount()
                if payment.currency_id.compare_amounts(amount, 0.0) <= 0:
                    continue
                # The payment's own rate (at its date), never today's.
                rate = payment.oms_order_amount / payment.amount
                part = currency.round(amount * rate)
                if currency.compare_amounts(part, to_refund) > 0:
                    part = to_refund
                    amount = payment.currency_id.round(to_refund / rate)
                refund = payment._oms_refund(amount, order)
                refunded.append(
                    self.env._(
                        "%(amount)s of %(payment)s",
                        amount=payment.currency_id.format(amount),
                        payment=payment.name,
                    )
                )
                if refund._name == "payment.transaction":
                    # Only read: its provider, state and reference for the chatter.
                    notes.append(order._oms_provider_refund_note(refund, payment))
                to_refund -= part
            order.message_post(
                body=Markup("<br/>").join(
                    [
                        self.env._(
                            "Order cancelled: refunded to the customer: %s.",
                            ", ".join(refunded) or "-",
                        ),
                        *notes,
                    ]
                )
            )

    def _oms_ask_accounting_to_refund(self):
        """The orders were cancelled by someone who may not refund: nothing is refunded,
        what they collected stays as the customer's credit, and accounting gets one
        activity per order to refund it."""
        for order in self:
            note = self.env._(
                "%(order)s was cancelled by %(user)s with %(amount)s collected and no posted "
                "invoice. Refund the customer from the order's payments (Payments smart "
                "button), or keep the amount as the customer's credit.",
                order=order.name,
                user=self.env.user.name,
                amount=order.currency_id.format(order.oms_amount_paid),
            )
            order._oms_schedule_refund_activity(note)
            order.message_post(
                body=self.env._(
                    "Order cancelled without a refund: the %s collected stays as the "
                    "customer's credit until accounting refunds it.",
                    order.currency_id.format(order.oms_amount_paid),
                )
            )

    def _oms_schedule_refund_activity(self, note):
        """One open "refund" activity on the order for accounting: the existing one gets
        the new note, otherwise one is assigned to ``_oms_refund_responsible``."""
        self.ensure_one()
        xmlid = "oms_extended.mail_activity_type_oms_refund"
        activity_type = self.env.ref(xmlid, raise_if_not_found=False)
        activity = self.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)[:1]
        if activity_type and activity:
            activity.note = note
            return activity
        return self.activity_schedule(
            xmlid,
            summary=self.env._("Refund the customer"),
            note=note,
            user_id=self._oms_refund_responsible().id,
        )

    def _oms_refund_responsible(self):
        """Who is asked to refund: the first (oldest) active internal user of the order's
        company with accounting administrator rights, else with billing rights, else the
        user who caused it."""
        self.ensure_one()
        Users = self.env["res.users"]
        for xmlid in ("account.group_account_manager", "account.group_account_invoice"):
            group = self.env.ref(xmlid)
            user = Users.search(
                [
                    ("all_group_ids", "in", group.ids),
                    ("company_ids", "in", self.company_id.ids),
                    ("share", "=", False),
                ],
                order="id",
                limit=1,
            )
            if user:
                return user
        return self.env.user

    def _oms_provider_refund_note(self, refund_tx, payment):
        provider = refund_tx.provider_id.name
        amount = refund_tx.currency_id.format(-refund_tx.amount)
        if refund_tx.state == "error":
            return self.env._(
                "The refund of %(amount)s through %(provider)s failed (%(reason)s): "
                "refund %(payment)s by hand.",
                amount=amount,
                provider=provider,
                reason=refund_tx.state_message or "",
                payment=payment.name,
            )
        return self.env._(
            "%(amount)s of %(payment)s is refunded through %(provider)s (%(reference)s); "
            "the refund payment is recorded when %(provider)s confirms it.",
            amount=amount,
            payment=payment.name,
            provider=provider,
            reference=refund_tx.reference,
        )
