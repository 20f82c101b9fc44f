import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

_logger = logging.getLogger(__name__)

# Exponential smoothing weight of the most recent (deseasonalised) day.
SMOOTHING_ALPHA = 0.1
# Weekly seasonality needs this many observed (in-stock) days of a product.
SEASONALITY_MIN_DAYS = 28
# Factors further than this from 1 come from too little data to be trusted.
SEASONALITY_CLAMP = (0.2, 5.0)
WRITE_BATCH = 500
# Memory for the sorts, hashes and CTEs of the statistics query, set for that query only
# (the server default of 4MB makes them spill to temporary files at a few hundred thousand
# product-days); JIT compilation buys nothing on this query and is switched off for it.
# The system parameter WORK_MEM_PARAM (megabytes) changes it, within 4MB-1024MB.
STATS_WORK_MEM = "512MB"
WORK_MEM_PARAM = "oms_extended.reorder_work_mem_mb"
# Runs of the reorder policies of one warehouse take the transaction-level advisory lock
# (REORDER_LOCK_CLASS, warehouse id): a second run of the same warehouse while one is
# running is refused (button) or skipped (cron), never stacked.
REORDER_LOCK_CLASS = 0x4F4D5352  # "OMSR"
# The channel of the nightly computation's batches (one per warehouse) when a job queue runs
# them (oms.batch.dispatch in oms_extended).
REORDER_CHANNEL = "oms.reorder"


