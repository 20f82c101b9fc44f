from odoo import api, fields, models
from odoo.tools import SQL

SEGMENTS = [
    ("new", "New"),
    ("active", "Active"),
    ("loyal", "Loyal"),
    ("champion", "Champion"),
    ("at_risk", "At Risk"),
    ("hibernating", "Hibernating"),
    ("lost", "Lost"),
]

# Segments that start a retention opportunity for a valuable customer.
RETENTION_SEGMENTS = ("at_risk", "hibernating")


class OmsCustomerStat(models.Model):
    """Lifecycle figures of one customer (a commercial partner) in one company.

    One row per (customer, company): a customer buying from two companies has two rows, each
    in its company's currency, seen through the multi-company rules. The rows are written only
    by :meth:`_oms_compute_lifecycle` (one SQL statement), never by hand: for all the company's
    customers (ranked together), or for some of them scored against the stored quintile
    thresholds (``oms.customer.rfm.threshold``) when an order is confirmed or cancelled and
    by the batches of the nightly run (``oms_customer_stat_nightly.py``).
    """

    _name = "oms.customer.stat"
    _description = "Customer Lifecycle Figures"
    _order = "company_id, clv desc, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade", index=True)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    user_id = fields.Many2one(
        related="partner_id.user_id", string="Salesperson", store=True, index=True
    )
    first_order_date = fields.Date(readonly=True)
    last_order_date = fields.Date(readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True, aggregator="sum")
    gross_amount = fields.Monetary(
        string="Ordered", readonly=True, help="Confirmed orders, untaxed, company currency."
    )
    refunded_amount = fields.Monetary(
        string="Refunded", readonly=True, help="Posted credit notes, untaxed, company currency."
    )
    revenue = fields.Monetary(
        readonly=True,
        help="Confirmed orders less posted credit notes (untaxed, company currency); never "
        "below zero.",
    )
    average_order_value = fields.Monetary(readonly=True, aggregator="avg")
    average_days_between_orders = fields.Float(
        string="Days Between Orders", readonly=True, aggregator="avg", digits=(16, 1)
    )
    recency_days = fields.Integer(string="Days Since Last Order", compute="_compute_recency_days")
    recency_score = fields.Integer(string="R", readonly=True, aggregator="avg")
    frequency_score = fields.Integer(string="F", readonly=True, aggregator="avg")
    monetary_score = fields.Integer(string="M", readonly=True, aggregator="avg")
    rfm_score = fields.Char(string="RFM", readonly=True, index=True)
    segment = fields.Selection(SEGMENTS, readonly=True, index=True)
    segment_date = fields.Date(string="In Segment Since", readonly=True)
    clv = fields.Monetary(
        string="Lifetime Value",
        readonly=True,
        help="Average order value x orders per year (between the first and the last order, "
        "at least one year) x expected lifetime (company setting).",
    )
    source_id = fields.Many2one("utm.source", string="Acquisition Source", readonly=True)
    medium_id = fields.Many2one("utm.medium", string="Acquisition Medium", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", string="Acquisition Campaign", readonly=True)
    lead_id = fields.Many2one("crm.lead", string="Originating Lead", readonly=True)
    lead_days = fields.Integer(string="Lead to First Order (days)", readonly=True, aggregator="avg")

    _partner_company_uniq = models.Constraint(
        "UNIQUE(partner_id, company_id)", "A customer has one line of figures per company."
    )

    @api.depends("last_order_date")
    def _compute_recency_days(self):
        today = fields.Date.context_today(self)
        for stat in self:
            last = stat.last_order_date
            stat.recency_days = (today - last).days if last else 0

    # ------------------------------------------------------------------ computation

    @api.model
    def _oms_sold_states(self):
        """The states of the orders that count as sales: those of Odoo's sales analysis."""
        return tuple(self.env["sale.report"]._get_done_states())

    @api.model
    def _oms_figures_sql(self, company, today, order_scope):
        """CTEs ``orders`` .. ``figures``: the figures of the customers of ``company`` whose
        orders ``order_scope`` selects, from the confirmed orders and the posted credit
        notes (one row per commercial partner)."""
        return SQL(
            """
orders AS (
    SELECT p.commercial_partner_id AS partner_id, so.id, so.date_order,
           so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount
      FROM sale_order so
      JOIN res_partner p ON p.id = so.partner_id
     WHERE so.company_id = %(company)s AND so.state IN %(sold)s AND %(order_scope)s
), per_partner AS (
    SELECT partner_id, MIN(date_order) AS first_dt, MAX(date_order) AS last_dt,
           COUNT(*) AS order_count, SUM(amount) AS gross
      FROM orders GROUP BY partner_id
), refunds AS (
    SELECT am.commercial_partner_id AS partner_id, SUM(-am.amount_untaxed_signed) AS amount
      FROM account_move am
     WHERE am.company_id = %(company)s AND am.move_type = 'out_refund' AND am.state = 'posted'
       AND am.commercial_partner_id IN (SELECT partner_id FROM per_partner)
     GROUP BY am.commercial_partner_id
), figures AS (
    SELECT pp.partner_id, pp.first_dt::date AS first_order_date,
           pp.last_dt::date AS last_order_date, pp.order_count, pp.gross,
           COALESCE(r.amount, 0) AS refunded,
           GREATEST(pp.gross - COALESCE(r.amount, 0), 0) AS revenue,
           CASE WHEN pp.order_count > 1
                THEN (pp.last_dt::date - pp.first_dt::date)::float / (pp.order_count - 1)
           END AS days_between,
           %(today)s::date - pp.last_dt::date AS recency_days,
           %(today)s::date - pp.first_dt::date AS tenure_days,
           pp.last_dt::date - pp.first_dt::date AS span_days
      FROM per_partner pp LEFT JOIN refunds r ON r.partner_id = pp.partner_id
)""",
            company=company.id,
            today=today,
            order_scope=order_scope,
            sold=self._oms_sold_states(),
        )

    @api.model
    def _oms_bounds_sql(self, source):
        """CTEs ``tiles`` .. ``bounds``: the quintile thresholds of the rows of ``source``
        (a relation with last_order_date, order_count, revenue). NTILE splits equal values
        over two tiles; equal values get the lower one, so the threshold of score k is the
        lowest value whose (lowest) tile is at least k, and scoring a value against the
        thresholds gives the tile it has among the rows of ``source``."""
        minimums = [
            SQL(
                "MIN(%s) FILTER (WHERE %s >= %s) AS %s",
                SQL.identifier(column),
                SQL.identifier(tile),
                k,
                SQL.identifier(f"{prefix}{k}"),
            )
            for column, prefix, tile in (
                ("last_order_date", "r", "r_tile"),
                ("order_count", "f", "f_tile"),
                ("revenue", "m", "m_tile"),
            )
            for k in range(2, 6)
        ]
        return SQL(
            """
tiles AS (
    SELECT src.last_order_date, src.order_count, src.revenue,
           NTILE(5) OVER (ORDER BY src.last_order_date) AS r_ntile,
           NTILE(5) OVER (ORDER BY src.order_count) AS f_ntile,
           NTILE(5) OVER (ORDER BY src.revenue) AS m_ntile
      FROM %(source)s src
), tied AS (
    SELECT t.last_order_date, t.order_count, t.revenue,
           MIN(t.r_ntile) OVER (PARTITION BY t.last_order_date) AS r_tile,
           MIN(t.f_ntile) OVER (PARTITION BY t.order_count) AS f_tile,
           MIN(t.m_ntile) OVER (PARTITION BY t.revenue) AS m_tile
      FROM tiles t
), bounds AS (
    SELECT %(minimums)s, COUNT(*) AS customers FROM tied
)""",
            source=source,
            minimums=SQL(", ").join(minimums),
        )

    @api.model
    def _oms_store_bounds_sql(self, company, today, done):
        """CTE ``stored``: ``bounds`` become the company's thresholds of ``today``'s run
        (``done``: the same statement ranks every customer)."""
        return SQL(
            """
stored AS (
    INSERT INTO oms_customer_rfm_threshold AS t
           (company_id, computed_date, customer_count,
            recency_2, recency_3, recency_4, recency_5,
            frequency_2, frequency_3, frequency_4, frequency_5,
            monetary_2, monetary_3, monetary_4, monetary_5,
            ranked_partner_id, ranked_done, create_uid, create_date, write_uid, write_date)
    SELECT %(company)s, %(today)s::date, b.customers, b.r2, b.r3, b.r4, b.r5,
           b.f2, b.f3, b.f4, b.f5, b.m2, b.m3, b.m4, b.m5, 0, %(done)s,
           %(uid)s, %(now)s, %(uid)s, %(now)s
      FROM bounds b
    ON CONFLICT (company_id) DO UPDATE SET
           computed_date = EXCLUDED.computed_date,
           customer_count = EXCLUDED.customer_count,
           recency_2 = EXCLUDED.recency_2, recency_3 = EXCLUDED.recency_3,
           recency_4 = EXCLUDED.recency_4, recency_5 = EXCLUDED.recency_5,
           frequency_2 = EXCLUDED.frequency_2, frequency_3 = EXCLUDED.frequency_3,
           frequency_4 = EXCLUDED.frequency_4, frequency_5 = EXCLUDED.frequency_5,
           monetary_2 = EXCLUDED.monetary_2, monetary_3 = EXCLUDED.monetary_3,
           monetary_4 = EXCLUDED.monetary_4, monetary_5 = EXCLUDED.monetary_5,
           ranked_partner_id = 0,
           ranked_done = EXCLUDED.ranked_done,
           write_uid = EXCLUDED.write_uid,
           write_date = EXCLUDED.write_date
    RETURNING t.id, t.customer_count
)""",
            company=company.id,
            today=today,
            done=done,
            uid=self.env.uid,
            now=fields.Datetime.now(),
        )

    @api.model
    def _oms_threshold_query(self, company, today):
        """The nightly run's first statement: rank all the company's customers on their
        figures of ``today`` (read, not written) and store the thresholds. Returns the
        number of customers ranked."""
        return SQL(
            "WITH %s, %s, %s SELECT customer_count FROM stored",
            self._oms_figures_sql(company, today, SQL("TRUE")),
            self._oms_bounds_sql(SQL("figures")),
            self._oms_store_bounds_sql(company, today, False),
        )

    @api.model
    def _oms_stored_bounds_sql(self, company, partner_ids):
        """CTE ``bounds`` for scoring ``partner_ids`` alone: the company's stored thresholds
        or, before its first nightly run, those of the other customers' stored figures
        ranked together with theirs (as the nightly run would)."""
        self.env.cr.execute(
            SQL("SELECT 1 FROM oms_customer_rfm_threshold WHERE company_id = %s", company.id)
        )
        if self.env.cr.rowcount:
            return SQL(
                """
bounds AS (
    SELECT recency_2 AS r2, recency_3 AS r3, recency_4 AS r4, recency_5 AS r5,
           frequency_2 AS f2, frequency_3 AS f3, frequency_4 AS f4, frequency_5 AS f5,
           monetary_2 AS m2, monetary_3 AS m3, monetary_4 AS m4, monetary_5 AS m5
      FROM oms_customer_rfm_threshold WHERE company_id = %s
)""",
                company.id,
            )
        return SQL(
            """
ranked AS (
    SELECT last_order_date, order_count, revenue FROM figures
     UNION ALL
    SELECT s.last_order_date, s.order_count, s.revenue
      FROM oms_customer_stat s
     WHERE s.company_id = %s AND NOT (s.partner_id = ANY(%s))
), %s""",
            company.id,
            partner_ids,
            self._oms_bounds_sql(SQL("ranked")),
        )

    @api.model
    def _oms_score_sql(self, column, prefix):
        """The score (1 to 5) of ``figures.column`` against the thresholds ``prefix``2..5."""
        terms = [
            SQL(
                "COALESCE(f.%s >= b.%s, FALSE)::int",
                SQL.identifier(column),
                SQL.identifier(f"{prefix}{k}"),
            )
            for k in range(2, 6)
        ]
        return SQL("1 + %s", SQL(" + ").join(terms))

    @api.model
    def _oms_lifecycle_query(self, company, today, partner_ids=None):
        """The one statement that recomputes the figures of ``company``'s customers.

        Without ``partner_ids``, the figures of all the company's customers are computed
        from the orders, ranked together, and the quintile thresholds of the ranking are
        stored (``oms.customer.rfm.threshold``). With ``partner_ids`` (commercial partners:
        an order confirmed or cancelled, a batch of the nightly run), only theirs are
        computed, from their own orders, and scored against the company's stored
        thresholds: the other customers are neither re-ranked nor written.

        It upserts the figures, deletes the rows of customers left without a confirmed
        order, inserts one history row per segment change, and returns the changes
        as (partner_id, old segment, new segment, clv).
        """
        stored = SQL("")
        if partner_ids is None:
            scope = order_scope = old_scope = SQL("TRUE")
            bounds = self._oms_bounds_sql(SQL("figures"))
            stored = SQL(", %s", self._oms_store_bounds_sql(company, today, True))
        else:
            ids = sorted(set(partner_ids))
            scope = SQL("f.partner_id = ANY(%s)", ids)
            # their orders only, through the indexed customer of the order
            order_scope = SQL(
                "so.partner_id IN (SELECT id FROM res_partner "
                "WHERE commercial_partner_id = ANY(%s))",
                ids,
            )
            old_scope = SQL("s.partner_id = ANY(%s)", ids)
            bounds = self._oms_stored_bounds_sql(company, ids)
        lifetime = company.oms_clv_lifetime_years or 3.0
        return SQL(
            """
WITH %(figures)s, first_ids AS (
    -- The first order: the lowest id on the first date (hash joins, no sort).
    SELECT o.partner_id, MIN(o.id) AS first_order_id
      FROM orders o
      JOIN per_partner pp ON pp.partner_id = o.partner_id AND pp.first_dt = o.date_order
     GROUP BY o.partner_id
), first_orders AS (
    SELECT pp.partner_id,
           COALESCE(so.source_id, l.source_id) AS source_id,
           COALESCE(so.medium_id, l.medium_id) AS medium_id,
           COALESCE(so.campaign_id, l.campaign_id) AS campaign_id,
           l.id AS lead_id,
           GREATEST(FLOOR(EXTRACT(EPOCH FROM (so.date_order - l.create_date)) / 86400), 0)
               AS lead_days
      FROM first_ids pp
      JOIN sale_order so ON so.id = pp.first_order_id
      LEFT JOIN crm_lead l ON l.id = so.opportunity_id
), %(bounds)s%(stored)s, scores AS (
    SELECT f.*, %(r_score)s AS r_score, %(f_score)s AS f_score, %(m_score)s AS m_score
      FROM figures f CROSS JOIN bounds b
), final AS (
    SELECT s.*, fo.source_id, fo.medium_id, fo.campaign_id, fo.lead_id, fo.lead_days,
           s.revenue / s.order_count AS aov,
           s.revenue / s.order_count
               * (s.order_count * 365.0 / GREATEST(s.span_days, 365))
               * %(lifetime)s AS clv,
           CASE
               WHEN s.recency_days > 365 THEN 'lost'
               WHEN s.recency_days > 180 THEN 'hibernating'
               WHEN s.recency_days > 90 AND s.order_count >= 2 THEN 'at_risk'
               WHEN s.recency_days > 90 THEN 'hibernating'
               WHEN s.tenure_days <= 90 THEN 'new'
               WHEN s.r_score >= 4 AND s.f_score >= 4 AND s.m_score >= 4
                    AND s.order_count >= 2 THEN 'champion'
               WHEN s.f_score >= 4 AND s.order_count >= 2 THEN 'loyal'
               ELSE 'active'
           END AS segment
      FROM scores s JOIN first_orders fo ON fo.partner_id = s.partner_id
), history AS (
    INSERT INTO oms_customer_segment_history
           (partner_id, company_id, from_segment, to_segment, date,
            create_uid, create_date, write_uid, write_date)
    SELECT f.partner_id, %(company)s, old.segment, f.segment, %(today)s::date,
           %(uid)s, %(now)s, %(uid)s, %(now)s
      FROM final f
      LEFT JOIN oms_customer_stat old
             ON old.partner_id = f.partner_id AND old.company_id = %(company)s
     WHERE %(scope)s AND old.segment IS DISTINCT FROM f.segment
    RETURNING partner_id, from_segment, to_segment
), upserted AS (
    INSERT INTO oms_customer_stat AS st
           (partner_id, company_id, user_id, first_order_date, last_order_date, order_count,
            gross_amount, refunded_amount, revenue, average_order_value,
            average_days_between_orders, recency_score, frequency_score,
            monetary_score, rfm_score, segment, segment_date, clv, source_id, medium_id,
            campaign_id, lead_id, lead_days,
            create_uid, create_date, write_uid, write_date)
    SELECT f.partner_id, %(company)s, p.user_id, f.first_order_date, f.last_order_date,
           f.order_count, f.gross, f.refunded, f.revenue, f.aov, f.days_between,
           f.r_score, f.f_score, f.m_score,
           f.r_score::text || f.f_score::text || f.m_score::text, f.segment, %(today)s::date,
           f.clv, f.source_id, f.medium_id, f.campaign_id, f.lead_id, f.lead_days,
           %(uid)s, %(now)s, %(uid)s, %(now)s
      FROM final f JOIN res_partner p ON p.id = f.partner_id
     WHERE %(scope)s
    ON CONFLICT (partner_id, company_id) DO UPDATE SET
           user_id = EXCLUDED.user_id,
           first_order_date = EXCLUDED.first_order_date,
           last_order_date = EXCLUDED.last_order_date,
           order_count = EXCLUDED.order_count,
           gross_amount = EXCLUDED.gross_amount,
           refunded_amount = EXCLUDED.refunded_amount,
           revenue = EXCLUDED.revenue,
           average_order_value = EXCLUDED.average_order_value,
           average_days_between_orders = EXCLUDED.average_days_between_orders,
           recency_score = EXCLUDED.recency_score,
           frequency_score = EXCLUDED.frequency_score,
           monetary_score = EXCLUDED.monetary_score,
           rfm_score = EXCLUDED.rfm_score,
           segment_date = CASE WHEN st.segment IS DISTINCT FROM EXCLUDED.segment
                               THEN EXCLUDED.segment_date ELSE st.segment_date END,
           segment = EXCLUDED.segment,
           clv = EXCLUDED.clv,
           source_id = EXCLUDED.source_id,
           medium_id = EXCLUDED.medium_id,
           campaign_id = EXCLUDED.campaign_id,
           lead_id = EXCLUDED.lead_id,
           lead_days = EXCLUDED.lead_days,
           write_uid = EXCLUDED.write_uid,
           write_date = EXCLUDED.write_date
     -- The nightly pass rewrites only the customers whose figures changed.
     WHERE (st.user_id, st.first_order_date, st.last_order_date, st.order_count,
            st.gross_amount, st.refunded_amount, st.revenue, st.average_order_value,
            st.average_days_between_orders, st.recency_score, st.frequency_score,
            st.monetary_score, st.segment, st.clv, st.source_id, st.medium_id,
            st.campaign_id, st.lead_id, st.lead_days)
           IS DISTINCT FROM
           (EXCLUDED.user_id, EXCLUDED.first_order_date, EXCLUDED.last_order_date,
            EXCLUDED.order_count, EXCLUDED.gross_amount, EXCLUDED.refunded_amount,
            EXCLUDED.revenue, EXCLUDED.average_order_value,
            EXCLUDED.average_days_between_orders, EXCLUDED.recency_score,
            EXCLUDED.frequency_score, EXCLUDED.monetary_score, EXCLUDED.segment, EXCLUDED.clv,
            EXCLUDED.source_id, EXCLUDED.medium_id, EXCLUDED.campaign_id, EXCLUDED.lead_id,
            EXCLUDED.lead_days)
    RETURNING st.id
), removed AS (
    DELETE FROM oms_customer_stat s
     WHERE s.company_id = %(company)s AND %(old_scope)s
       AND NOT EXISTS (SELECT 1 FROM final f WHERE f.partner_id = s.partner_id)
    RETURNING s.id
)
SELECT h.partner_id, h.from_segment, h.to_segment, f.clv
  FROM history h JOIN final f ON f.partner_id = h.partner_id
 ORDER BY h.partner_id
""",
            figures=self._oms_figures_sql(company, today, order_scope),
            bounds=bounds,
            stored=stored,
            r_score=self._oms_score_sql("last_order_date", "r"),
            f_score=self._oms_score_sql("order_count", "f"),
            m_score=self._oms_score_sql("revenue", "m"),
            company=company.id,
            today=today,
            lifetime=lifetime,
            scope=scope,
            old_scope=old_scope,
            uid=self.env.uid,
            now=fields.Datetime.now(),
        )

    @api.model
    def _oms_compute_lifecycle(self, company, partner_ids=None, today=None):
        """Recompute the figures of ``company``'s customers in one SQL statement: all of
        them, ranked together (their thresholds stored), or the commercial partners
        ``partner_ids`` scored against the stored thresholds; then open the retention
        opportunities.

        Returns the segment changes as a list of (partner_id, old segment, new segment, clv).
        """
        today = today or fields.Date.context_today(self)
        # The statement reads orders, credit notes and partners from the database.
        self.env.flush_all()
        self.env.cr.execute(self._oms_lifecycle_query(company, today, partner_ids))
        changes = self.env.cr.fetchall()
        self.invalidate_model()
        self.env["oms.customer.segment.history"].invalidate_model()
        self.env["oms.customer.rfm.threshold"].invalidate_model()
        self.env["res.partner"].invalidate_model(
            ["oms_segment", "oms_clv", "oms_customer_stat_ids", "oms_segment_history_ids"]
        )
        self._oms_open_retention_opportunities(company, changes)
        return changes

    @api.model
    def _oms_open_retention_opportunities(self, company, changes):
        """Retention opportunities for the valuable customers who moved into a retention
        segment. Off while the company's threshold is zero (as installed); a customer's first
        computation (no previous segment, e.g. the first nightly run after installation)
        opens none."""
        threshold = company.oms_retention_clv_threshold
        if company.currency_id.compare_amounts(threshold, 0.0) <= 0:
            return self.env["crm.lead"]
        partner_ids = [
            partner_id
            for partner_id, old_segment, segment, clv in changes
            if old_segment and segment in RETENTION_SEGMENTS and (clv or 0.0) > threshold
        ]
        if not partner_ids:
            return self.env["crm.lead"]
        partners = self.env["res.partner"].browse(partner_ids)
        return self.env["crm.lead"]._oms_create_retention_opportunities(company, partners)
