import logging
from collections import defaultdict
from itertools import groupby

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import LazyTranslate

from ..concurrency import RETRYABLE_ERRORS
from ..order_states import FULLY_PAID_STATES, PAID_STATES, QUOTATION_STATES

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

# The steps in their order, with the label a person reads (translated with self.env._()).
OMS_STEP_LABELS = {
    "confirm": _lt("Confirm the quotation"),
    "mail": _lt("Send the confirmation e-mail"),
    "deliver": _lt("Validate the service / drop-ship delivery"),
    "invoice": _lt("Create the invoice"),
    "post": _lt("Post the invoice"),
    "reconcile": _lt("Reconcile the collected payments with the invoice"),
}
OMS_STEPS = list(OMS_STEP_LABELS.items())

AUTOMATION_CTX = "oms_automation_running"
# The channel of the automation's batches when a job queue runs them (oms.batch.dispatch).
AUTOMATION_CHANNEL = "oms.automation"


class OmsStepError(Exception):
    """An automation step failed for an order."""

    def __init__(self, step, error):
        super().__init__(f"{step}: {error}")
        self.step = step
        self.error = error


class SaleOrder(models.Model):
    """Order automation: the rule of each order and its steps, run by events and a cron."""

    _inherit = "sale.order"

    oms_workflow_id = fields.Many2one(
        "oms.workflow",
        string="Automation Rule",
        compute="_compute_oms_workflow_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
        tracking=True,
        help="The rule the automation applies to this order. New orders get the rule of "
        "their sales channel and collection method; orders without a rule (among them the "
        "orders that existed when Order Management was installed) are left alone until a "
        "user gives them one.",
    )
    # Work to do for the automation cron. No column default: the orders that exist when
    # the addon is installed start False (history is never automated); new orders with a
    # rule start True (see create).
    oms_needs_automation = fields.Boolean(copy=False)

    _oms_automation_todo_idx = models.Index("(id) WHERE oms_needs_automation")

    @api.depends("team_id", "company_id", "oms_payment_method")
    def _compute_oms_workflow_id(self):
        # A saved order without a rule keeps none: a user gives it one (action_oms_apply_rule);
        # installation and channel changes do not.
        ruled = self.filtered(lambda o: not o._origin.id or o._origin.oms_workflow_id)
        (self - ruled).oms_workflow_id = False
        for order, rule in ruled._oms_matching_rules().items():
            order.oms_workflow_id = rule

    def _oms_matching_rules(self):
        """{order: the rule of its company, sales channel and collection method}, with one
        search per combination."""
        Workflow = self.env["oms.workflow"]
        cache = {}
        for order in self:
            key = (order.company_id, order.team_id, order.oms_payment_method)
            if key not in cache:
                cache[key] = Workflow._oms_find(*key)
        return {
            order: cache[order.company_id, order.team_id, order.oms_payment_method]
            for order in self
        }

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._oms_mark_for_automation()
        return orders

    def write(self, vals):
        res = super().write(vals)
        if vals.get("oms_workflow_id"):
            # A user gave the orders a rule: the automation takes them on.
            self._oms_mark_for_automation()
        return res

    def _action_confirm(self):
        res = super()._action_confirm()
        self._oms_mark_for_automation()
        return res

    def _oms_check_automation_user(self):
        """The automation's buttons are the OMS users' (their ``groups`` in the views):
        checked on the server too, for calls that do not come through the views."""
        if self.env.su or self.env.user.has_group("oms_extended.group_oms_user"):
            return
        raise AccessError(
            self.env._(
                "Only OMS users may run, preview or apply the order automation, or clear an "
                "order's exception. Ask your administrator for the OMS User group."
            )
        )

    def action_oms_preview_automation(self):
        self.ensure_one()
        self._oms_check_automation_user()
        steps = self._oms_plan()
        labels = dict(OMS_STEPS)
        if steps:
            message = ", ".join(self.env._(labels[step]) for step in steps)
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
        self._oms_check_automation_user()
        self._oms_run_automation()
        return True

    def action_oms_apply_rule(self):
        """Have the automation take on these open orders: each gets the rule of its sales
        channel and collection method, and the cron applies it at its next run."""
        self._oms_check_automation_user()
        orders = self.filtered(lambda o: o.state != "cancel")
        by_rule = defaultdict(self.browse)
        for order, rule in orders._oms_matching_rules().items():
            by_rule[rule] |= order
        for rule, group in by_rule.items():
            group.oms_workflow_id = rule
        orders._oms_mark_for_automation()
        return True

    def _oms_mark_for_automation(self):
        """Flag the orders with a rule as work for the automation cron.

        A technical flag, written as superuser: the event that calls this (a payment, a
        delivery, a confirmation) may come from a user who cannot write the order."""
        if self.env.context.get(AUTOMATION_CTX):
            return
        # sudo: only flags orders the event reached; what then runs is the rule's (a manager's).
        todo = self.sudo().filtered(
            lambda o: o.oms_workflow_id and not o.oms_needs_automation and o.state != "cancel"
        )
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
        if rule.post_invoice and (invoiced or self._oms_invoices_to_post()):
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
        if self.state not in QUOTATION_STATES or not self.order_line:
            return False
        if rule.confirm_policy == "always":
            return True
        return rule.confirm_policy == "paid" and self.oms_payment_state in FULLY_PAID_STATES

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

    def _oms_invoices_to_post(self):
        """The draft invoices the automation created for the orders and has not posted
        yet: never a credit note, nor a move someone else created or reset to draft."""
        return self.invoice_ids.filtered(
            lambda m: m.oms_to_post and m.state == "draft" and m.move_type == "out_invoice"
        )

    def _oms_step_post_needed(self):
        return self.oms_workflow_id.post_invoice and bool(self._oms_invoices_to_post())

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

    def _prepare_invoice(self):
        vals = super()._prepare_invoice()
        if self.env.context.get(AUTOMATION_CTX):
            vals["oms_to_post"] = True  # the automation's own invoice: its post step posts it
        return vals

    def _oms_step_invoice(self):
        # One invoice per order, as the preview announces (not grouped by customer).
        self._create_invoices(grouped=True)

    def _oms_step_post(self):
        self._oms_invoices_to_post().action_post()

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
            except RETRYABLE_ERRORS:
                raise  # another transaction got there first: retried, not an exception
            except Exception as error:
                raise OmsStepError(step, error) from error

    def _oms_run_automation(self):
        """Apply the rules to the orders: the whole set in one savepoint, and when
        it fails, each order in its own savepoint so that a failing order goes to
        exception without blocking the others.

        The automation acts for the company, as its cron does (superuser): whoever
        triggered it (a stock user validating a delivery, a billing user posting an
        invoice, a portal customer paying online) need not have the rights of its steps.
        Concurrency errors propagate, so that Odoo retries the request or the cron takes
        the orders again."""
        if self.env.context.get(AUTOMATION_CTX):
            return
        # sudo: only picks, among the orders the caller reached, those with a rule to apply.
        # The steps run in the caller's environment (``self.browse()`` below), i.e.
        # as superuser only when a hook inside Odoo's flow passed superuser records
        # (delivery validated, provider notification), where everything a step creates is
        # used in that same environment (an invoice created is posted there).
        orders = self.sudo().filtered(
            lambda o: o.oms_workflow_id and o.state != "cancel" and not o.oms_exception_type
        )
        if not orders:
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
            except OmsStepError:
                for order in batch:
                    order._oms_run_automation_one()
        # sudo: only clears the technical flag of the orders just handled.
        self.sudo().with_context(**{AUTOMATION_CTX: True}).oms_needs_automation = False

    def _oms_run_automation_one(self):
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._oms_apply_workflow()
        except OmsStepError as failure:
            label = self.env._(dict(OMS_STEPS)[failure.step])
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
            & Domain("oms_workflow_id", "!=", False)
            & Domain("state", "!=", "cancel")
            & Domain("oms_exception_type", "=", False)
        )

    @api.model
    def _cron_oms_apply_automation(self, batch_size=200):
        """Apply the automation rules to the orders that changed, in committed batches; with
        a job queue (see ``oms.batch.dispatch``) the batches are queued as jobs instead."""
        domain = self._oms_automation_domain()
        dispatch = self.env["oms.batch.dispatch"]
        if dispatch._oms_queued(AUTOMATION_CHANNEL):
            batches = dispatch._oms_split(self.search(domain, order="id"), batch_size)
            dispatch._oms_enqueue(
                batches,
                "_oms_run_automation_batch",
                AUTOMATION_CHANNEL,
                description=self.env._("Order Management: apply automation rules"),
            )
            return
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

    def _oms_run_automation_batch(self):
        """One batch of the automation run as a background job: only the orders still to do
        (a batch run late, twice or alongside another does each order once). The orders are
        locked first: a batch whose orders another transaction holds or changed meanwhile
        raises a concurrency error (``RETRYABLE_ERRORS``) and is retried later."""
        self.lock_for_update(allow_referencing=True)
        self.filtered_domain(self._oms_automation_domain())._oms_run_automation()
