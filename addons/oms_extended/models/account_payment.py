from odoo import api, fields, models

from .oms_workflow import PAYMENT_METHODS


class AccountPayment(models.Model):
    _inherit = "account.payment"

    oms_sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index="btree_not_null",
        copy=False,
        check_company=True,
        help="The order this payment was collected for (deposit, payment or refund).",
    )
    oms_order_amount = fields.Monetary(
        string="Amount in Order Currency",
        currency_field="oms_order_currency_id",
        compute="_compute_oms_order_amount",
        store=True,
        help="Signed amount (refunds are negative) converted at the payment date.",
    )
    oms_order_currency_id = fields.Many2one(
        related="oms_sale_order_id.currency_id", string="Order Currency"
    )
    oms_method = fields.Selection(
        selection=PAYMENT_METHODS,
        string="Collection Method",
        copy=False,
    )

    # A provider notification received twice must never record two payments.
    _oms_unique_transaction = models.UniqueIndex(
        "(payment_transaction_id) WHERE payment_transaction_id IS NOT NULL",
        "A payment already exists for this payment transaction.",
    )

    @api.depends("amount", "currency_id", "date", "payment_type", "oms_sale_order_id.currency_id")
    def _compute_oms_order_amount(self):
        for payment in self:
            order = payment.oms_sale_order_id
            if not order or not payment.currency_id:
                payment.oms_order_amount = 0.0
                continue
            amount = payment.currency_id._convert(
                payment.amount,
                order.currency_id,
                payment.company_id,
                payment.date or fields.Date.context_today(payment),
            )
            payment.oms_order_amount = amount if payment.payment_type == "inbound" else -amount

    @api.model_create_multi
    def create(self, vals_list):
        payments = super().create(vals_list)
        payments.oms_sale_order_id._oms_mark_for_automation()
        return payments

    def write(self, vals):
        orders = self.oms_sale_order_id
        res = super().write(vals)
        if "state" in vals or "oms_sale_order_id" in vals:
            (orders | self.oms_sale_order_id)._oms_mark_for_automation()
        return res

    # ------------------------------------------------------------------ refunds

    def _oms_provider_can_refund(self, amount):
        """Whether ``amount`` (payment currency) can go back through the payment
        provider the money came from (card, PayPal)."""
        self.ensure_one()
        tx = self.sudo().payment_transaction_id
        if not tx or tx.operation == "refund":
            return False
        currency = self.currency_id
        if currency.compare_amounts(self.amount_available_for_refund, amount) < 0:
            return False
        return tx.provider_id.support_refund == "partial" or not currency.compare_amounts(
            amount, self.amount
        )

    def _oms_refund(self, amount, order):
        """Give ``amount`` (payment currency) of this inbound payment back to the
        customer of ``order``: through the payment provider when it refunds (its refund
        payment is recorded when the provider confirms), otherwise as an outbound
        payment in the journal the money came in.

        :return: the refund transaction, or the posted refund payment
        """
        self.ensure_one()
        if self._oms_provider_can_refund(amount):
            tx = self.sudo().payment_transaction_id.with_context(payment_backend_action=True)
            return tx._refund(amount_to_refund=amount)
        refund = self.env["account.payment"].create(
            {
                "payment_type": "outbound",
                "partner_type": "customer",
                "partner_id": self.partner_id.id,
                "amount": amount,
                "currency_id": self.currency_id.id,
                "journal_id": self.journal_id.id,
                "company_id": self.company_id.id,
                "payment_method_line_id": self.journal_id.outbound_payment_method_line_ids[:1].id,
                "memo": self.env._("Refund of %s", self.name),
                "oms_sale_order_id": order.id,
                "oms_method": self.oms_method,
            }
        )
        refund.action_post()
        self._oms_reconcile_refund(refund)
        return refund

    def _oms_reconcile_refund(self, refund):
        """Reconcile this inbound payment with the outbound payment refunding it."""
        self.ensure_one()
        (refund.move_id.line_ids | self.move_id.line_ids).filtered(
            lambda aml, acc=self.destination_account_id: (
                aml.account_id == acc and not aml.reconciled
            )
        ).reconcile()
