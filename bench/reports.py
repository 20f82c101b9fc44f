#!/usr/bin/env python3
"""Benchmark of the OMS rankings (issue 4) on a ``bench/generate`` data set.

Usage::

    .venv/bin/python bench/reports.py --db NAME [--orders N --seed S] [--rounds 7]

With ``--orders``, orders are generated first when the database holds fewer
confirmed orders than that. For each ranking it times, alternating, several rounds:

- ours: the top-50 ``_read_group`` on the ranking model (pre-aggregated facts);
- plain: the best single SQL query over the order tables for the same answer;
- sale.report: ``sale.report._read_group`` for the same answer (Odoo's way);

checks that the three answers are equal, and prints the medians and ratios. It
then measures the time from an order change to the rankings showing it, the full
rebuild of the facts, and the XLSX export of the dashboard. The last line gives
the worst ratios.
"""

import sys
import time
from collections import defaultdict
from functools import partial

import common

import odoo
from odoo.fields import Domain
from odoo.tools import SQL

LIMIT = 50
RATE = "CASE COALESCE(s.currency_rate, 0) WHEN 0 THEN 1.0 ELSE s.currency_rate END"
LINES = """
    FROM sale_order_line l
    JOIN sale_order s ON s.id = l.order_id
   WHERE s.state = 'sale' AND l.display_type IS NULL AND l.product_id IS NOT NULL
     AND NOT COALESCE(l.is_downpayment, FALSE)"""
LINES_PRODUCT = """
    FROM sale_order_line l
    JOIN sale_order s ON s.id = l.order_id
    JOIN product_product p ON p.id = l.product_id
    JOIN product_template t ON t.id = p.product_tmpl_id
   WHERE s.state = 'sale' AND l.display_type IS NULL
     AND NOT COALESCE(l.is_downpayment, FALSE)"""
QTY = "l.product_uom_qty * COALESCE(u.factor / NULLIF(u2.factor, 0), 1)"
LOCAL = "s.date_order"  # the bench reads in UTC, like the rankings do for a UTC user

# name: (our model, our groupby, our aggregate,
#        sale.report groupby, sale.report aggregate, plain SQL: (key, value) ordered)
CASES = {
    "products (revenue)": (
        "oms.report.line",
        "product_id",
        "amount:sum",
        "product_id",
        "price_subtotal:sum",
        f"SELECT l.product_id, SUM(l.price_subtotal / {RATE}) v {LINES} GROUP BY 1",
    ),
    "best sellers (units)": (
        "oms.report.line",
        "product_id",
        "qty:sum",
        "product_id",
        "product_uom_qty:sum",
        f"""SELECT l.product_id, SUM({QTY}) v
              FROM sale_order_line l
              JOIN sale_order s ON s.id = l.order_id
              JOIN product_product p ON p.id = l.product_id
              JOIN product_template t ON t.id = p.product_tmpl_id
              LEFT JOIN uom_uom u ON u.id = l.product_uom_id
              LEFT JOIN uom_uom u2 ON u2.id = t.uom_id
             WHERE s.state = 'sale' AND l.display_type IS NULL
               AND NOT COALESCE(l.is_downpayment, FALSE) GROUP BY 1""",
    ),
    "customers": (
        "oms.report.order",
        "partner_id",
        "amount:sum",
        "partner_id",
        "price_subtotal:sum",
        f"SELECT s.partner_id, SUM(s.amount_untaxed / {RATE}) v FROM sale_order s "
        "WHERE s.state = 'sale' GROUP BY 1",
    ),
    "orders": (
        "oms.report.order",
        "order_id",
        "amount:sum",
        "order_reference",
        "price_subtotal:sum",
        f"SELECT s.id, s.amount_untaxed / {RATE} v FROM sale_order s WHERE s.state = 'sale'",
    ),
    "countries": (
        "oms.report.order",
        "country_id",
        "amount:sum",
        "country_id",
        "price_subtotal:sum",
        f"SELECT p.country_id, SUM(s.amount_untaxed / {RATE}) v FROM sale_order s "
        "JOIN res_partner p ON p.id = s.partner_id WHERE s.state = 'sale' GROUP BY 1",
    ),
    "brands": (
        "oms.report.line",
        "brand_id",
        "amount:sum",
        "product_tmpl_id",
        "price_subtotal:sum",
        f"SELECT t.product_brand_id, SUM(l.price_subtotal / {RATE}) v {LINES_PRODUCT} GROUP BY 1",
    ),
    "categories": (
        "oms.report.line",
        "categ_id",
        "amount:sum",
        "categ_id",
        "price_subtotal:sum",
        f"SELECT t.categ_id, SUM(l.price_subtotal / {RATE}) v {LINES_PRODUCT} GROUP BY 1",
    ),
    "sales teams": (
        "oms.report.order",
        "team_id",
        "amount:sum",
        "team_id",
        "price_subtotal:sum",
        f"SELECT s.team_id, SUM(s.amount_untaxed / {RATE}) v FROM sale_order s "
        "WHERE s.state = 'sale' GROUP BY 1",
    ),
    "UTM sources": (
        "oms.report.order",
        "source_id",
        "amount:sum",
        "source_id",
        "price_subtotal:sum",
        f"SELECT s.source_id, SUM(s.amount_untaxed / {RATE}) v FROM sale_order s "
        "WHERE s.state = 'sale' GROUP BY 1",
    ),
    "UTM mediums": (
        "oms.report.order",
        "medium_id",
        "amount:sum",
        "medium_id",
        "price_subtotal:sum",
        f"SELECT s.medium_id, SUM(s.amount_untaxed / {RATE}) v FROM sale_order s "
        "WHERE s.state = 'sale' GROUP BY 1",
    ),
    "dates": (
        "oms.report.order",
        "date:day",
        "amount:sum",
        "date:day",
        "price_subtotal:sum",
        f"SELECT date_trunc('day', {LOCAL})::date, SUM(s.amount_untaxed / {RATE}) v "
        "FROM sale_order s WHERE s.state = 'sale' GROUP BY 1",
    ),
    "weekdays": (
        "oms.report.order",
        "weekday",
        "amount:sum",
        "date:day",
        "price_subtotal:sum",
        f"SELECT EXTRACT(ISODOW FROM {LOCAL})::int, SUM(s.amount_untaxed / {RATE}) v "
        "FROM sale_order s WHERE s.state = 'sale' GROUP BY 1",
    ),
    "hours": (
        "oms.report.order",
        "hour",
        "amount:sum",
        "date:hour_number",
        "price_subtotal:sum",
        f"SELECT EXTRACT(HOUR FROM {LOCAL})::int, SUM(s.amount_untaxed / {RATE}) v "
        "FROM sale_order s WHERE s.state = 'sale' GROUP BY 1",
    ),
}


