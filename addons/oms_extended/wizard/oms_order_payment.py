from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.oms_workflow import PAYMENT_METHODS


class OmsOrderPayment(models.TransientModel):
    """Register a payment from the order: cash and bank transfers are recorded at
    once, in a journal and with one of its incoming payment method lines as Odoo's
    payments are; card and PayPal go through a payment provider and its payment methods
    (a saved token is charged, otherwise a payment link is sent). Ours differs from
    Odoo's *Register Payment* (``account.payment.register``) in working from the order,
    before any invoice, and in offering the provider's card and PayPal methods."""

    _name = "oms.order.payment"
    _description = "Register an Order Payment"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    company_id = fields.Many2one(related="order_id.company_id")
    partner_id = fields.Many2one(related="order_id.partner_id")
    method = fields.Selection(
        [m for m in PAYMENT_METHODS if m[0] != "cod"],
        required=True,
        compute="_compute_method",
        store=True,
        readonly=False,
    )
    amount = fields.Monetary(
        currency_field="currency_id", compute="_compute_amount", store=True, readonly=False
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    amount_due = fields.Monetary(
        related="order_id.oms_amount_due", currency_field="order_currency_id"
    )
    order_currency_id = fields.Many2one(related="order_id.currency_id", string="Order Currency")
    date = fields.Date(default=fields.Date.context_today, required=True)
    journal_id = fields.Many2one(
        "account.journal",
        compute="_compute_journal_id",
        store=True,
        readonly=False,
        check_company=True,
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id)]",
    )
    payment_method_line_id = fields.Many2one(
        "account.payment.method.line",
        string="Journal Payment Method",
        compute="_compute_payment_method_line_id",
        store=True,
        readonly=False,
        domain="[('id', 'in', available_payment_method_line_ids)]",
        help="One of the journal's incoming payment methods, as on Odoo's own payments.",
    )
    available_payment_method_line_ids = fields.Many2many(
        "account.payment.method.line", compute="_compute_available_payment_method_line_ids"
    )
    memo = fields.Char()
    allow_overpayment = fields.Boolean(
        "Keep Excess as Customer Credit",
        help="Accept more than the amount due; the order is flagged as over-paid.",
    )
    is_provider = fields.Boolean(compute="_compute_method_kind")
    provider_id = fields.Many2one(
        "payment.provider",
        compute="_compute_provider_id",
        store=True,
        readonly=False,
        domain="[('state', 'in', ('enabled', 'test')), ('company_id', '=', company_id)]",
    )
    payment_method_id = fields.Many2one(
        "payment.method",
        compute="_compute_payment_method_id",
        store=True,
        readonly=False,
        domain="[('provider_ids', 'in', provider_id)]",
    )
    token_id = fields.Many2one(
        "payment.token",
        string="Saved Card / Account",
        domain="[('id', 'in', suitable_token_ids)]",
    )
    suitable_token_ids = fields.Many2many(
        "payment.token",
        compute="_compute_suitable_token_ids",
        help="The customer's saved cards and accounts that the provider accepts for this "
        "order, as Odoo's payment form lists them.",
    )

    @api.depends("order_id")
    def _compute_method(self):
        for wizard in self:
            method = wizard.order_id.oms_payment_method
            wizard.method = method if method and method != "cod" else "bank_transfer"

    @api.depends("order_id", "currency_id")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = wizard.order_id.oms_amount_due

    @api.depends("order_id")
    def _compute_currency_id(self):
        for wizard in self:
            wizard.currency_id = wizard.order_id.currency_id

    @api.depends("method")
    def _compute_method_kind(self):
        for wizard in self:
            wizard.is_provider = wizard.method in ("card", "paypal")

    @api.depends("method", "order_id")
    def _compute_journal_id(self):
        for wizard in self:
            wizard.journal_id = (
                False if wizard.is_provider else wizard.order_id._oms_default_journal(wizard.method)
            )

    @api.depends("journal_id")
    def _compute_available_payment_method_line_ids(self):
        for wizard in self:
            wizard.available_payment_method_line_ids = (
                wizard.journal_id._get_available_payment_method_lines("inbound")
            )

    @api.depends("journal_id")
    def _compute_payment_method_line_id(self):
        for wizard in self:
            wizard.payment_method_line_id = (
                wizard.order_id._oms_payment_method_line(wizard.journal_id)
                if wizard.journal_id and wizard.order_id
                else False
            )

    @api.depends("method", "order_id")
    def _compute_provider_id(self):
        for wizard in self:
            wizard.provider_id = wizard._find_providers()[:1] if wizard.is_provider else False

    @api.depends("provider_id", "method")
    def _compute_payment_method_id(self):
        for wizard in self:
            methods = wizard.provider_id.payment_method_ids
            code = "paypal" if wizard.method == "paypal" else "card"
            wizard.payment_method_id = (
                methods.filtered(lambda m, c=code: m.code == c)[:1] or methods[:1]
            )

    @api.depends("provider_id", "order_id", "amount")
    def _compute_suitable_token_ids(self):
        for wizard in self:
            wizard.suitable_token_ids = wizard._suitable_tokens()

    def _find_providers(self):
        """The providers Odoo's payment form offers for the order (company, country,
        currency, amount), in their sequence."""
        order = self.order_id
        if not order:
            return self.env["payment.provider"]
        # Superuser as Odoo's payment form: providers are not readable by users; only the
        # providers compatible with this order come back, in the user's environment.
        return (
            self.env["payment.provider"]
            # sudo: only this order's compatible providers come back, without sudo.
            .sudo()
            ._get_compatible_providers(
                order.company_id.id,
                order.partner_id.id,
                self.amount or order.oms_amount_due,
                currency_id=order.currency_id.id,
                sale_order_id=order.id,
            )
            .sudo(False)
        )

    def _suitable_tokens(self):
        """The customer's tokens of the chosen provider that Odoo's payment form would
        list (``_get_available_tokens`` of the compatible providers). As superuser, as
        the payment form reads them: the customer's tokens are not the user's."""
        self.ensure_one()
        providers = self._find_providers() & self.provider_id
        if not providers:
            return self.env["payment.token"]
        # Superuser as Odoo's payment form: only this customer's tokens of this provider
        # come back, in the user's environment, to be offered and checked.
        tokens = (
            self.env["payment.token"]
            # sudo: only this customer's tokens of this provider, returned without sudo.
            .sudo()
            ._get_available_tokens(
                providers.ids, self.order_id.partner_id.id, sale_order_id=self.order_id.id
            )
        )
        return tokens.sudo(False)

    def action_register(self):
        self.ensure_one()
        order = self.order_id
        order._oms_check_can_collect()
        if self.is_provider:
            return self._register_by_provider()
        order._oms_register_payment(
            self.amount,
            self.method,
            journal=self.journal_id,
            currency=self.currency_id,
            date=self.date,
            memo=self.memo,
            allow_overpayment=self.allow_overpayment,
            payment_method_line=self.payment_method_line_id,
        )
        order._oms_run_automation()
        return {"type": "ir.actions.act_window_close"}

    def _register_by_provider(self):
        order = self.order_id
        if not self.provider_id:
            raise UserError(
                self.env._("No payment provider is enabled for %s.", order.company_id.name)
            )
        if self.currency_id != order.currency_id:
            raise UserError(self.env._("Card and PayPal payments are taken in the order currency."))
        over = order.currency_id.compare_amounts(self.amount, order.oms_amount_due) > 0
        if over and not self.allow_overpayment:
            raise UserError(
                self.env._(
                    "%(amount)s is more than the %(due)s due. Enter the amount due, or accept "
                    "the over-payment to keep the difference as customer credit.",
                    amount=order.currency_id.format(self.amount),
                    due=order.currency_id.format(order.oms_amount_due),
                )
            )
        if not self.token_id:
            return self._action_payment_link()
        if self.token_id not in self._suitable_tokens():
            raise UserError(
                self.env._(
                    "This saved card or account cannot pay %(order)s: only the customer's own "
                    "saved payment methods of %(provider)s can be charged. Choose one of them, "
                    "or leave the field empty to send a payment link.",
                    order=order.name,
                    provider=self.provider_id.name,
                )
            )
        tx = order._oms_create_transaction(
            self.provider_id, self.payment_method_id, self.amount, token=self.token_id
        )
        tx._charge_with_token()
        tx._post_process()
        if tx.state == "error":
            raise UserError(self.env._("The payment was refused: %s", tx.state_message))
        return {"type": "ir.actions.act_window_close"}

    def _action_payment_link(self):
        """Open Odoo's payment link wizard so the customer pays online."""
        return {
            "type": "ir.actions.act_window",
            "res_model": "payment.link.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": "sale.order",
                "active_id": self.order_id.id,
                "default_amount": self.amount,
            },
        }