class OmsReorderPolicy(models.Model):
    """How the reordering rules of a warehouse (or of a product category in it) are derived
    from the demand: the statistics come from one SQL pass per warehouse
    (``_oms_demand_statistics``), Python applies the formula (``_oms_reorder_figures``)."""

    _name = "oms.reorder.policy"
    _description = "Reorder Policy"
    _inherit = ["mail.thread"]
    _order = "warehouse_id, sequence, id"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        check_company=True,
        tracking=True,
        index=True,
        domain="[('company_id', '=', company_id)]",
    )
    categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        tracking=True,
        help="Only the products of this category (and its subcategories). A product follows "
        "the policy of its most specific category; a policy without category covers the rest.",
    )
    demand_window_days = fields.Integer(
        "Demand Window (days)",
        default=90,
        required=True,
        tracking=True,
        help="Days of done customer deliveries the demand is measured on.",
    )
    service_level = fields.Float(
        "Service Level (%)",
        default=95.0,
        required=True,
        tracking=True,
        help="Probability of not running out during a replenishment cycle: it sets the "
        "safety stock (z-score of the normal distribution).",
    )
    review_period_days = fields.Float(
        "Review Period (days)",
        default=1.0,
        required=True,
        tracking=True,
        help="Days between two reviews of the stock (1: the scheduler runs daily).",
    )
    max_method = fields.Selection(
        [("cover", "Days of cover"), ("eoq", "Economic order quantity")],
        string="Maximum",
        default="cover",
        required=True,
        tracking=True,
    )
    cover_days = fields.Float(
        "Cover (days)",
        default=30.0,
        tracking=True,
        help="Maximum = minimum + the expected demand of this many days.",
    )
    order_cost = fields.Monetary(
        "Cost per Order",
        currency_field="currency_id",
        default=50.0,
        tracking=True,
        help="Fixed cost of placing one purchase order (EOQ).",
    )
    holding_rate = fields.Float(
        "Holding Cost (%/year)",
        default=20.0,
        tracking=True,
        help="Yearly cost of holding one unit, as a percentage of its cost (EOQ).",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    alert_cover_days = fields.Float(
        "Alert under (days of cover)",
        default=7.0,
        tracking=True,
        help="A product whose forecast falls under its minimum, or covers fewer days than "
        "this, gets a low-stock activity for its buyer (0: only the minimum counts).",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Buyer",
        default=lambda self: self.env.user,
        help="Gets the low-stock activities of the products whose vendor has no buyer and "
        "that have no responsible.",
    )
    auto_confirm = fields.Boolean(
        "Confirm RFQs Automatically",
        tracking=True,
        help="The requests for quotation that the reordering rules of this policy raise are "
        "confirmed at once for the vendors below.",
    )
    auto_confirm_partner_ids = fields.Many2many(
        "res.partner",
        string="Vendors to Confirm",
        help="Vendors whose RFQs raised by this policy are confirmed automatically.",
    )
    digest = fields.Boolean(
        "Daily Digest",
        help="Send the buyer a daily e-mail listing the products at risk of this policy.",
    )
    last_run = fields.Datetime(readonly=True, copy=False)
    line_ids = fields.One2many("oms.reorder.line", "policy_id", string="Results")
    line_count = fields.Integer(compute="_compute_line_counts")
    cannot_count = fields.Integer(compute="_compute_line_counts")
    risk_count = fields.Integer(compute="_compute_line_counts")

    @api.constrains(
        "demand_window_days",
        "service_level",
        "review_period_days",
        "max_method",
        "cover_days",
        "order_cost",
        "holding_rate",
        "alert_cover_days",
        "warehouse_id",
        "categ_id",
    )
    def _check_parameters(self):
        _ = self.env._
        for policy in self:
            if not 7 <= policy.demand_window_days <= 1095:
                raise ValidationError(
                    _("The demand window must be between 7 days and 3 years (1095 days).")
                )
            if not 50 <= policy.service_level < 100:
                raise ValidationError(
                    _("The service level must be at least 50% and less than 100% (e.g. 95).")
                )
            if not 0 <= policy.review_period_days <= 365:
                raise ValidationError(_("The review period must be between 0 and 365 days."))
            if policy.cover_days < 0 or policy.cover_days > 730:
                raise ValidationError(_("The cover must be between 0 and 730 days."))
            if policy.alert_cover_days < 0 or policy.alert_cover_days > 365:
                raise ValidationError(_("The alert threshold must be between 0 and 365 days."))
            if policy.max_method == "cover" and not policy.cover_days:
                raise ValidationError(
                    _("Set the days of cover the maximum adds to the minimum (e.g. 30).")
                )
            if policy.max_method == "eoq":
                if policy.order_cost <= 0:
                    raise ValidationError(
                        _("The economic order quantity needs a positive cost per order.")
                    )
                if policy.holding_rate <= 0 or policy.holding_rate > 100:
                    raise ValidationError(
                        _("The holding cost must be more than 0% and at most 100% a year.")
                    )
            duplicate = self.search_count(
                [
                    ("id", "!=", policy.id),
                    ("warehouse_id", "=", policy.warehouse_id.id),
                    ("categ_id", "=", policy.categ_id.id),
                ]
            )
            if duplicate:
                raise ValidationError(
                    _(
                        "Warehouse %(warehouse)s already has a reorder policy for %(scope)s.",
                        warehouse=policy.warehouse_id.display_name,
                        scope=policy.categ_id.display_name or _("all products"),
                    )
                )

    def _compute_line_counts(self):
        groups = self.env["oms.reorder.line"]._read_group(
            [("policy_id", "in", self.ids)], ["policy_id", "state", "at_risk"], ["__count"]
        )
        counts = {}
        for policy, state, at_risk, count in groups:
            total, cannot, risk = counts.get(policy.id, (0, 0, 0))
            counts[policy.id] = (
                total + count,
                cannot + (count if state == "cannot" else 0),
                risk + (count if at_risk else 0),
            )
        for policy in self:
            policy.line_count, policy.cannot_count, policy.risk_count = counts.get(
                policy.id, (0, 0, 0)
            )

    # ------------------------------------------------------------------ actions

    def action_compute_now(self):
        """Recompute the warehouses of these policies now (all their policies)."""
        # Those who may edit the policies (OMS managers) recompute them.
        self.check_access("write")
        warehouses = self.filtered("active").warehouse_id
        if not warehouses:
            raise UserError(self.env._("Activate the policy before computing it."))
        for warehouse in warehouses:
            self.with_company(warehouse.company_id)._oms_compute_warehouse(warehouse)
        return self.action_view_lines()

    def action_view_lines(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "oms_replenishment.action_oms_reorder_line"
        )
        action["domain"] = [("policy_id", "in", self.ids)]
        action["context"] = {}
        return action

    @api.model
    def _cron_oms_reorder(self):
        """Nightly: every warehouse with an active policy, one committed step each (or, with
        a job queue, one job each: see ``oms.batch.dispatch``). A warehouse another run is
        computing (its advisory lock is taken, see ``_oms_lock_warehouse``) is skipped with a
        warning, as a business error."""
        policies = self.search([], order="warehouse_id, id")
        dispatch = self.env["oms.batch.dispatch"]
        if dispatch._oms_queued(REORDER_CHANNEL):
            dispatch._oms_enqueue(
                list(policies.grouped("warehouse_id").values()),
                "_oms_reorder_batch",
                REORDER_CHANNEL,
                description=self.env._("Order Management: compute reorder policies"),
            )
            return
        batches = policies.grouped("warehouse_id")
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(batches))
        for batch in batches.values():
            batch._oms_reorder_batch()
            if not cron._commit_progress(1):
                break

    def _oms_reorder_batch(self):
        """Compute the warehouses of these policies, each in its own savepoint; also run as
        one background job per warehouse."""
        for warehouse in self.exists().warehouse_id:
            try:
                with self.env.cr.savepoint():
                    self.with_company(warehouse.company_id)._oms_compute_warehouse(warehouse)
            except (UserError, ValidationError) as error:
                # A business error of one warehouse (e.g. a rule refused by a constraint)
                # must not stop the others; concurrency errors propagate (cron or job retries).
                _logger.warning(
                    "Reorder policies of %s not computed: %s", warehouse.display_name, error
                )

    # ------------------------------------------------------------ digest

    @api.model
    def _cron_oms_stock_digest(self):
        """Daily e-mail to each policy's buyer with its products at risk."""
        template = self.env.ref("oms_replenishment.mail_template_oms_stock_digest")
        policies = self.search(
            [("digest", "=", True), ("user_id", "!=", False), ("line_ids.at_risk", "=", True)]
        )
        for policy in policies:
            template.send_mail(policy.id)
        self.env["ir.cron"]._commit_progress(len(policies))

    def _oms_risk_lines(self):
        self.ensure_one()
        return self.env["oms.reorder.line"].search(
            Domain("policy_id", "=", self.id) & Domain("at_risk", "=", True),
            order="days_to_stockout, id",
        )
