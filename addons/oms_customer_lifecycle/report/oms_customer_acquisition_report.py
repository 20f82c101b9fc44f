from odoo import fields, models, tools
from odoo.tools import SQL


class OmsCustomerAcquisitionReport(models.Model):
    """New customers: one row per customer and company, at its first confirmed order, with its
    acquisition UTM, its revenue in its first 90 days and whether it still orders 6 months
    later (cohorts by month of the first order)."""

    _name = "oms.customer.acquisition.report"
    _description = "Customer Acquisition"
    _auto = False
    _order = "first_order_date desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    first_order_date = fields.Date(string="Acquired On", readonly=True)
    source_id = fields.Many2one("utm.source", string="Source", readonly=True)
    medium_id = fields.Many2one("utm.medium", string="Medium", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", string="Campaign", readonly=True)
    customer_count = fields.Integer(string="New Customers", readonly=True, aggregator="sum")
    revenue_90d = fields.Monetary(
        string="Revenue in First 90 Days",
        readonly=True,
        aggregator="sum",
        help="Confirmed orders in the 90 days from the first one, untaxed, company currency.",
    )
    retained_6m = fields.Float(
        string="Active After 6 Months (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the customers who ordered again 6 months or more after their first "
        "order; empty for customers acquired less than 6 months ago.",
    )
    retained_6m_count = fields.Integer(
        string="Still Active After 6 Months", readonly=True, aggregator="sum"
    )

    def _query(self):
        return SQL(
            """
WITH orders AS (
    SELECT so.id, so.company_id, p.commercial_partner_id AS partner_id, so.date_order,
           so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount,
           so.source_id, so.medium_id, so.campaign_id, so.opportunity_id
      FROM sale_order so
      JOIN res_partner p ON p.id = so.partner_id
     WHERE so.state IN %(sold)s
), firsts AS (
    SELECT DISTINCT ON (o.company_id, o.partner_id)
           o.id AS order_id, o.company_id, o.partner_id, o.date_order AS first_dt,
           COALESCE(o.source_id, l.source_id) AS source_id,
           COALESCE(o.medium_id, l.medium_id) AS medium_id,
           COALESCE(o.campaign_id, l.campaign_id) AS campaign_id
      FROM orders o LEFT JOIN crm_lead l ON l.id = o.opportunity_id
     ORDER BY o.company_id, o.partner_id, o.date_order, o.id
)
SELECT f.order_id AS id, f.company_id, f.partner_id, c.currency_id, p.user_id,
       f.first_dt::date AS first_order_date, f.source_id, f.medium_id, f.campaign_id,
       1 AS customer_count,
       SUM(o.amount) FILTER (WHERE o.date_order < f.first_dt + INTERVAL '90 days')
           AS revenue_90d,
       CASE WHEN f.first_dt + INTERVAL '6 months' > NOW() THEN NULL
            WHEN BOOL_OR(o.date_order >= f.first_dt + INTERVAL '6 months') THEN 100.0
            ELSE 0.0 END AS retained_6m,
       CASE WHEN BOOL_OR(o.date_order >= f.first_dt + INTERVAL '6 months') THEN 1 ELSE 0 END
           AS retained_6m_count
  FROM firsts f
  JOIN orders o ON o.company_id = f.company_id AND o.partner_id = f.partner_id
  JOIN res_company c ON c.id = f.company_id
  JOIN res_partner p ON p.id = f.partner_id
 GROUP BY f.order_id, f.company_id, f.partner_id, c.currency_id, p.user_id, f.first_dt,
          f.source_id, f.medium_id, f.campaign_id
""",
            sold=self.env["oms.customer.stat"]._oms_sold_states(),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
