#!/usr/bin/env python3
"""Benchmark: the reorder statistics (one SQL pass per warehouse) against the same
statistics computed per product through the ORM, and against the plain SQL floor.

Usage::

    .venv/bin/python bench/reorder.py --db oms_bench_reorder \
        --products 2000 --days 180 --rounds 5 --seed 1

on a database where ``oms_replenishment`` is installed (``-c``: the Odoo configuration, by
default ``odoo.conf`` of the repository).

Runs in ONE transaction that is rolled back at the end: the database is left as it was.
The data set, built in that transaction: ``--products`` storable products (ORM create) and
``--days`` days of done stock moves in each of ``--warehouses`` warehouses of the company
(created when missing; plain SQL inserts, seeded): on each day a product sells 1 to 5
units with probability ``--sale-rate``; a receipt of 10 to 60 units every 7 to 30 days,
so that some products run out and have stock-out days; the quants hold what the moves
leave. ``ANALYZE`` runs after the inserts, outside the timings.

Timed, alternating, ``--rounds`` times, summed over the warehouses (medians printed):

* ours: ``oms.reorder.policy._oms_demand_statistics`` (one SQL statement: daily demand,
  stock levels rebuilt backwards, stock-out days left out, mean, standard deviation,
  weekday factors and exponential smoothing, for every product of the warehouse);
* floor: a plain SQL aggregation over the same moves (customer demand per product and day,
  then mean and standard deviation per product: no stock levels, no stock-out exclusion);
* baseline (named: "per-product ORM"): for each product, ``stock.move.search_read`` of its
  moves in the window, its on-hand quantity through ``qty_available``, then the same
  statistics in Python. The ORM cache is cleared before each run.

The baseline's results are compared with ours (days observed, stock-out days, mean,
standard deviation, smoothed level) for every product: the run stops if they differ.
Once, after the rounds, the whole recomputation of the first warehouse
(``_oms_compute_warehouse``: statistics, formula, orderpoints created in batches, result
lines, alerts) is timed too. ``VACUUM ANALYZE`` of the tables it writes runs before and
after (the rolled-back rows would otherwise slow later runs when autovacuum is off).
The last line is ``ratio ours/baseline: X`` (baseline time / our time: the speed-up).
"""

import math
import statistics
from datetime import timedelta

import common

from odoo import fields
from odoo.tools import SQL

TABLES = (
    "stock_move",
    "stock_quant",
    "stock_location",
    "product_product",
    "product_template",
    "product_supplierinfo",
)


def build(env, warehouses, args):
    n_products = args.products
    category = env["product.category"].create({"name": "Bench reorder"})
    products = env["product.product"].create(
        [
            {
                "name": f"Bench reorder {i:05d}",
                "is_storable": True,
                "categ_id": category.id,
                "standard_price": 10.0,
            }
            for i in range(n_products)
        ]
    )
    vendor = env["res.partner"].create({"name": "Bench vendor"})
    env["product.supplierinfo"].create(
        [
            {"partner_id": vendor.id, "product_tmpl_id": p.product_tmpl_id.id, "delay": 7}
            for p in products
        ]
    )
    env.flush_all()
    env.cr.execute(SQL("SELECT setseed(%s)", (args.seed % 1000) / 1000.0))
    moves = sum(build_moves(env, warehouse, products, args) for warehouse in warehouses)
    env.invalidate_all()
    common.analyze(env.cr, TABLES)
    return products, moves


