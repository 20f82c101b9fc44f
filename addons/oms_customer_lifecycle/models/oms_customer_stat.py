import logging

import psycopg2.errors

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

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

# Concurrency errors are retried by Odoo (request or next cron run), never swallowed.
CONCURRENCY_ERRORS = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.LockNotAvailable,
    psycopg2.errors.DeadlockDetected,
)


class OmsCustomerStat(models.Model):
    """Lifecycle figures of one customer (a commercial partner) in one company.

    One row per (customer, company): a customer buying from two companies has two rows, each
    in its company's currency, seen through the multi-company rules. The rows are written only
    by :meth:`_oms_compute_lifecycle` (one SQL statement per company), never by hand.
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
    def _oms_lifecycle_query(self, company, today, partner_ids=None):
        """The one statement that recomputes the figures of ``company``'s customers.

        Without ``partner_ids``, the figures of all the company's customers are computed
        from the orders and scored together. With ``partner_ids`` (commercial partners, when
        an order is confirmed or cancelled), only theirs are computed from the orders, and
        they are scored together with the stored figures of the company's other customers
        (the quintiles need them all, and reading one row per customer is cheaper than
        reading all the orders); only their rows are written.

        It upserts the figures, deletes the rows of customers left without a confirmed
        order, inserts one history row per segment change, and returns the changes
        as (partner_id, old segment, new segment, clv).
        """
        if partner_ids is None:
            scope = order_scope = old_scope = SQL("TRUE")
            others = SQL("")
        else:
            ids = list(partner_ids)
            scope = SQL("f.partner_id = ANY(%s)", ids)
            order_scope = SQL("p.commercial_partner_id = ANY(%s)", ids)
            old_scope = SQL("s.partner_id = ANY(%s)", ids)
            others = SQL(
                """
    UNION ALL
    SELECT s.partner_id, s.first_order_date, s.last_order_date, s.order_count,
           s.gross_amount, s.refunded_amount, s.revenue, s.average_days_between_orders,
           %(today)s::date - s.last_order_date, %(today)s::date - s.first_order_date,
           s.last_order_date - s.first_order_date
      FROM oms_customer_stat s
     WHERE s.company_id = %(company)s AND NOT (s.partner_id = ANY(%(ids)s))""",
                today=today,
                company=company.id,
                ids=ids,
            )
        lifetime = company.oms_clv_lifetime_years or 3.0
        return SQL(
            """
WITH orders AS (
    SELECT p.commercial_partner_id AS partner_id, so.id, so.date_order,
           so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount
      FROM sale_order so
      JOIN res_partner p ON p.id = so.partner_id
     WHERE so.company_id = %(company)s AND so.state = 'sale' AND %(order_scope)s
), per_partner AS (
    SELECT partner_id, MIN(date_order) AS first_dt, MAX(date_order) AS last_dt,
           COUNT(*) AS order_count, SUM(amount) AS gross
      FROM orders GROUP BY partner_id
), first_ids AS (
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
      FROM per_partner pp LEFT JOIN refunds r ON r.partner_id = pp.partner_id%(others)s
), tiles AS (
    SELECT f.*,
           NTILE(5) OVER (ORDER BY f.last_order_date) AS r_tile,
           NTILE(5) OVER (ORDER BY f.order_count) AS f_tile,
           NTILE(5) OVER (ORDER BY f.revenue) AS m_tile
      FROM figures f
), scores AS (
    -- NTILE splits equal values over two tiles; equal values get the lower one.
    SELECT t.*,
           MIN(t.r_tile) OVER (PARTITION BY t.last_order_date) AS r_score,
           MIN(t.f_tile) OVER (PARTITION BY t.order_count) AS f_score,
           MIN(t.m_tile) OVER (PARTITION BY t.revenue) AS m_score
      FROM tiles t
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
            company=company.id,
            today=today,
            lifetime=lifetime,
            scope=scope,
            order_scope=order_scope,
            old_scope=old_scope,
            others=others,
            uid=self.env.uid,
            now=fields.Datetime.now(),
        )

    @api.model
    def _oms_compute_lifecycle(self, company, partner_ids=None, today=None):
        """Recompute the figures of ``company``'s customers (all, or the commercial partners
        ``partner_ids``) in one SQL statement, then open the retention opportunities.

        Returns the segment changes as a list of (partner_id, old segment, new segment, clv).
        """
        today = today or fields.Date.context_today(self)
        # The statement reads orders, credit notes and partners from the database.
        self.env.flush_all()
        self.env.cr.execute(self._oms_lifecycle_query(company, today, partner_ids))
        changes = self.env.cr.fetchall()
        self.invalidate_model()
        self.env["oms.customer.segment.history"].invalidate_model()
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

    @api.model
    def _cron_oms_customer_lifecycle(self):
        """Nightly: recompute every company's customers, one savepoint per company so that a
        company whose computation fails leaves the others computed."""
        companies = self.env["res.company"].search([], order="id")
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(companies))
        for index, company in enumerate(companies, 1):
            try:
                with self.env.cr.savepoint():
                    self.with_company(company)._oms_compute_lifecycle(company)
            except CONCURRENCY_ERRORS:
                raise
            except Exception:
                _logger.exception("Customer lifecycle of company %s failed", company.name)
            if not cron._commit_progress(1, remaining=len(companies) - index):
                break
