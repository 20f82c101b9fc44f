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
        recursive=True,  # a refund is valued at the rate of the payment it gives back
        help="Signed amount (refunds are negative) converted at the payment date; a refund "
        "of a payment is worth the part of that payment it gives back.",
    )
    oms_order_currency_id = fields.Many2one(
        related="oms_sale_order_id.currency_id", string="Order Currency"
    )
    oms_refunded_payment_id = fields.Many2one(
        "account.payment",
        string="Refund Of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The order's payment this outbound payment gives back.",
    )
    oms_method = fields.Selection(
        selection=PAYMENT_METHODS,
        string="Collection Method",
        copy=False,
        help="How the order's money came in. A payment of an order recorded elsewhere in "
        "Odoo (Register Payment on the invoice, a payment provider) gets the method Odoo's "
        "records say: its transaction's provider and payment method, else its journal.",
    )

    # A provider notification received twice must never record two payments.
    _oms_unique_transaction = models.UniqueIndex(
        "(payment_transaction_id) WHERE payment_transaction_id IS NOT NULL",
        "A payment already exists for this payment transaction.",
    )

    @api.depends(
        "amount",
        "currency_id",
        "date",
        "payment_type",
        "oms_sale_order_id.currency_id",
        "oms_refunded_payment_id.oms_order_amount",
        "source_payment_id.oms_order_amount",
    )
    def _compute_oms_order_amount(self):
        for payment in self:
            order = payment.oms_sale_order_id
            if not order or not payment.currency_id:
                payment.oms_order_amount = 0.0
                continue
            source = payment.oms_refunded_payment_id or payment.source_payment_id
            if (
                payment.payment_type == "outbound"
                and source.oms_sale_order_id == order
                and source.currency_id == payment.currency_id
                and source.amount
            ):
                # A refund gives back part of what the source brought in: it is worth that
                # part of the source in the order's currency, whatever today's rate.
                payment.oms_order_amount = -order.currency_id.round(
                    payment.amount * source.oms_order_amount / source.amount
                )
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
        for payment in payments.filtered(lambda p: p.oms_sale_order_id and not p.oms_method):
            payment.oms_method = payment._oms_method_from_odoo()
        payments.oms_sale_order_id._oms_mark_for_automation()
        return payments

    def _oms_method_from_odoo(self):
        """Our collection method (the class the automation rules and reports use) from
        Odoo's records: the transaction's (``payment.transaction._oms_method``), else the
        journal's type (cash, bank transfer). Ours is a class over Odoo's payment methods
        and journals, not a copy of them: rules apply to "card" whatever the provider."""
        self.ensure_one()
        if self.payment_transaction_id:
            return self.payment_transaction_id._oms_method()
        return {"cash": "cash", "bank": "bank_transfer"}.get(self.journal_id.type, "other")

    def write(self, vals):
        orders = self.oms_sale_order_id
        res = super().write(vals)
        if "state" in vals or "oms_sale_order_id" in vals:
            (orders | self.oms_sale_order_id)._oms_mark_for_automation()
        return res

    # ------------------------------------------------------------------ refunds

    def _oms_refundable_amount(self):
        """What is left to give back of this inbound payment, in its own currency: its
        counterpart (the customer's receivable) not yet reconciled with a refund or an
        invoice, i.e. the customer credit it still makes; the whole amount when it has no
        journal entry."""
        self.ensure_one()
        if not self.move_id:
            return self.amount
        counterpart = self._seek_for_lines()[1]
        return -sum(counterpart.mapped("amount_residual_currency"))

    def _oms_cod_collected(self):
        """Whether this cash-on-delivery payment is in the company's books, i.e. the cash
        counts as collected and only accounting may change it: its journal entry is posted
        (always so in Community, where every payment gets one with an outstanding account),
        or Odoo counts it paid, matched with a bank statement line (deposited) or
        reconciled. A payment in process without a posted entry (a setup where payments
        reach the books only when the bank statement is matched) says only what the carrier
        is to bring."""
        self.ensure_one()
        return (
            self.state == "paid"
            or self.is_matched
            or self.is_reconciled
            or self.move_id.state == "posted"
        )

    def _oms_provider_can_refund(self, amount):
        """Whether ``amount`` (payment currency) can go back through the payment
        provider the money came from (card, PayPal)."""
        self.ensure_one()
        currency = self.currency_id
        # Odoo's own figure: zero unless a transaction made the payment and its provider
        # and method refund; less the refunds that provider already confirmed.
        available = self.amount_available_for_refund
        if currency.compare_amounts(available, 0.0) <= 0:
            return False
        if currency.compare_amounts(available, amount) < 0:
            return False
        # Reads only the refund capability of the provider and its method, as Odoo's own
        # refund wizard does (payment.refund.wizard): users need not read providers.
        # sudo: reads two refund flags of this payment's own transaction, writes nothing.
        tx_sudo = self.payment_transaction_id.sudo()
        method = tx_sudo.payment_method_id.primary_payment_method_id or tx_sudo.payment_method_id
        full_only = "full_only" in (tx_sudo.provider_id.support_refund, method.support_refund)
        return not full_only or not currency.compare_amounts(amount, available)

    def _oms_refund(self, amount, order):
        """Give ``amount`` (payment currency) of this inbound payment back to the
        customer of ``order``: through the payment provider when it refunds (its refund
        payment is recorded when the provider confirms), otherwise as an outbound
        payment in the journal the money came in. Runs with the rights of the user, who
        must be allowed to refund (see ``sale.order._oms_may_move_money``).

        :return: the refund transaction, or the posted refund payment
        """
        self.ensure_one()
        if self._oms_provider_can_refund(amount):
            tx = self.payment_transaction_id
            # As Odoo's refund button (payment.transaction.action_refund): the user's write
            # access to the transaction is checked, then the provider is called as superuser.
            tx.check_access("write")
            return (
                # sudo: the user's write access to this transaction is checked just above.
                tx.sudo().with_context(payment_backend_action=True)._refund(amount_to_refund=amount)
            )
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
                "oms_refunded_payment_id": self.id,
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