def build_moves(env, warehouse, products, args):
    days, sale_rate = args.days, args.sale_rate
    stock = warehouse.lot_stock_id
    customers = env.ref("stock.stock_location_customers")
    suppliers = env.ref("stock.stock_location_suppliers")
    cr = env.cr
    cr.execute("DROP TABLE IF EXISTS bench_moves")
    cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_moves ON COMMIT DROP AS
            SELECT p.id AS product_id, d AS day, 'out' AS kind,
                   floor(random() * 5 + 1)::numeric AS qty
              FROM unnest(%(products)s::int[]) p(id)
             CROSS JOIN generate_series(1, %(days)s) d
             WHERE random() < %(rate)s
            UNION ALL
            SELECT p.id, d, 'in', floor(random() * 50 + 10)::numeric
              FROM unnest(%(products)s::int[]) p(id)
             CROSS JOIN generate_series(1, %(days)s + 1) d
             WHERE d = %(days)s + 1 OR random() < 1.0 / (7 + (p.id %% 24))
            """,
            products=products.ids,
            days=days,
            rate=sale_rate,
        )
    )
    cr.execute(
        SQL(
            """
            INSERT INTO stock_move (company_id, date, location_id, location_dest_id,
                                    procure_method, product_id, product_uom, product_uom_qty,
                                    product_qty, quantity, state, picked)
            SELECT %(company)s, (CURRENT_DATE - b.day) + TIME '12:00',
                   CASE WHEN b.kind = 'out' THEN %(stock)s ELSE %(suppliers)s END,
                   CASE WHEN b.kind = 'out' THEN %(customers)s ELSE %(stock)s END,
                   'make_to_stock', b.product_id, %(uom)s, b.qty, b.qty, b.qty, 'done', TRUE
              FROM bench_moves b
            """,
            company=warehouse.company_id.id,
            stock=stock.id,
            suppliers=suppliers.id,
            customers=customers.id,
            uom=env.ref("uom.product_uom_unit").id,
        )
    )
    moves = cr.rowcount
    cr.execute(
        SQL(
            """
            INSERT INTO stock_quant (product_id, location_id, company_id, quantity,
                                     reserved_quantity, in_date)
            SELECT product_id, %(stock)s, %(company)s,
                   SUM(CASE WHEN kind = 'in' THEN qty ELSE -qty END), 0, NOW()
              FROM bench_moves GROUP BY product_id
            """,
            stock=stock.id,
            company=warehouse.company_id.id,
        )
    )
    return moves


def floor_sql(env, warehouse, window):
    start = fields.Date.subtract(fields.Date.today(), days=window)
    env.cr.execute(
        SQL(
            """
            SELECT product_id, COUNT(*), AVG(qty), STDDEV_SAMP(qty)
              FROM (SELECT m.product_id, m.date::date, SUM(m.product_qty) AS qty
                      FROM stock_move m
                      JOIN stock_location src ON src.id = m.location_id
                      JOIN stock_location dest ON dest.id = m.location_dest_id
                     WHERE m.state = 'done' AND m.date >= %(start)s
                       AND m.date < %(today)s
                       AND src.warehouse_id = %(warehouse)s AND dest.usage = 'customer'
                     GROUP BY 1, 2) daily
             GROUP BY product_id
            """,
            start=start,
            today=fields.Date.today(),
            warehouse=warehouse.id,
        )
    )
    return env.cr.fetchall()


def baseline_orm(env, warehouse, products, window, alpha):
    """The same statistics, product by product through the ORM."""
    today = fields.Date.today()
    start = fields.Date.subtract(today, days=window)
    locations = env["stock.location"].search(
        [("warehouse_id", "=", warehouse.id), ("usage", "=", "internal")]
    )
    loc_ids = set(locations.ids)
    result = {}
    for product in products:
        moves = env["stock.move"].search_read(
            [
                ("product_id", "=", product.id),
                ("state", "=", "done"),
                ("date", ">=", start),
                "|",
                ("location_id", "in", locations.ids),
                ("location_dest_id", "in", locations.ids),
            ],
            ["date", "product_qty", "location_id", "location_dest_id", "location_dest_usage"],
        )
        on_hand = product.with_context(warehouse_id=warehouse.id).qty_available
        net, demand = {}, {}
        for move in moves:
            src_in = move["location_id"][0] in loc_ids
            dest_in = move["location_dest_id"][0] in loc_ids
            if src_in == dest_in:
                continue
            day = move["date"].date()
            qty = move["product_qty"]
            net[day] = net.get(day, 0.0) + (qty if dest_in else -qty)
            if src_in and move["location_dest_usage"] == "customer":
                demand[day] = demand.get(day, 0.0) + qty
        if not any(demand.get(start + timedelta(days=i)) for i in range(window)):
            continue
        level = on_hand - net.get(today, 0.0)
        kept = []
        stockouts = 0
        for i in range(window - 1, -1, -1):
            day = start + timedelta(days=i)
            closing = level
            opening = closing - net.get(day, 0.0)
            sold = demand.get(day, 0.0)
            if opening <= 0 and closing <= 0 and sold == 0:
                stockouts += 1
            else:
                kept.append((day, sold))
            level = opening
        kept.reverse()
        values = [sold for _day, sold in kept]
        mean = statistics.mean(values)
        std = statistics.stdev(values) if len(values) > 1 else 0.0
        factors = [1.0] * 7
        if len(values) >= 28 and mean > 0:
            for dow in range(1, 8):
                same = [sold for day, sold in kept if day.isoweekday() == dow]
                if same:
                    factors[dow - 1] = min(max(statistics.mean(same) / mean, 0.2), 5.0)
        smoothed = mean
        for day, sold in kept:
            smoothed = alpha * sold / factors[day.isoweekday() - 1] + (1 - alpha) * smoothed
        result[product.id] = (len(values), stockouts, mean, std, smoothed)
    return result


def check(ours, base, products, floor_rows):
    """Same figures in ours and in the per-product baseline, for every product."""
    product_ids = set(products.ids)
    mine = {pid: row for pid, row in ours.items() if pid in product_ids}
    assert set(mine) == set(base), (len(mine), len(base))
    for pid, (n, stockouts, mean, std, smoothed) in base.items():
        row = mine[pid]
        assert (row["n"], row["stockout_days"]) == (n, stockouts), (pid, row, n)
        for got, want in ((row["mean"], mean), (row["std"], std), (row["level"], smoothed)):
            assert math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-9), (pid, got, want)
    stockout_products = sum(1 for v in base.values() if v[1])
    print(
        f"checked: {len(base)} products, same figures in both; "
        f"{stockout_products} had stock-out days; floor rows {len(floor_rows)}"
    )


def run_round(env, warehouses, products, args, verify):
    """One round: ours, the floor and the baseline on every warehouse (summed)."""
    from odoo.addons.oms_replenishment.models.oms_reorder_policy import SMOOTHING_ALPHA

    policy_model = env["oms.reorder.policy"]
    t_ours = t_floor = t_base = 0.0
    for warehouse in warehouses:
        env.invalidate_all()
        elapsed, ours = common.timed(policy_model._oms_demand_statistics, warehouse, args.days)
        t_ours += elapsed
        elapsed, floor_rows = common.timed(floor_sql, env, warehouse, args.days)
        t_floor += elapsed
        env.invalidate_all()
        elapsed, base = common.timed(
            baseline_orm, env, warehouse, products, args.days, SMOOTHING_ALPHA
        )
        t_base += elapsed
        if verify:
            check(ours, base, products, floor_rows)
    return t_ours, t_floor, t_base


def vacuum(db):
    """Clear the dead rows of the tables the bench writes (its data set is rolled back):
    with autovacuum off they would slow every later scan of stock_move."""
    cnx = common.connect(db)
    try:
        cnx.autocommit = True
        with cnx.cursor() as cr:
            for table in TABLES:
                cr.execute(SQL("VACUUM ANALYZE %s", SQL.identifier(table)).code)
    finally:
        cnx.close()


def main():
    parser = common.argument_parser(__doc__, rounds=5)
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--days", type=int, default=180, help="history and demand window")
    parser.add_argument("--sale-rate", type=float, default=0.3)
    parser.add_argument("--warehouses", type=int, default=2, help="each with the same products")
    parser.add_argument("--explain", action="store_true", help="print our query's plan")
    args = parser.parse_args()

    common.configure(args)
    from odoo.addons.oms_replenishment.models.oms_reorder_policy import (
        SMOOTHING_ALPHA,
        STATS_WORK_MEM,
    )

    vacuum(args.db)
    with common.open_env(args, common.NO_MAIL_CTX) as env:
        cr = env.cr
        warehouses = env["stock.warehouse"].search(
            [("company_id", "=", env.company.id)], limit=args.warehouses
        )
        for i in range(len(warehouses), args.warehouses):
            warehouses |= env["stock.warehouse"].create(
                {"name": f"Bench reorder {i + 1}", "code": f"BR{i + 1}"}
            )
        t_build, (products, moves) = common.timed(build, env, warehouses, args)
        print(
            f"data: {len(products)} products x {len(warehouses)} warehouses, {moves} done "
            f"moves over {args.days} days (built in {t_build:.1f}s)"
        )
        Policy = env["oms.reorder.policy"]
        if args.explain:
            # the settings _oms_demand_statistics runs its query with (transaction-local)
            cr.execute(
                SQL(
                    "SELECT current_setting('work_mem'), current_setting('jit'), "
                    "set_config('work_mem', %s, true), set_config('jit', 'off', true)",
                    STATS_WORK_MEM,
                )
            )
            work_mem, jit = cr.fetchone()[:2]
            for warehouse in warehouses:
                query = Policy._oms_demand_statistics_query(
                    warehouse, args.days, SMOOTHING_ALPHA, fields.Date.today()
                )
                cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", query))
                print("\n".join(row[0] for row in cr.fetchall()))
            cr.execute(
                SQL(
                    "SELECT set_config('work_mem', %s, true), set_config('jit', %s, true)",
                    work_mem,
                    jit,
                )
            )
        times = {"ours": [], "floor": [], "baseline": []}
        for round_no in range(args.rounds):
            t_ours, t_floor, t_base = run_round(env, warehouses, products, args, round_no == 0)
            for path, seconds in zip(times, (t_ours, t_floor, t_base), strict=True):
                times[path].append(seconds)
            print(
                f"round {round_no + 1}: ours {t_ours:.3f}s  floor {t_floor:.3f}s  "
                f"baseline {t_base:.3f}s"
            )
        policy = Policy.create(
            {"name": "Bench", "warehouse_id": warehouses[0].id, "demand_window_days": args.days}
        )
        t_full, lines = common.timed(Policy._oms_compute_warehouse, warehouses[0])
        print(
            f"whole recomputation of one warehouse (statistics, formula, {len(lines)} results, "
            f"orderpoints, alerts): {t_full:.2f}s"
        )
        del policy
        cr.rollback()
    vacuum(args.db)
    m_ours, m_floor, m_base = common.medians(times).values()
    print(f"median: ours {m_ours:.3f}s  floor {m_floor:.3f}s  baseline {m_base:.3f}s")
    print(f"ours/floor (time): {m_ours / m_floor:.2f}x")
    common.print_ratio("baseline", f"{m_base / m_ours:.1f}x faster")


if __name__ == "__main__":
    main()
