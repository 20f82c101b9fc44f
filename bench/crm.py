#!/usr/bin/env python3
"""Benchmark of the customer lifecycle recomputation (issue 12) on a ``bench/generate``
data set.

Usage::

    .venv/bin/python bench/crm.py --db NAME [--orders N --seed S] [--rounds 5] [--config C]

With ``--orders``, orders are generated first when the database holds fewer confirmed
orders than that. For the company with the most confirmed orders it first computes the figures as of
yesterday (not timed: last night's run), then times, alternating, several rounds (each in
a savepoint rolled back afterwards, so every round starts alike):

- ours: ``oms.customer.stat._oms_compute_lifecycle(company)``, tonight's pass: one SQL
  statement that computes, scores and segments every customer and writes the customers
  whose figures changed, and the segment changes;
- orm: the same figures computed per customer through the ORM (``search_read`` of each
  customer's orders and credit notes, figures, quintiles and segments in Python), without
  writing them (Odoo's way, favourable to it);
- plain: one SQL GROUP BY (with the same window functions and the first order's UTM and
  lead) returning the same figures without writing them: the floor.

It checks that the three give the same order counts, revenues, scores and segments, and
prints medians; the last line gives orm/ours (goal >= 20x) and ours/plain (goal <= 3x).
"""

import sys
from datetime import date, timedelta

import common

from odoo.tools import SQL

PLAIN = """
WITH orders AS (
    SELECT p.commercial_partner_id AS partner_id, so.id, so.date_order,
           so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount
      FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
     WHERE so.company_id = %(company)s AND so.state = 'sale'
), per_partner AS (
    SELECT partner_id, MIN(date_order) AS first_dt, MAX(date_order) AS last_dt,
           MIN(date_order)::date AS first_date, MAX(date_order)::date AS last_date,
           COUNT(*) AS order_count, SUM(amount) AS gross
      FROM orders GROUP BY partner_id
), first_ids AS (
    SELECT o.partner_id, MIN(o.id) AS order_id
      FROM orders o
      JOIN per_partner pp ON pp.partner_id = o.partner_id AND pp.first_dt = o.date_order
     GROUP BY o.partner_id
), first_orders AS (
    SELECT fi.partner_id, COALESCE(so.source_id, l.source_id) AS source_id,
           COALESCE(so.medium_id, l.medium_id) AS medium_id,
           COALESCE(so.campaign_id, l.campaign_id) AS campaign_id, l.id AS lead_id,
           GREATEST(FLOOR(EXTRACT(EPOCH FROM (so.date_order - l.create_date)) / 86400), 0)
               AS lead_days
      FROM first_ids fi JOIN sale_order so ON so.id = fi.order_id
      LEFT JOIN crm_lead l ON l.id = so.opportunity_id
), refunds AS (
    SELECT am.commercial_partner_id AS partner_id, SUM(-am.amount_untaxed_signed) AS amount
      FROM account_move am
     WHERE am.company_id = %(company)s AND am.move_type = 'out_refund' AND am.state = 'posted'
     GROUP BY am.commercial_partner_id
), figures AS (
    SELECT pp.*, GREATEST(pp.gross - COALESCE(r.amount, 0), 0) AS revenue,
           %(today)s::date - pp.last_date AS recency, %(today)s::date - pp.first_date AS tenure
      FROM per_partner pp LEFT JOIN refunds r ON r.partner_id = pp.partner_id
), tiles AS (
    SELECT f.*, NTILE(5) OVER (ORDER BY last_date) AS rt, NTILE(5) OVER (ORDER BY order_count)
           AS ft, NTILE(5) OVER (ORDER BY revenue) AS mt
      FROM figures f
), scores AS (
    SELECT t.*, MIN(rt) OVER (PARTITION BY last_date) AS r,
           MIN(ft) OVER (PARTITION BY order_count) AS f, MIN(mt) OVER (PARTITION BY revenue) AS m
      FROM tiles t
)
SELECT s.partner_id, order_count, revenue, r, f, m,
       CASE WHEN recency > 365 THEN 'lost'
            WHEN recency > 180 THEN 'hibernating'
            WHEN recency > 90 AND order_count >= 2 THEN 'at_risk'
            WHEN recency > 90 THEN 'hibernating'
            WHEN tenure <= 90 THEN 'new'
            WHEN r >= 4 AND f >= 4 AND m >= 4 AND order_count >= 2 THEN 'champion'
            WHEN f >= 4 AND order_count >= 2 THEN 'loyal'
            ELSE 'active' END AS segment,
       revenue / order_count AS aov,
       CASE WHEN order_count > 1 THEN (last_date - first_date)::float / (order_count - 1) END
           AS days_between,
       revenue / order_count * (order_count * 365.0 / GREATEST(last_date - first_date, 365))
           * %(lifetime)s AS clv,
       fo.source_id, fo.medium_id, fo.campaign_id, fo.lead_id, fo.lead_days
  FROM scores s JOIN first_orders fo ON fo.partner_id = s.partner_id
"""


def ours(env, company, today):
    stats = env["oms.customer.stat"]
    stats._oms_compute_lifecycle(company, today=today)
    env.cr.execute(
        SQL(
            "SELECT partner_id, order_count, revenue, recency_score, frequency_score, "
            "monetary_score, segment FROM oms_customer_stat WHERE company_id = %s",
            company.id,
        )
    )
    return env.cr.fetchall()