def _key(value, groupby):
    """Comparable group key: ids for records, ISO weekday / hour as int."""
    if isinstance(value, odoo.models.BaseModel):
        return value.id
    if groupby == "date:day":
        return value.date() if hasattr(value, "date") else value
    if groupby in ("weekday", "hour"):
        return int(value)
    return value


def _top(pairs):
    """Best LIMIT (key, value) pairs, ties broken by key; values rounded."""
    pairs = [(k, round(v or 0.0, 2)) for k, v in pairs if k not in (None, False)]
    pairs.sort(key=lambda kv: (-kv[1], str(kv[0])))
    return pairs[:LIMIT]


def same(first, second):
    """Same values in the same order, and the same groups above the last value (groups
    tied at the cut-off may differ)."""
    if [v for _k, v in first] != [v for _k, v in second]:
        return False
    cut = first[-1][1] if first else None
    return {k for k, v in first if v != cut} == {k for k, v in second if v != cut}


def ours(env, model, groupby, aggregate):
    """The module's own top-N path (``oms.report.ranking._top``), on a gross measure
    that sale.report can also give."""
    Ranking = env["oms.report.ranking"]
    key = next(key for key, (m, g, __) in Ranking._specs().items() if m == model and g == groupby)
    measure = aggregate.split(":")[0]
    rows = Ranking.search([("key", "=", key)])._top([], LIMIT, measures=(measure,))
    return [(_key(row["key"], groupby), row[measure]) for row in rows]


def sale_report(env, groupby, aggregate, model, fold_weekdays=False):
    Report = env["sale.report"]
    done = Domain("state", "in", Report._get_done_states())
    fname = groupby.split(":")[0]
    if fold_weekdays:  # sale.report's day_of_week depends on the language: fold days
        rows = Report._read_group(done, [groupby], [aggregate])
        weekdays = defaultdict(float)
        for day, value in rows:
            weekdays[day.isoweekday()] += value
        return list(weekdays.items())
    if groupby == "product_tmpl_id":  # no brand in sale.report: fold its products
        rows = Report._read_group(done, [groupby], [aggregate])
        brands = defaultdict(float)
        for template, value in rows:
            if template.product_brand_id:
                brands[template.product_brand_id.id] += value
        return list(brands.items())
    rows = Report._read_group(
        done & Domain(fname, "!=", False),
        [groupby],
        [aggregate],
        order=f"{aggregate} desc",
        limit=LIMIT,
    )
    if groupby == "order_reference":  # 'sale.order,ID'
        return [(int(group.split(",")[1]), value) for group, value in rows]
    return [(_key(group, groupby), value) for group, value in rows]


def plain(env, query):
    env.cr.execute(
        SQL(f"SELECT * FROM ({query}) q WHERE 1 = 1 ORDER BY 2 DESC NULLS LAST, 1 LIMIT %s", LIMIT)
    )
    return env.cr.fetchall()


