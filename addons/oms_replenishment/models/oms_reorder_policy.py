import logging
import math
from statistics import NormalDist

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, float_round

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
STATS_WORK_MEM = "512MB"


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
        """Nightly: every warehouse with an active policy, one committed step each."""
        warehouses = self.search([]).warehouse_id
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(warehouses))
        for warehouse in warehouses:
            try:
                with self.env.cr.savepoint():
                    self.with_company(warehouse.company_id)._oms_compute_warehouse(warehouse)
            except (UserError, ValidationError) as error:
                # A business error of one warehouse (e.g. a rule refused by a constraint)
                # must not stop the others; concurrency errors propagate (cron retries).
                _logger.warning(
                    "Reorder policies of %s not computed: %s", warehouse.display_name, error
                )
            if not cron._commit_progress(1):
                break

    # ------------------------------------------------------------ computation

    @api.model
    def _oms_demand_statistics(self, warehouse, window_days, alpha=SMOOTHING_ALPHA, today=None):
        """Per product with customer demand in ``warehouse``: one SQL statement.

        The days of the window are rebuilt per product: the closing stock of a day is the
        stock on hand now minus the net done moves into the warehouse after that day. A day
        is a stock-out day when the product opened and closed it with nothing on hand and
        sold nothing: it is left out of the statistics (its zero demand is censored, not
        real). On the kept days: mean, sample standard deviation, weekday seasonality factors
        and a simple exponential smoothing of the deseasonalised demand.

        Returns {product_id: {...}}.
        """
        today = today or fields.Date.context_today(self)
        query = self._oms_demand_statistics_query(warehouse, window_days, alpha, today)
        self.env["stock.move"].flush_model(
            ["product_id", "date", "state", "location_id", "location_dest_id", "product_qty"]
        )
        self.env["stock.quant"].flush_model(["product_id", "location_id", "quantity"])
        cr = self.env.cr
        # Transaction-local settings (SET LOCAL), restored right after the query so that
        # the rest of the transaction runs with the server's own (if the query fails, the
        # rollback of the transaction or savepoint restores them).
        cr.execute(
            SQL(
                "SELECT current_setting('work_mem'), current_setting('jit'), "
                "set_config('work_mem', %s, true), set_config('jit', 'off', true)",
                STATS_WORK_MEM,
            )
        )
        work_mem, jit = cr.fetchone()[:2]
        cr.execute(query)
        rows = cr.dictfetchall()
        cr.execute(
            SQL(
                "SELECT set_config('work_mem', %s, true), set_config('jit', %s, true)",
                work_mem,
                jit,
            )
        )
        result = {}
        for row in rows:
            row["factors"] = [float(f) for f in row["factors"]]
            for key in ("total", "mean", "std", "level", "on_hand"):
                row[key] = float(row[key] or 0.0)
            result[row["product_id"]] = row
        return result

    @api.model
    def _oms_demand_statistics_query(self, warehouse, window_days, alpha, today):
        """The statistics query. It reads only the days that have moves (sparse): between
        two such days the stock level of a product does not change, so a gap of days
        without moves is a run of stock-out days exactly when the level after the earlier
        day is not positive. Only those runs are expanded to days (for the weekday counts).
        """
        start = fields.Date.subtract(today, days=window_days)
        return SQL(
            """
            WITH flows AS (
                SELECT m.product_id, m.date::date AS day, m.product_qty::float8 AS qty,
                       COALESCE(src.warehouse_id = %(warehouse)s AND src.usage = 'internal',
                                FALSE) AS src_in,
                       COALESCE(dest.warehouse_id = %(warehouse)s AND dest.usage = 'internal',
                                FALSE) AS dest_in,
                       dest.usage = 'customer' AS to_customer
                  FROM stock_move m
                  JOIN stock_location src ON src.id = m.location_id
                  JOIN stock_location dest ON dest.id = m.location_dest_id
                 WHERE m.state = 'done'
                   AND m.date >= %(start)s
                   AND (src.warehouse_id = %(warehouse)s OR dest.warehouse_id = %(warehouse)s)
            ), events AS (
                -- one row per product and day with moves, and per product one more row
                -- on the eve of the window (the grouping set by product alone): the gap
                -- after it starts the window. One pass over the moves.
                SELECT product_id,
                       CASE WHEN GROUPING(day) = 0 THEN day ELSE %(start)s::date - 1 END
                           AS day,
                       CASE WHEN GROUPING(day) = 0
                            THEN SUM(CASE WHEN dest_in THEN qty ELSE -qty END)
                            ELSE 0.0::float8 END AS net,
                       CASE WHEN GROUPING(day) = 0
                            THEN SUM(CASE WHEN src_in AND to_customer THEN qty ELSE 0 END)
                            ELSE 0.0::float8 END AS demand
                  FROM flows
                 WHERE src_in <> dest_in
                 GROUP BY GROUPING SETS ((product_id, day), (product_id))
            ), on_hand AS (
                SELECT q.product_id, SUM(q.quantity)::float8 AS qty
                  FROM stock_quant q
                  JOIN stock_location loc ON loc.id = q.location_id
                 WHERE loc.warehouse_id = %(warehouse)s AND loc.usage = 'internal'
                 GROUP BY q.product_id
            ), levels AS (
                SELECT e.product_id, e.day, e.net, e.demand,
                       COALESCE(oh.qty, 0) - COALESCE(SUM(e.net) OVER (
                           w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS closing,
                       LEAST(COALESCE(LAG(e.day) OVER w, %(today)s::date),
                             %(today)s::date) AS next_day
                  FROM events e
                  LEFT JOIN on_hand oh ON oh.product_id = e.product_id
                WINDOW w AS (PARTITION BY e.product_id ORDER BY e.day DESC)
            ), segments AS (
                SELECT product_id, day, demand,
                       (day >= %(start)s AND closing - net <= 0 AND closing <= 0
                        AND demand = 0) AS day_out,
                       CASE WHEN closing <= 0 THEN next_day - day - 1 ELSE 0 END AS gap_out
                  FROM levels
                 WHERE day < %(today)s
            ), ranked AS (
                SELECT product_id, day, demand, day_out, gap_out,
                       EXTRACT(ISODOW FROM day)::int AS dow,
                       (%(today)s::date - day) - gap_out - COALESCE(SUM(day_out::int + gap_out)
                           OVER (PARTITION BY product_id ORDER BY day DESC
                                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS rank
                  FROM segments
            ), by_dow AS (
                -- one pass over the product-days: everything per product and weekday
                SELECT product_id, dow,
                       SUM(demand) AS demand,
                       SUM(demand * demand) AS sumsq,
                       SUM(CASE WHEN demand > 0
                                THEN POWER(1 - %(alpha)s::float8, rank - 1) * demand ELSE 0 END)
                           AS weighted,
                       SUM(day_out::int) AS day_outs,
                       SUM(gap_out) AS gap_outs
                  FROM ranked
                 GROUP BY product_id, dow
            ), gap_dow AS (
                -- the stock-out runs between two days with moves, day by day (weekdays)
                SELECT r.product_id, EXTRACT(ISODOW FROM g)::int AS dow, COUNT(*) AS outs
                  FROM ranked r
                 CROSS JOIN generate_series(r.day + 1, r.day + r.gap_out, interval '1 day') g
                 WHERE r.gap_out > 0
                 GROUP BY 1, 2
            ), stats AS (
                SELECT product_id,
                       %(window)s - SUM(day_outs + gap_outs) AS n,
                       SUM(day_outs + gap_outs) AS stockout_days,
                       SUM(demand) AS total,
                       SUM(sumsq) AS sumsq
                  FROM by_dow
                 GROUP BY product_id
            ), week AS (
                SELECT EXTRACT(ISODOW FROM d)::int AS dow, COUNT(*) AS days
                  FROM generate_series(%(start)s::date, %(today)s::date - 1, interval '1 day') d
                 GROUP BY 1
            ), factors AS (
                SELECT s.product_id, w.dow, COALESCE(b.weighted, 0) AS weighted,
                       CASE WHEN s.n >= %(min_days)s AND s.total > 0
                                 AND w.days - COALESCE(b.day_outs, 0) - COALESCE(g.outs, 0) > 0
                            THEN LEAST(GREATEST(
                                COALESCE(b.demand, 0)
                                / (w.days - COALESCE(b.day_outs, 0) - COALESCE(g.outs, 0))
                                / (s.total / s.n), %(lo)s), %(hi)s)
                            ELSE 1 END AS factor
                  FROM stats s
                 CROSS JOIN week w
                  LEFT JOIN by_dow b ON b.product_id = s.product_id AND b.dow = w.dow
                  LEFT JOIN gap_dow g ON g.product_id = s.product_id AND g.dow = w.dow
                 WHERE s.n > 0
            ), per_product AS (
                SELECT product_id,
                       ARRAY_AGG(factor ORDER BY dow) AS factors,
                       SUM(%(alpha)s::float8 * weighted / factor) AS weighted
                  FROM factors
                 GROUP BY product_id
            )
            SELECT s.product_id, s.n, s.stockout_days, s.total,
                   s.total / s.n AS mean,
                   CASE WHEN s.n > 1
                        THEN SQRT(GREATEST((s.sumsq - s.total * s.total / s.n) / (s.n - 1), 0))
                        ELSE 0 END AS std,
                   pp.weighted + POWER(1 - %(alpha)s::float8, s.n) * s.total / s.n AS level,
                   pp.factors,
                   COALESCE(oh.qty, 0) AS on_hand
              FROM stats s
              JOIN per_product pp ON pp.product_id = s.product_id
              JOIN product_product prod ON prod.id = s.product_id
              JOIN product_template pt ON pt.id = prod.product_tmpl_id
              LEFT JOIN on_hand oh ON oh.product_id = s.product_id
             WHERE s.n > 0 AND s.total > 0 AND pt.is_storable
            """,
            warehouse=warehouse.id,
            start=start,
            today=today,
            window=window_days,
            alpha=alpha,
            min_days=SEASONALITY_MIN_DAYS,
            lo=SEASONALITY_CLAMP[0],
            hi=SEASONALITY_CLAMP[1],
        )

    @api.model
    def _oms_main_vendors(self, products, company):
        """{product_id: product.supplierinfo} the main vendor (Odoo's seller order)."""
        sellers = (
            self.env["product.supplierinfo"]
            .sudo()
            .search(
                [
                    ("product_tmpl_id", "in", products.product_tmpl_id.ids),
                    ("company_id", "in", [company.id, False]),
                    ("partner_id.active", "=", True),
                ],
                order="sequence, min_qty desc, price, id",
            )
        )
        by_template = {}
        for seller in sellers:
            by_template.setdefault(seller.product_tmpl_id.id, []).append(seller)
        result = {}
        for product in products:
            for seller in by_template.get(product.product_tmpl_id.id, []):
                if not seller.product_id or seller.product_id == product:
                    result[product.id] = seller.with_env(self.env)
                    break
        return result

    def _oms_lead_days(self, seller):
        """Lead time as purchase_stock counts it for a buy rule: vendor delay + days to
        purchase of the company (stock.rule._get_lead_days)."""
        return (seller.delay or 0.0) + (self.company_id.days_to_purchase or 0.0)

    def _oms_reorder_figures(self, stats, lead_days, product, today=None):
        """The formula, on the statistics of one product. Returns a dict of figures."""
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        level = max(stats["level"], 0.0)
        factors = stats["factors"]
        horizon = max(math.ceil(lead_days), 1)
        upcoming = [
            factors[fields.Date.add(today, days=i).isoweekday() - 1] for i in range(horizon)
        ]
        lead_factor = sum(upcoming) / len(upcoming)
        lead_demand = level * lead_factor * lead_days
        z = NormalDist().inv_cdf(self.service_level / 100.0)
        safety = z * stats["std"] * math.sqrt(lead_days + self.review_period_days)
        min_qty = lead_demand + safety
        if self.max_method == "eoq" and product.standard_price > 0:
            holding = product.standard_price * self.holding_rate / 100.0
            eoq = math.sqrt(2.0 * level * 365.0 * self.order_cost / holding)
            max_qty = min_qty + eoq
        else:
            max_qty = min_qty + level * self.cover_days
        rounding = product.uom_id.rounding
        return {
            "daily_demand": level,
            "lead_demand": lead_demand,
            "safety_stock": safety,
            "min_qty": float_round(min_qty, precision_rounding=rounding, rounding_method="UP"),
            "max_qty": float_round(max_qty, precision_rounding=rounding, rounding_method="UP"),
        }

    def _oms_policy_for(self, product):
        """The policy of ``product`` among ``self`` (one warehouse): deepest category."""
        best, depth = None, -1
        path = product.categ_id.parent_path or ""
        for policy in self:
            if not policy.categ_id:
                policy_depth = 0
            elif path.startswith(policy.categ_id.parent_path):
                policy_depth = policy.categ_id.parent_path.count("/")
            else:
                continue
            if policy_depth > depth:
                best, depth = policy, policy_depth
        return best

    @api.model
    def _oms_compute_warehouse(self, warehouse, today=None):
        """Statistics (one SQL pass), formula, orderpoints and alerts of one warehouse."""
        policies = self.search([("warehouse_id", "=", warehouse.id)])
        if not policies:
            return self.env["oms.reorder.line"]
        today = today or fields.Date.context_today(self)
        now = fields.Datetime.now()
        stats, policy_of = policies._oms_warehouse_statistics(warehouse, today)
        products = (
            self.env["product.product"].browse(list(stats)).with_company(warehouse.company_id)
        )
        vendors = self._oms_main_vendors(products, warehouse.company_id)
        forecasts = {
            p["id"]: p["virtual_available"]
            for p in products.with_context(warehouse_id=warehouse.id).read(["virtual_available"])
        }
        Orderpoint = self.env["stock.warehouse.orderpoint"].with_context(
            active_test=False, oms_reorder_write=True
        )
        orderpoints = {
            op.product_id.id: op
            for op in Orderpoint.search(
                [
                    ("product_id", "in", products.ids),
                    ("location_id", "=", warehouse.lot_stock_id.id),
                    ("company_id", "=", warehouse.company_id.id),
                ]
            )
        }
        line_values, to_create, to_write = {}, [], []
        for product in products:
            policy = policy_of[product.id]
            values, op_values = policy._oms_product_result(
                product, stats[product.id], vendors.get(product.id), today
            )
            values.update(
                warehouse_id=warehouse.id,
                qty_forecast=forecasts.get(product.id, 0.0),
                computed_at=now,
            )
            orderpoint = orderpoints.get(product.id)
            if op_values:
                op_values["oms_computed_at"] = now
                if not orderpoint:
                    op_values.update(
                        # Not Odoo's sequence: it costs a locked round trip per rule.
                        name=f"{warehouse.code}/OMS/{product.id:06d}",
                        product_id=product.id,
                        location_id=warehouse.lot_stock_id.id,
                        warehouse_id=warehouse.id,
                        company_id=warehouse.company_id.id,
                        trigger="auto",
                        route_id=warehouse.buy_pull_id.route_id.id,
                    )
                    to_create.append(op_values)
                elif orderpoint._oms_policy_may_write():
                    if not orderpoint.oms_policy_id:
                        # Odoo's own empty suggestion of the replenishment report: adopted.
                        op_values["trigger"] = "auto"
                    to_write.append((orderpoint, op_values))
                else:
                    values.update(
                        state="manual",
                        reason=self.env._("A reordering rule set by hand is kept as it is."),
                    )
            line_values[product.id] = values
        for chunk in range(0, len(to_create), WRITE_BATCH):
            for op in Orderpoint.create(to_create[chunk : chunk + WRITE_BATCH]):
                orderpoints[op.product_id.id] = op
        for orderpoint, op_values in to_write:
            orderpoint.write(op_values)
        for product_id, values in line_values.items():
            values["orderpoint_id"] = (
                orderpoints[product_id].id if product_id in orderpoints else False
            )
        lines = self.env["oms.reorder.line"]._oms_store(warehouse, line_values)
        lines._oms_update_alerts()
        policies.last_run = now
        _logger.info(
            "Reorder policies of %s: %d products, %d rules created, %d updated",
            warehouse.display_name,
            len(line_values),
            len(to_create),
            len(to_write),
        )
        return lines

    def _oms_warehouse_statistics(self, warehouse, today):
        """One SQL pass per warehouse (one per distinct demand window of its policies).
        Returns ({product_id: statistics}, {product_id: policy})."""
        stats, policy_of = {}, {}
        for window in sorted(set(self.mapped("demand_window_days"))):
            window_stats = self._oms_demand_statistics(warehouse, window, today=today)
            for product in self.env["product.product"].browse(list(window_stats)):
                policy = self._oms_policy_for(product)
                if policy and policy.demand_window_days == window:
                    stats[product.id] = window_stats[product.id]
                    policy_of[product.id] = policy
        return stats, policy_of

    def _oms_product_result(self, product, stats, seller, today):
        """(values of the result line, values of the orderpoint or None) for one product."""
        self.ensure_one()
        _ = self.env._
        lead = self._oms_lead_days(seller) if seller else 0.0
        values = {
            "policy_id": self.id,
            "product_id": product.id,
            "days_observed": stats["n"],
            "stockout_days": stats["stockout_days"],
            "avg_daily_demand": stats["mean"],
            "demand_std": stats["std"],
            "forecast_daily_demand": max(stats["level"], 0.0),
            "qty_on_hand": stats["on_hand"],
            "lead_days": lead,
            "vendor_id": seller.partner_id.id if seller else False,
            "state": "cannot",
            "reason": False,
            "safety_stock": 0.0,
            "min_qty": 0.0,
            "max_qty": 0.0,
        }
        if not seller:
            values["reason"] = _("No vendor: add one on the product's Purchase tab.")
            return values, None
        if lead <= 0:
            values["reason"] = _(
                "No lead time: the vendor %(vendor)s has a delivery lead time of 0 days and "
                "the company has no days to purchase.",
                vendor=seller.partner_id.display_name,
            )
            return values, None
        figures = self._oms_reorder_figures(stats, lead, product, today=today)
        values.update(
            state="ok",
            safety_stock=figures["safety_stock"],
            min_qty=figures["min_qty"],
            max_qty=figures["max_qty"],
        )
        return values, {
            "oms_policy_id": self.id,
            "product_min_qty": figures["min_qty"],
            "product_max_qty": figures["max_qty"],
            "oms_avg_daily_demand": stats["mean"],
            "oms_demand_std": stats["std"],
            "oms_forecast_daily_demand": figures["daily_demand"],
            "oms_stockout_days": stats["stockout_days"],
            "oms_lead_days": lead,
            "oms_safety_stock": figures["safety_stock"],
        }

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
