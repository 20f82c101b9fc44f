from odoo import fields, models
from odoo.tools import SQL

FOLLOW_DAYS = 30


class OmsReportPage(models.Model):
    """Top pages: one row per product page view recorded by Odoo's visitor tracking
    (``website.track``), with the first confirmed order of the same customer in the
    website's company that contains the product within 30 days after the view (from
    the sales facts, so in the company currency with refunds deducted)."""

    _name = "oms.report.page"
    _description = "Top Pages"
    _auto = False
    _rec_name = "date"
    _order = "date desc"

    date = fields.Datetime(string="Visit Date", readonly=True)
    product_id = fields.Many2one("product.product", string="Product Page", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product", readonly=True)
    website_id = fields.Many2one("website", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    country_id = fields.Many2one("res.country", string="Visitor Country", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Order Warehouse", readonly=True)
    visitor_id = fields.Many2one("website.visitor", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    order_id = fields.Many2one("sale.order", string="Order that Followed", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    view_count = fields.Integer(string="Views", readonly=True)
    visitor_count = fields.Integer(string="Visitors", aggregator="count_distinct", readonly=True)
    converted_count = fields.Integer(string="Views Followed by an Order", readonly=True)
    order_count = fields.Integer(
        string="Orders that Followed", aggregator="count_distinct", readonly=True
    )
    net_amount = fields.Monetary(string="Revenue of the Product", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT t.id, t.visit_datetime AS date, t.product_id, pp.product_tmpl_id,
                   v.website_id, w.company_id, w.salesteam_id AS team_id,
                   v.country_id, fo.warehouse_id, t.visitor_id, v.partner_id,
                   fo.order_id, c.currency_id,
                   1 AS view_count, t.visitor_id AS visitor_count,
                   CASE WHEN fo.order_id IS NULL THEN 0 ELSE 1 END AS converted_count,
                   fo.order_id AS order_count,
                   COALESCE(fo.net_amount, 0) AS net_amount
              FROM website_track t
              JOIN website_visitor v ON v.id = t.visitor_id
              JOIN product_product pp ON pp.id = t.product_id
              LEFT JOIN website w ON w.id = v.website_id
              LEFT JOIN res_company c ON c.id = w.company_id
              LEFT JOIN LATERAL (
                    SELECT f.order_id, f.warehouse_id, SUM(f.net_amount) AS net_amount
                      FROM oms_sale_fact f
                     WHERE f.partner_id = v.partner_id
                       AND f.product_id = t.product_id
                       AND f.company_id = w.company_id
                       AND f.date >= t.visit_datetime
                       AND f.date < t.visit_datetime + make_interval(days => %(days)s)
                  GROUP BY f.order_id, f.warehouse_id, f.date
                  ORDER BY f.date
                     LIMIT 1
              ) fo ON TRUE
             WHERE t.product_id IS NOT NULL
               AND (w.company_id IS NULL OR w.company_id = ANY(%(companies)s))
            """,
            days=FOLLOW_DAYS,
            companies=self.env.companies.ids,
        )