def bench_rankings(env, rounds):
    print(
        f"{'ranking':<22} {'ours ms':>9} {'plain ms':>9} {'sale.report ms':>15} "
        f"{'ours/plain':>11} {'sale.report/ours':>17}  answers"
    )
    worst_plain, worst_odoo, failures = 0.0, float("inf"), []
    for name, (model, groupby, aggregate, sr_groupby, sr_aggregate, query) in CASES.items():
        paths = {
            "ours": partial(ours, env, model, groupby, aggregate),
            "plain": partial(plain, env, query),
            "odoo": partial(
                sale_report, env, sr_groupby, sr_aggregate, model, groupby == "weekday"
            ),
        }
        times, results = common.alternate(paths, rounds, around=lambda _path: common.cleared(env))
        answers = {kind: _top(result) for kind, result in results.items()}
        med = {kind: value * 1000 for kind, value in common.medians(times).items()}
        equal = same(answers["ours"], answers["plain"]) and same(answers["ours"], answers["odoo"])
        if not equal:
            failures.append(name)
            for kind in ("ours", "plain", "odoo"):
                print(f"  {kind}: {answers[kind][:8]}")
        ratio_plain = med["ours"] / med["plain"]
        ratio_odoo = med["odoo"] / med["ours"]
        worst_plain = max(worst_plain, ratio_plain)
        worst_odoo = min(worst_odoo, ratio_odoo)
        print(
            f"{name:<22} {med['ours']:>9.1f} {med['plain']:>9.1f} {med['odoo']:>15.1f} "
            f"{ratio_plain:>10.2f}x {ratio_odoo:>16.1f}x  {'equal' if equal else 'DIFFERENT'}",
            flush=True,
        )
    return worst_plain, worst_odoo, failures


def bench_freshness(env, registry):
    """Change one order line, commit, and read the rankings back in a new transaction."""
    line = env["sale.order.line"].search(
        [("order_id.state", "=", "sale"), ("display_type", "=", False)], limit=1
    )
    order, old_qty = line.order_id, line.product_uom_qty
    start = time.perf_counter()
    line.product_uom_qty = old_qty + 1
    env.cr.commit()  # the pre-commit hook queues this order for the refresh cron
    env["oms.sale.fact"]._process_queue()  # what the cron, woken by the commit, does
    committed = time.perf_counter()
    with registry.cursor() as cr2:
        env2 = odoo.api.Environment(cr2, odoo.SUPERUSER_ID, {"tz": "UTC"})
        [row] = env2["oms.report.order"].search_fetch([("order_id", "=", order.id)], ["amount"])
        visible = abs(row.amount - order.amount_untaxed / (order.currency_rate or 1.0)) < 0.01
    shown = time.perf_counter()
    line.product_uom_qty = old_qty
    env.cr.commit()
    refresh, _ = common.timed(env["oms.sale.fact"]._refresh, [order.id])
    env.cr.commit()
    print(
        f"order change -> rankings: {1000 * (shown - start):.1f} ms "
        f"(write + commit + the cron's refresh {1000 * (committed - start):.1f} ms, "
        f"refresh of one order {1000 * refresh:.1f} ms), visible: {visible}",
        flush=True,
    )
    return visible


def bench_rebuild(env):
    elapsed, count = common.timed(env["oms.sale.fact"]._refresh)
    env.cr.commit()
    lines = env["oms.sale.fact"].search_count([])
    print(f"full rebuild of the facts: {elapsed:.1f} s ({count} orders, {lines} lines)", flush=True)


def bench_xlsx(env):
    Dashboard = env.get("oms.report.dashboard")
    if Dashboard is None:
        print("dashboard XLSX export: not available")
        return
    dashboard = Dashboard.create({})
    elapsed, (content, _fmt) = common.timed(dashboard._render_xlsx)
    print(f"dashboard XLSX export: {1000 * elapsed:.0f} ms ({len(content)} bytes)", flush=True)


def parse_args(argv=None):
    parser = common.argument_parser(
        __doc__, seed=42, orders=None, rounds=7, orders_help="generate up to this many orders first"
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the facts first")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    with common.open_env(args, {"tz": "UTC"}) as env:
        if common.generate_orders(env, args.orders, args.seed, [("state", "=", "sale")]):
            args.rebuild = True
        if args.rebuild or not env["oms.sale.order.fact"].search_count([], limit=1):
            bench_rebuild(env)
        common.analyze(env.cr)
        env.cr.commit()
        lines = env["oms.sale.fact"].search_count([])
        orders = env["oms.sale.order.fact"].search_count([])
        print(
            f"database {args.db}: {orders} confirmed orders, {lines} lines, "
            f"top {LIMIT}, {args.rounds} rounds (median)",
            flush=True,
        )
        worst_plain, worst_odoo, failures = bench_rankings(env, args.rounds)
        visible = bench_freshness(env, env.registry)
        bench_xlsx(env)
        common.print_ratio(
            "plain",
            f"worst {worst_plain:.2f}x (goal <= 1x); worst sale.report/ours {worst_odoo:.1f}x "
            f"(goal >= 10x); answers "
            f"{'equal' if not failures else 'DIFFERENT: ' + ', '.join(failures)}; "
            f"fresh at commit: {visible}",
        )
        return 0 if not failures and visible else 1


if __name__ == "__main__":
    sys.exit(main())