def plain(env, company, today):
    env.cr.execute(
        SQL(PLAIN, company=company.id, today=today, lifetime=company.oms_clv_lifetime_years)
    )
    return [row[:7] for row in env.cr.fetchall()]


def quintiles(values):
    """NTILE(5) over the values in ascending order, equal values on the lower tile."""
    ordered = sorted(values)
    n = len(ordered)
    size, extra = divmod(n, 5)
    tiles, lowest = [], {}
    for tile in range(1, 6):
        tiles += [tile] * (size + (1 if tile <= extra else 0))
    for value, tile in zip(ordered, tiles, strict=True):
        lowest.setdefault(value, tile)
    return lowest


def orm(env, company, today):
    """Per customer through the ORM, as a module without SQL would."""
    env.invalidate_all()
    groups = env["sale.order"]._read_group(
        [("company_id", "=", company.id), ("state", "=", "sale")],
        ["partner_id"],
    )
    customers = {partner.commercial_partner_id for (partner,) in groups}
    figures = {}
    for customer in customers:
        orders = env["sale.order"].search_read(
            [
                ("partner_id", "child_of", customer.id),
                ("company_id", "=", company.id),
                ("state", "=", "sale"),
            ],
            ["date_order", "amount_untaxed", "currency_rate", "source_id", "opportunity_id"],
        )
        refunds = env["account.move"].search_read(
            [
                ("commercial_partner_id", "=", customer.id),
                ("company_id", "=", company.id),
                ("move_type", "=", "out_refund"),
                ("state", "=", "posted"),
            ],
            ["amount_untaxed_signed"],
        )
        gross = sum(o["amount_untaxed"] / (o["currency_rate"] or 1.0) for o in orders)
        refunded = -sum(m["amount_untaxed_signed"] for m in refunds)
        dates = [o["date_order"].date() for o in orders]
        figures[customer.id] = {
            "count": len(orders),
            "revenue": max(gross - refunded, 0.0),
            "first": min(dates),
            "last": max(dates),
        }
    r_tiles = quintiles([f["last"] for f in figures.values()])
    f_tiles = quintiles([f["count"] for f in figures.values()])
    m_tiles = quintiles([round(f["revenue"], 2) for f in figures.values()])
    rows = []
    for partner_id, f in figures.items():
        r, fr, m = r_tiles[f["last"]], f_tiles[f["count"]], m_tiles[round(f["revenue"], 2)]
        recency, tenure = (today - f["last"]).days, (today - f["first"]).days
        if recency > 365:
            segment = "lost"
        elif recency > 180 or (recency > 90 and f["count"] < 2):
            segment = "hibernating"
        elif recency > 90:
            segment = "at_risk"
        elif tenure <= 90:
            segment = "new"
        elif r >= 4 and fr >= 4 and m >= 4 and f["count"] >= 2:
            segment = "champion"
        elif fr >= 4 and f["count"] >= 2:
            segment = "loyal"
        else:
            segment = "active"
        rows.append((partner_id, f["count"], f["revenue"], r, fr, m, segment))
    return rows


def normalise(rows):
    return sorted(
        (pid, int(count), round(float(revenue), 2), int(r), int(f), int(m), segment)
        for pid, count, revenue, r, f, m, segment in rows
    )


def parse_args(argv=None):
    parser = common.argument_parser(
        __doc__, seed=42, orders=None, rounds=5, orders_help="generate up to this many orders first"
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    with common.open_env(args, {"tz": "UTC"}) as env:
        cr = env.cr
        common.generate_orders(env, args.orders, args.seed, [("state", "=", "sale")])
        common.analyze(cr, ("sale_order", "res_partner", "account_move", "crm_lead"))
        company_id, orders = env["sale.order"]._read_group(
            [("state", "=", "sale")], ["company_id"], ["__count"], order="__count desc", limit=1
        )[0]
        company = company_id
        company.oms_retention_clv_threshold = 0.0  # time the figures, not the CRM
        today = date.today()
        # Last night's figures (a first computation writes every customer: timed apart).
        first, _rows = common.timed(
            env["oms.customer.stat"]._oms_compute_lifecycle,
            company,
            today=today - timedelta(days=1),
        )
        paths = {
            "ours": lambda: ours(env, company, today),
            "orm": lambda: orm(env, company, today),
            "plain": lambda: plain(env, company, today),
        }
        times, results = common.alternate(
            paths, args.rounds, around=lambda _path: common.rolled_back(env, "bench_crm")
        )
        answers = {name: normalise(rows) for name, rows in results.items()}
        medians = common.medians(times)
        customers = len(answers["ours"])
        print(
            f"database {args.db}: company {company.name}, {orders} confirmed orders, "
            f"{customers} customers, {args.rounds} rounds (median)"
        )
        print(f"  first computation (every customer written, once): {1000 * first:.1f} ms")
        for name, value in medians.items():
            print(f"{name:>6}: {1000 * value:9.1f} ms")
        same = answers["ours"] == answers["orm"] == answers["plain"]
        if not same:
            for name in ("orm", "plain"):
                diff = set(answers["ours"]) ^ set(answers[name])
                print(f"ours vs {name}: {len(diff)} rows differ, e.g. {sorted(diff)[:4]}")
        common.print_ratio(
            "ORM",
            f"{medians['orm'] / medians['ours']:.1f}x faster (goal >= 20x); ours/plain "
            f"{medians['ours'] / medians['plain']:.2f}x (goal <= 3x); answers "
            f"{'equal' if same else 'DIFFERENT'}",
        )
        cr.rollback()
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
