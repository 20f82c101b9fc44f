import logging
import re
from itertools import groupby

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command, Domain

from .oms_workflow import PAYMENT_METHODS

_logger = logging.getLogger(__name__)

OMS_STATES = [
    ("quotation", "Quotation"),
    ("awaiting_payment", "Awaiting Payment"),
    ("ready_to_ship", "Ready to Ship"),
    ("partially_shipped", "Partially Shipped"),
    ("shipped", "Shipped"),
    ("delivered", "Delivered"),
    ("invoiced", "Invoiced"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
    ("exception", "Exception"),
]
OMS_PAYMENT_STATES = [
    ("not_paid", "Not Paid"),
    ("partial", "Partially Paid"),
    ("paid", "Paid"),
    ("over_paid", "Over-paid"),
    ("refunded", "Refunded"),
]
# Automation steps, in the order they run; each has a `_oms_step_<code>` method that
# works on a recordset and an `_oms_step_<code>_needed` predicate.
OMS_STEPS = [
    ("confirm", "Confirm the quotation"),
    ("mail", "Send the confirmation e-mail"),
    ("deliver", "Validate the service / drop-ship delivery"),
    ("invoice", "Create the invoice"),
    ("post", "Post the invoice"),
    ("reconcile", "Reconcile the collected payments with the invoice"),
]
PAID_STATES = ("in_process", "paid")
AUTOMATION_CTX = "oms_automation_running"


class OmsStepError(Exception):
    """An automation step failed for an order."""

    def __init__(self, step, error):
        super().__init__(f"{step}: {error}")
        self.step = step
        self.error = error


class SaleOrder(models.Model):
    _inherit = "sale.order"

    oms_state = fields.Selection(
        OMS_STATES,
        string="Order Status",
        compute="_compute_oms_state",
        store=True,
        index=True,
        tracking=True,
        group_expand="_read_group_expand_oms_state",
        help="Where the order is in its journey, summed up from the order, delivery, "
        "invoice and payment states.",
    )
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
    oms_payment_ids = fields.One2many(
        "account.payment", "oms_sale_order_id", string="Collected Payments", readonly=True
    )
    oms_payment_count = fields.Integer(compute="_compute_oms_payment_count")
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
    oms_workflow_id = fields.Many2one(
        "oms.workflow",
        string="Automation Rule",
        compute="_compute_oms_workflow_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        check_company=True,
        tracking=True,
    )
    oms_exception_type = fields.Selection(
        [
            ("payment", "Payment Failed"),
            ("shipment", "Shipment Exception"),
            ("automation", "Automation Step Failed"),
        ],
        string="Exception",
        copy=False,
        tracking=True,
    )
    oms_exception_reason = fields.Text(string="Exception Reason", copy=False)
    oms_delivered = fields.Boolean(
        string="Delivered to Customer",
        copy=False,
        help="Set when the customer received the goods (carrier confirmation, manual "
        "confirmation, or validated service / drop-ship delivery).",
    )
    oms_needs_automation = fields.Boolean(default=True, copy=False)

    _oms_automation_todo_idx = models.Index("(id) WHERE oms_needs_automation")

    # ------------------------------------------------------------------ computes

    @api.model
    def _read_group_expand_oms_state(self, values, domain):
        return [key for key, _label in OMS_STATES]

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

    @api.depends(
        "state",
        "delivery_status",
        "invoice_status",
        "oms_payment_state",
        "oms_exception_type",
        "oms_delivered",
        "require_payment",
        "prepayment_percent",
        "oms_amount_paid",
        "picking_ids.carrier_tracking_ref",
        "transaction_ids.state",
    )
    def _compute_oms_state(self):
        for order in self:
            order.oms_state = order._oms_get_state()

    def _oms_get_state(self):
        """The journey status of one order; override to add statuses."""
        self.ensure_one()
        if self.state == "cancel":
            return "cancelled"
        if self.oms_exception_type:
            return "exception"
        payment_started = self.oms_payment_state == "partial" or any(
            tx.state in ("pending", "authorized") for tx in self.transaction_ids
        )
        if self.state in ("draft", "sent"):
            return "awaiting_payment" if payment_started else "quotation"
        return self._oms_get_confirmed_state()

    def _oms_get_confirmed_state(self):
        """The journey status of a confirmed order."""
        self.ensure_one()
        ship_state = self._oms_get_shipping_state()
        if ship_state == "ready_to_ship":
            return "awaiting_payment" if self._oms_awaits_prepayment() else ship_state
        if ship_state != "delivered":
            return ship_state
        if self.invoice_status == "invoiced":
            paid = self.oms_payment_state in ("paid", "over_paid")
            return "done" if paid else "invoiced"
        return "delivered"

    def _oms_awaits_prepayment(self):
        """Odoo asked the customer to prepay (``require_payment``, ``prepayment_percent``
        of the total) and that prepayment is not in yet."""
        self.ensure_one()
        if not self.require_payment:
            return False
        required = self.amount_total * (self.prepayment_percent or 1.0)
        return self.currency_id.compare_amounts(self.oms_amount_paid, required) < 0

    def _oms_get_shipping_state(self):
        """ready_to_ship, partially_shipped, shipped or delivered."""
        self.ensure_one()
        pickings = self.picking_ids.filtered(lambda p: p.state != "cancel")
        if not pickings:
            return "delivered" if self.oms_delivered else "ready_to_ship"
        if self.delivery_status in ("started", "partial"):
            return "partially_shipped"
        if self.delivery_status != "full":
            return "ready_to_ship"
        in_transit = any(
            p.carrier_tracking_ref and p.location_dest_id.usage == "customer" for p in pickings
        )
        return "shipped" if in_transit and not self.oms_delivered else "delivered"

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

    @api.depends("team_id", "company_id", "oms_payment_method")
    def _compute_oms_workflow_id(self):
        Workflow = self.env["oms.workflow"]
        cache = {}
        for order in self:
            key = (order.company_id, order.team_id, order.oms_payment_method)
            if key not in cache:
                cache[key] = Workflow._oms_find(*key)
            order.oms_workflow_id = cache[key]

    # ------------------------------------------------------------------ CRUD / hooks

    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        if error:
            return error
        archived = self.order_line.product_id.filtered(lambda p: not p.active)
        if archived:
            return self.env._(
                "Order %(order)s cannot be confirmed: these products are archived: "
                "%(products)s. Restore them or remove their lines first.",
                order=self.name,
                products=", ".join(archived.mapped("display_name")),
            )
        return False

    def _action_cancel(self):
        to_refund = self.filtered(
            lambda o: (
                o.state != "cancel" and o.currency_id.compare_amounts(o.oms_amount_paid, 0) > 0
            )
        )
        for order in to_refund:
            if order.invoice_ids.filtered(
                lambda m: m.state == "posted" and m.move_type == "out_invoice"
            ):
                raise UserError(
                    self.env._(
                        "Order %s is paid and invoiced: issue a credit note for the invoice "
                        "before cancelling, so that the payment can be refunded.",
                        order.name,
                    )
                )
        res = super()._action_cancel()
        to_refund._oms_refund_payments()
        return res

    def _action_confirm(self):
        res = super()._action_confirm()
        self._oms_mark_for_automation()
        return res

    # ------------------------------------------------------------------ actions

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

    def action_oms_preview_automation(self):
        self.ensure_one()
        steps = self._oms_plan()
        labels = dict(OMS_STEPS)
        if steps:
            message = ", ".join(labels[step] for step in steps)
        else:
            message = self.env._("Nothing to do now.")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._(
                    "Rule %(rule)s on %(order)s",
                    rule=self.oms_workflow_id.display_name or self.env._("none"),
                    order=self.name,
                ),
                "message": message,
                "sticky": True,
                "type": "info",
            },
        }

    def action_oms_run_automation(self):
        self._oms_run_automation()
        return True

    def action_oms_clear_exception(self):
        self.write({"oms_exception_type": False, "oms_exception_reason": False})
        self.activity_unlink(["mail.mail_activity_data_todo"], only_automated=False)
        self._oms_mark_for_automation()
        return True

    def action_oms_mark_delivered(self):
        self.filtered(lambda o: o.state == "sale").oms_delivered = True
        self._oms_mark_for_automation()
        return True

    # ------------------------------------------------------------------ exceptions

    def _oms_set_exception(self, kind, reason):
        """Put the orders in exception and tell their salesperson what failed."""
        self.write({"oms_exception_type": kind, "oms_exception_reason": reason})
        label = dict(self._fields["oms_exception_type"].selection)[kind]
        for order in self:
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=label,
                note=reason,
                user_id=order.user_id.id or self.env.uid,
            )

    # ------------------------------------------------------------------ payments

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

    def _oms_default_journal(self, method):
        self.ensure_one()
        journal_type = "cash" if method in ("cash", "cod") else "bank"
        return self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(self.company_id),
                ("type", "=", journal_type),
            ],
            limit=1,
        )

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
        line = payment_method_line or journal.inbound_payment_method_line_ids[:1]
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

    def _oms_refund_payments(self):
        """Give back what a cancelled order collected: through the payment provider
        for card and PayPal payments, as outbound payments in the journals the money
        came in otherwise."""
        for order in self:
            to_refund = order.oms_amount_paid
            inbound = order.oms_payment_ids.filtered(
                lambda p: p.state in PAID_STATES and p.payment_type == "inbound"
            ).sorted("id", reverse=True)
            notes = []
            for payment in inbound:
                if order.currency_id.compare_amounts(to_refund, 0.0) <= 0:
                    break
                part = min(payment.oms_order_amount, to_refund)
                amount = order.currency_id._convert(
                    part, payment.currency_id, order.company_id, fields.Date.context_today(self)
                )
                refund = payment._oms_refund(amount, order)
                if refund._name == "payment.transaction":
                    notes.append(order._oms_provider_refund_note(refund, payment))
                to_refund -= part
            order.message_post(
                body=Markup("<br/>").join(
                    [
                        self.env._(
                            "Order cancelled: %s refunded to the customer.",
                            order.currency_id.format(order.oms_amount_paid - to_refund),
                        ),
                        *notes,
                    ]
                )
            )

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

    def _oms_collect_cash_on_delivery(self):
        """Record the cash the carrier collected when the delivery is validated."""
        for order in self.filtered(lambda o: o.oms_payment_method == "cod" and o.state == "sale"):
            if order.currency_id.compare_amounts(order.oms_amount_due, 0.0) > 0:
                order._oms_register_payment(
                    order.oms_amount_due,
                    "cod",
                    memo=self.env._("Cash on delivery for %s", order.name),
                )

    # ------------------------------------------------------------------ automation

    def _oms_mark_for_automation(self):
        if self.env.context.get(AUTOMATION_CTX):
            return
        todo = self.filtered(lambda o: not o.oms_needs_automation and o.state != "cancel")
        if todo:
            todo.oms_needs_automation = True

    def _oms_plan(self):
        """The steps the order's rule would run now, predicted without running them."""
        self.ensure_one()
        rule = self.oms_workflow_id
        if not rule or self.state == "cancel" or self.oms_exception_type:
            return []
        steps = []
        confirmed = self.state == "sale"
        if self._oms_step_confirm_needed():
            steps.append("confirm")
            confirmed = True
            if rule.send_confirmation_mail:
                steps.append("mail")
        if not confirmed:
            return steps
        delivered = self._oms_get_shipping_state() == "delivered"
        if self._oms_step_deliver_needed(assume_confirmed=True):
            steps.append("deliver")
            delivered = True
        will_invoice = rule.invoice_policy == "confirm" or (
            rule.invoice_policy == "delivery" and delivered
        )
        invoiceable = self.invoice_status == "to invoice" or (
            self.state != "sale"
            and any(
                line.product_id.invoice_policy == "order" or delivered
                for line in self.order_line
                if not line.display_type
            )
        )
        invoiced = False
        if will_invoice and invoiceable:
            steps.append("invoice")
            invoiced = True
        if rule.post_invoice and (
            invoiced or self.invoice_ids.filtered(lambda m: m.state == "draft")
        ):
            steps.append("post")
            invoiced = True
        if (
            rule.reconcile_payments
            and self.oms_payment_ids.filtered(lambda p: p.state in PAID_STATES)
            and (invoiced or self._oms_step_reconcile_needed())
        ):
            steps.append("reconcile")
        return steps

    def _oms_step_confirm_needed(self):
        rule = self.oms_workflow_id
        if self.state not in ("draft", "sent") or not self.order_line:
            return False
        if rule.confirm_policy == "always":
            return True
        return rule.confirm_policy == "paid" and self.oms_payment_state in ("paid", "over_paid")

    def _oms_step_mail_needed(self):
        return False  # run with the confirmation, see _oms_step_confirm

    def _oms_is_service_only(self):
        lines = self.order_line.filtered(lambda line: not line.display_type and line.product_id)
        return bool(lines) and all(line.product_id.type == "service" for line in lines)

    def _oms_dropship_pickings(self):
        return self.picking_ids.filtered(
            lambda p: (
                p.state not in ("done", "cancel")
                and p.location_id.usage == "supplier"
                and p.location_dest_id.usage == "customer"
            )
        )

    def _oms_step_deliver_needed(self, assume_confirmed=False):
        if not self.oms_workflow_id.validate_delivery:
            return False
        if self.state != "sale" and not assume_confirmed:
            return False
        if self._oms_is_service_only():
            return not self.oms_delivered
        return bool(self._oms_dropship_pickings())

    def _oms_step_invoice_needed(self):
        rule = self.oms_workflow_id
        if self.state != "sale" or self.invoice_status != "to invoice":
            return False
        if rule.invoice_policy == "confirm":
            return True
        return rule.invoice_policy == "delivery" and self._oms_get_shipping_state() == "delivered"

    def _oms_step_post_needed(self):
        return self.oms_workflow_id.post_invoice and bool(
            self.invoice_ids.filtered(lambda m: m.state == "draft")
        )

    def _oms_step_reconcile_needed(self):
        return (
            self.oms_workflow_id.reconcile_payments
            and bool(
                self.invoice_ids.filtered(
                    lambda m: (
                        m.state == "posted"
                        and m.move_type == "out_invoice"
                        and m.payment_state not in ("paid", "in_payment", "reversed")
                    )
                )
            )
            and bool(
                self.oms_payment_ids.filtered(
                    lambda p: (
                        p.state in PAID_STATES
                        and p.payment_type == "inbound"
                        and not p.is_reconciled
                    )
                )
            )
        )

    def _oms_step_confirm(self):
        self.action_confirm()
        self.filtered(lambda o: o.oms_workflow_id.send_confirmation_mail)._oms_step_mail()

    def _oms_step_mail(self):
        self._send_order_confirmation_mail()

    def _oms_step_deliver(self):
        services = self.filtered(lambda o: o._oms_is_service_only())
        for line in services.order_line:
            if line.qty_delivered_method == "manual" and not line.display_type:
                line.qty_delivered = line.product_uom_qty
        services.oms_delivered = True
        pickings = (self - services)._oms_dropship_pickings()
        if pickings:
            for move in pickings.move_ids:
                move.quantity = move.product_uom_qty
            pickings.move_ids.picked = True
            result = pickings.with_context(
                skip_backorder=True, skip_sms=True, cancel_backorder=True
            ).button_validate()
            if result is not True:
                raise UserError(self.env._("The drop-ship delivery needs a manual validation."))

    def _oms_step_invoice(self):
        # One invoice per order, as the preview announces (not grouped by customer).
        self._create_invoices(grouped=True)

    def _oms_step_post(self):
        self.invoice_ids.filtered(lambda m: m.state == "draft").action_post()

    def _oms_step_reconcile(self):
        self._oms_reconcile_payments()

    def _oms_apply_workflow(self):
        """Run every needed step on the orders, step by step over the whole set.

        :raise OmsStepError: naming the step that failed
        """
        for step, _label in OMS_STEPS:
            todo = self.filtered(lambda o, s=step: getattr(o, f"_oms_step_{s}_needed")())
            if not todo:
                continue
            try:
                getattr(todo, f"_oms_step_{step}")()
                self.env.flush_all()
            except Exception as error:
                raise OmsStepError(step, error) from error

    def _oms_run_automation(self):
        """Apply the rules to the orders: the whole set in one savepoint, and when
        it fails, each order in its own savepoint so that a failing order goes to
        exception without blocking the others."""
        orders = self.filtered(lambda o: o.state != "cancel" and not o.oms_exception_type)
        if self.env.context.get(AUTOMATION_CTX) or not orders:
            return
        orders = orders.with_context(**{AUTOMATION_CTX: True})
        by_company = groupby(orders.sorted(lambda o: o.company_id.id), lambda o: o.company_id)
        for company, group in by_company:
            batch = (
                self.browse()
                .union(*group)
                .with_company(company)
                .with_context(**{AUTOMATION_CTX: True})
            )
            try:
                with self.env.cr.savepoint():
                    batch._oms_apply_workflow()
            except Exception:
                for order in batch:
                    order._oms_run_automation_one()
        self.with_context(**{AUTOMATION_CTX: True}).oms_needs_automation = False

    def _oms_run_automation_one(self):
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._oms_apply_workflow()
        except OmsStepError as failure:
            label = dict(OMS_STEPS)[failure.step]
            error = failure.error
            message = getattr(error, "args", [None])[0] or repr(error)
            _logger.info("OMS automation failed on %s at %s: %s", self.name, failure.step, message)
            self._oms_set_exception(
                "automation",
                self.env._("%(step)s failed: %(error)s", step=label, error=message),
            )
            self.message_post(
                body=Markup("<b>%s</b>: %s")
                % (self.env._("Automation stopped"), self.oms_exception_reason)
            )

    @api.model
    def _oms_automation_domain(self):
        return (
            Domain("oms_needs_automation", "=", True)
            & Domain("state", "!=", "cancel")
            & Domain("oms_exception_type", "=", False)
        )

    @api.model
    def _cron_oms_apply_automation(self, batch_size=200):
        """Apply the automation rules to the orders that changed, in committed batches."""
        domain = self._oms_automation_domain()
        remaining = self.search_count(domain)
        self.env["ir.cron"]._commit_progress(remaining=remaining)
        while remaining:
            orders = self.search(domain, limit=batch_size, order="id")
            if not orders:
                break
            orders._oms_run_automation()
            remaining = max(remaining - len(orders), 0)
            if not self.env["ir.cron"]._commit_progress(len(orders), remaining=remaining):
                break

    def _oms_create_transaction(self, provider, payment_method, amount, token=None):
        """A provider transaction paying ``amount`` of the order (card, PayPal)."""
        self.ensure_one()
        Transaction = self.env["payment.transaction"].sudo()
        link = [Command.set(self.ids)]
        return Transaction.create(
            {
                "provider_id": provider.id,
                "payment_method_id": payment_method.id,
                "reference": Transaction._compute_reference(provider.code, sale_order_ids=link),
                "amount": amount,
                "currency_id": self.currency_id.id,
                "partner_id": self.partner_id.id,
                "token_id": token.id if token else False,
                "operation": "offline" if token else "online_redirect",
                "sale_order_ids": link,
            }
        )
