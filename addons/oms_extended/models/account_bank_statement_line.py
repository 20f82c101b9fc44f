import logging
import re

from odoo import api, fields, models
from odoo.fields import Command, Domain

from ..concurrency import RETRYABLE_ERRORS

_logger = logging.getLogger(__name__)


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    oms_sale_order_id = fields.Many2one(
        "sale.order", string="Matched Order", readonly=True, copy=False, index="btree_not_null"
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.context.get("oms_no_statement_matching"):
            lines._oms_match_sale_orders()
        return lines

    @staticmethod
    def _oms_tokens(text):
        """Words of a bank label, upper-cased, without separators inside them."""
        return {
            re.sub(r"[^0-9A-Z]", "", word)
            for word in re.split(r"[\s,;:()]+", (text or "").upper())
            if word
        } - {""}

    def _oms_line_tokens(self):
        self.ensure_one()
        return self._oms_tokens(" ".join(filter(None, [self.payment_ref, self.transaction_type])))

    def _oms_candidate_orders(self, tokens):
        """The open orders whose payment reference or name is among ``tokens``:
        one query for every line being matched."""
        if not tokens:
            return self.env["sale.order"]
        return self.env["sale.order"].search(
            Domain("company_id", "in", self.company_id.ids)
            & Domain("state", "!=", "cancel")
            & (Domain("oms_payment_reference", "in", tokens) | Domain("name", "in", tokens))
        )

    def _oms_find_order(self, candidates=None):
        """The order an incoming line pays: its payment reference in the label, or
        the order name in the label and the amount due (or total) as the amount."""
        self.ensure_one()
        tokens = self._oms_line_tokens()
        if candidates is None:
            candidates = self._oms_candidate_orders(list(tokens))
        orders = candidates.filtered(
            lambda o: (
                o.company_id == self.company_id
                and (o.oms_payment_reference in tokens or o.name in tokens)
            )
        )
        by_reference = orders.filtered(lambda o: o.oms_payment_reference in tokens)
        if len(by_reference) == 1:
            return by_reference
        amount = self.amount_currency if self.foreign_currency_id else self.amount
        currency = self.foreign_currency_id or self.currency_id
        by_name = orders.filtered(
            lambda o: (
                o.currency_id == currency
                and o.oms_amount_due > 0
                and (
                    currency.compare_amounts(o.oms_amount_due, amount) == 0
                    or currency.compare_amounts(o.amount_total, amount) == 0
                )
            )
        )
        return by_name if len(by_name) == 1 else self.env["sale.order"]

    def _oms_match_sale_orders(self):
        """Turn incoming lines that pay an order into payments of that order."""
        lines = self.filtered(lambda st: st.amount > 0 and not st.oms_sale_order_id)
        tokens = set().union(*(line._oms_line_tokens() for line in lines)) if lines else set()
        candidates = lines._oms_candidate_orders(list(tokens))
        for line in lines:
            order = line._oms_find_order(candidates)
            if not order:
                continue
            try:
                with self.env.cr.savepoint():
                    line._oms_pay_order(order)
            except RETRYABLE_ERRORS:
                raise  # another transaction got there first: Odoo retries the import
            except Exception as error:
                _logger.warning(
                    "Statement line %s not matched to %s: %s", line.id, order.name, error
                )

    def _oms_pay_order(self, order):
        self.ensure_one()
        currency = self.foreign_currency_id or self.currency_id
        amount = self.amount_currency if self.foreign_currency_id else self.amount
        payment = order._oms_register_payment(
            amount,
            "bank_transfer",
            journal=self.journal_id,
            currency=currency,
            date=self.date,
            memo=self.payment_ref,
            allow_overpayment=True,
        )
        liquidity = payment._seek_for_lines()[0]
        suspense = self.with_context(skip_account_move_synchronization=True)._seek_for_lines()[1]
        suspense.account_id = liquidity.account_id
        suspense.partner_id = payment.partner_id
        (suspense | liquidity).reconcile()
        self.with_context(skip_account_move_synchronization=True).write(
            {
                "oms_sale_order_id": order.id,
                "partner_id": payment.partner_id.id,
                "payment_ids": [Command.link(payment.id)],
            }
        )
        return payment
