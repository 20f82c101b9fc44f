from odoo import api, fields, models
from odoo.fields import Domain

PAYMENT_METHODS = [
    ("card", "Credit Card"),
    ("paypal", "PayPal"),
    ("bank_transfer", "Bank Transfer"),
    ("cash", "Cash"),
    ("cod", "Cash on Delivery"),
    ("other", "Other"),
]


class OmsWorkflow(models.Model):
    """An automation rule set: what the order automation does to the orders of a
    sales channel and payment method. The most specific active rule wins (channel
    and method > channel > method > default), then the lowest sequence."""

    _name = "oms.workflow"
    _description = "Order Automation Rule"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to share the rule between companies.",
    )
    team_ids = fields.Many2many(
        "crm.team",
        string="Sales Channels",
        check_company=True,
        help="Channels the rule applies to; empty means every channel.",
    )
    payment_method = fields.Selection(
        PAYMENT_METHODS, help="Payment method the rule applies to; empty means every method."
    )
    confirm_policy = fields.Selection(
        [("always", "Always"), ("paid", "When fully paid"), ("never", "Never")],
        string="Confirm Quotations",
        required=True,
        default="paid",
        tracking=True,
    )
    invoice_policy = fields.Selection(
        [("confirm", "At confirmation"), ("delivery", "At delivery"), ("never", "Never")],
        string="Create Invoice",
        required=True,
        default="delivery",
        tracking=True,
    )
    post_invoice = fields.Boolean("Post Invoice", default=True, tracking=True)
    reconcile_payments = fields.Boolean(
        "Reconcile Payments",
        default=True,
        tracking=True,
        help="Reconcile the payments collected on the order with its posted invoices.",
    )
    validate_delivery = fields.Boolean(
        "Validate Service / Drop-ship Deliveries",
        default=True,
        tracking=True,
        help="Mark service-only orders delivered and validate drop-ship transfers.",
    )
    send_confirmation_mail = fields.Boolean("Send Confirmation E-mail", tracking=True)
    order_count = fields.Integer(compute="_compute_order_count")

    @api.depends_context("company")
    def _compute_order_count(self):
        counts = dict(
            self.env["sale.order"]._read_group(
                [("oms_workflow_id", "in", self.ids)], ["oms_workflow_id"], ["__count"]
            )
        )
        for rule in self:
            rule.order_count = counts.get(rule, 0)

    @api.model
    def _oms_find(self, company, team, method):
        """The rule for an order of ``company`` sold by ``team`` and paid by ``method``."""
        rules = self.search(
            Domain("company_id", "in", [False, company.id])
            & (Domain("team_ids", "=", False) | Domain("team_ids", "in", team.ids))
            & (Domain("payment_method", "=", False) | Domain("payment_method", "=", method))
        )
        if not rules:
            return rules

        def specificity(rule):
            return (
                -(bool(rule.team_ids) * 2 + bool(rule.payment_method)),
                -bool(rule.company_id),
                rule.sequence,
                rule.id,
            )

        return rules.sorted(specificity)[:1]

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "oms_extended.action_oms_order_board"
        )
        action["domain"] = [("oms_workflow_id", "=", self.id)]
        action["context"] = {}
        return action
