import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..order_states import OMS_PAYMENT_STATES, PAID_STATES
from .oms_workflow import PAYMENT_METHODS

# Who may read account.payment in Odoo (its access rights); OMS users are billing users.
PAYMENT_READERS = "account.group_account_invoice,account.group_account_readonly"


class SaleOrder(models.Model):
    """Payment collection on the order: payments, reconciliation and refunds."""

    _inherit = "sale.order"

    oms_payment_state = fields.Selection(
        OMS_PAYMENT_STATES,
        string="Payment Status",
        compute="_compute_oms_payment",
        store=True,
        index=True,
        tracking=True,
    )

    oms_amount_paid = fields.Monetary(
        string="Amount Collected", compute="_compute_oms_payment", store=True
    )

    oms_amount_due = fields.Monetary(
        string="Amount Due", compute="_compute_oms_payment", store=True
    )

    # Payments are shown to those who may read them (billing, accounting and OMS users):
    # a salesperson reads and confirms the order as in plain Odoo (payment status above).
    oms_payment_ids = fields.One2many(
        "account.payment",
        "oms_sale_order_id",
        string="Collected Payments",
        readonly=True,
        groups=PAYMENT_READERS,
    )

    oms_payment_count = fields.Integer(compute="_compute_oms_payment_count", groups=PAYMENT_READERS)

    oms_payment_method = fields.Selection(
        PAYMENT_METHODS,
        string="Collection Method",
        tracking=True,
        help="How the customer pays; selects the automation rule and, for cash on "
        "delivery, records the payment when the delivery is validated.",
    )

    oms_payment_reference = fields.Char(
        string="Bank Transfer Reference",
        compute="_compute_oms_payment_reference",
        store=True,
        index="btree_not_null",
        copy=False,
        help="Reference the customer puts on a bank transfer; incoming bank statement "
        "lines carrying it are matched to the order.",
    )

    @api.depends(
        "amount_total",
        "currency_id",
        "state",
        "oms_payment_ids.state",
        "oms_payment_ids.oms_order_amount",
    )
    def _compute_oms_payment(self):
        for order in self:
            received = refunded = 0.0
            for payment in order.oms_payment_ids:
                if payment.state not in PAID_STATES:
                    continue
                if payment.oms_order_amount >= 0:
                    received += payment.oms_order_amount
                else:
                    refunded -= payment.oms_order_amount
            paid = received - refunded
            order.oms_amount_paid = paid
            order.oms_payment_state = order._oms_payment_state_from(paid, refunded)
            due = order.amount_total - paid
            order.oms_amount_due = 0.0 if order.state == "cancel" or due < 0 else due

    def _oms_payment_state_from(self, paid, refunded):
        self.ensure_one()
        currency = self.currency_id
        if refunded and currency.compare_amounts(paid, 0.0) <= 0:
            return "refunded"
        if currency.compare_amounts(paid, 0.0) <= 0:
            return "not_paid"
        comparison = currency.compare_amounts(paid, self.amount_total)
        if comparison < 0:
            return "partial"
        return "paid" if comparison == 0 else "over_paid"

    def _compute_oms_payment_count(self):
        counts = dict(
            self.env["account.payment"]._read_group(
                [("oms_sale_order_id", "in", self.ids)], ["oms_sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.oms_payment_count = counts.get(order, 0)

    @api.depends("name")
    def _compute_oms_payment_reference(self):
        for order in self:
            order.oms_payment_reference = order._oms_make_payment_reference()

    def _oms_make_payment_reference(self):
        """The order name without separators and two ISO 7064 mod 97 check digits."""
        self.ensure_one()
        base = re.sub(r"[^0-9A-Z]", "", (self.name or "").upper())
        if not base or base == "NEW":
            return False
        digits = "".join(str(int(char, 36)) for char in base)
        return f"{base}{98 - (int(digits) * 100) % 97:02d}"

    def action_oms_register_payment(self):
        self.ensure_one()
        self._oms_check_can_collect()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "oms_extended.action_oms_order_payment"
        )
        action["context"] = {"default_order_id": self.id}
        return action

    def action_oms_view_payments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_account_payments")
        action["domain"] = [("oms_sale_order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def _oms_check_can_collect(self):
        for order in self:
            if order.state == "cancel":
                raise UserError(
                    self.env._(
                        "Order %s is cancelled: it cannot take a payment. Set it back to "
                        "quotation first.",
                        order.name,
                    )
                )

    def _oms_check_currency(self, currency, date):
        """Refuse a payment currency the company cannot convert on that date."""
        self.ensure_one()
        company = self.company_id
        for cur in currency | self.currency_id:
            if cur == company.currency_id:
                continue
            rate = self.env["res.currency.rate"].search_count(
                [
                    ("currency_id", "=", cur.id),
                    ("company_id", "in", [False, company.root_id.id, company.id]),
                    ("name", "<=", date),
                ],
                limit=1,
            )
            if not rate:
                raise UserError(
                    self.env._(
                        "No exchange rate for %(currency)s on or before %(date)s in %(company)s: "
                        "add the rate in Accounting > Configuration > Currencies, then "
                        "register the payment again.",
                        currency=cur.name,
                        date=date,
                        company=company.name,
                    )
                )

    def _oms_lock(self):
        """Lock the orders' rows until the transaction ends, then read their amounts
        afresh: two payments of one order at once are checked one after the other (the
        second waits, then Odoo retries it on the serialization failure and it sees the
        first)."""
        self.env.cr.execute(
            SQL("SELECT id FROM sale_order WHERE id = ANY(%s) FOR NO KEY UPDATE", self.ids)
        )
        self.invalidate_recordset(["state", "oms_amount_paid", "oms_amount_due"])

    def _oms_default_journal(self, method):
        """The company's first cash journal for cash (and cash on delivery set by hand),
        its first bank journal otherwise. Odoo has no journal per collection method; the
        payment method line is then Odoo's (``_oms_payment_method_line``)."""
        self.ensure_one()
        journal_type = "cash" if method in ("cash", "cod") else "bank"
        return self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(self.company_id),
                ("type", "=", journal_type),
            ],
            limit=1,
        )

    def _oms_payment_method_line(self, journal, provider=None):
        """The inbound payment method line of ``journal`` a payment of the order takes,
        among the lines Odoo offers (``_get_available_payment_method_lines``, which leaves
        out disabled providers): the provider's own line; else the customer's preferred
        inbound method, as ``account.payment`` defaults it; else the journal's *Manual*
        line, else its first. Ours differs from ``account.payment``'s default only in
        preferring the *Manual* line to a provider's line (a payment the provider did not
        make must not look like one of its payouts)."""
        self.ensure_one()
        lines = journal._get_available_payment_method_lines("inbound")
        if provider:
            own = lines.filtered(lambda line: line.payment_provider_id == provider)
            if own:
                return own[:1]
        partner = self.partner_invoice_id.commercial_partner_id.with_company(self.company_id)
        preferred = partner.property_inbound_payment_method_line_id
        if preferred and preferred in lines:
            return preferred
        manual = lines.filtered(lambda line: line.code == "manual" and not line.payment_provider_id)
        return manual[:1] or lines[:1]

    def _oms_register_payment(
        self,
        amount,
        method,
        *,
        journal=None,
        currency=None,
        date=None,
        memo=None,
        allow_overpayment=False,
        payment_method_line=None,
        extra_vals=None,
    ):
        """Record money received for the order as a posted ``account.payment``.

        Checks everything first, so that bad input changes nothing."""
        self.ensure_one()
        self._oms_lock()
        self._oms_check_can_collect()
        currency = currency or self.currency_id
        date = date or fields.Date.context_today(self)
        journal = journal or self._oms_default_journal(method)
        if currency.compare_amounts(amount, 0.0) <= 0:
            raise UserError(self.env._("The payment amount must be positive."))
        if not journal:
            raise UserError(
                self.env._(
                    "No journal for %(method)s payments in %(company)s: create a bank or "
                    "cash journal.",
                    method=method,
                    company=self.company_id.name,
                )
            )
        self._oms_check_currency(currency, date)
        in_order_currency = currency._convert(amount, self.currency_id, self.company_id, date)
        over = self.currency_id.compare_amounts(in_order_currency, self.oms_amount_due) > 0
        if over and not allow_overpayment:
            raise UserError(
                self.env._(
                    "%(amount)s is more than the %(due)s due on %(order)s. Enter the amount due, "
                    "or accept the over-payment to keep the difference as customer credit.",
                    amount=currency.format(amount),
                    due=self.currency_id.format(self.oms_amount_due),
                    order=self.name,
                )
            )
        line = payment_method_line or self._oms_payment_method_line(journal)
        if line and line not in journal._get_available_payment_method_lines("inbound"):
            raise UserError(
                self.env._(
                    "%(method)s is not a payment method of the journal %(journal)s: choose one "
                    "of the journal's incoming payment methods.",
                    method=line.display_name,
                    journal=journal.display_name,
                )
            )
        vals = {
            "payment_type": "inbound",
            "partner_type": "customer",
            "partner_id": self.partner_invoice_id.commercial_partner_id.id,
            "amount": amount,
            "currency_id": currency.id,
            "date": date,
            "journal_id": journal.id,
            "company_id": self.company_id.id,
            "payment_method_line_id": line.id,
            "memo": memo or self.oms_payment_reference or self.name,
            "oms_sale_order_id": self.id,
            "oms_method": method,
            **(extra_vals or {}),
        }
        payment = self.env["account.payment"].create(vals)
        payment.action_post()
        self._oms_reconcile_payments()
        if over:
            self.message_post(
                body=self.env._(
                    "Over-payment: %s more than the order total is kept as customer credit.",
                    self.currency_id.format(self.oms_amount_paid - self.amount_total),
                )
            )
        return payment

    def _oms_reconcile_payments(self):
        """Reconcile the orders' posted payments with their posted invoices, every
        order's lines in one reconciliation plan (one batch for the whole set)."""
        plan = []
        for order in self:
            invoices = order.invoice_ids.filtered(
                lambda m: (
                    m.state == "posted"
                    and m.move_type == "out_invoice"
                    and m.payment_state not in ("paid", "in_payment", "reversed")
                )
            )
            if not invoices:
                continue
            payments = order.oms_payment_ids.filtered(
                lambda p: p.state in PAID_STATES and p.payment_type == "inbound" and p.move_id
            )
            if not payments:
                continue
            open_lines = (payments.move_id.line_ids | invoices.line_ids).filtered(
                lambda aml: not aml.reconciled
            )
            for account in invoices.line_ids.filtered(
                lambda aml: aml.display_type == "payment_term"
            ).account_id:
                lines = open_lines.filtered(lambda aml, acc=account: aml.account_id == acc)
                if any(aml.balance > 0 for aml in lines) and any(aml.balance < 0 for aml in lines):
                    plan.append(lines)
        if not plan:
            return
        # An invoice shared by several orders: its lines go in one reconciliation.
        groups, owner = [], {}
        for lines in plan:
            hits = sorted({owner[line_id] for line_id in lines.ids if line_id in owner})
            if not hits:
                index = len(groups)
                groups.append(lines)
            else:
                index = hits[0]
                for other in hits[1:]:
                    groups[index] |= groups[other]
                    groups[other] = None
                groups[index] |= lines
            owner.update(dict.fromkeys(groups[index].ids, index))
        self.env["account.move.line"]._reconcile_plan([group for group in groups if group])
