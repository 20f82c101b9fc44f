#!/usr/bin/env python3
"""Benchmark of the refresh of the sales facts: what a business write pays at commit,
and how long its change takes to show in the rankings.

Usage::

    .venv/bin/python bench/fact_latency.py [--db oms_bench_latency] [--orders 10000]
        [--seed 1] [--rounds 5] [--writes 20] [--changes 10]

The database is created with the OMS addons when it is missing (no demo data), and
``bench/generate`` adds orders until it holds ``--orders`` (every state); then, outside
the timings, the planner statistics are refreshed (ANALYZE) and the facts rebuilt.
A real Odoo server then runs on a free port (``odoo-bin`` with this repository's
odoo.conf, ``--max-cron-threads=1``). Each round:

* commit cost, alternating, in this process, each time on another order: a business
  write (the unit price of a line of a confirmed order), then its commit

  - ours: the pre-commit hook only appends the order to the queue and wakes the
    refresh cron up (the server's cron thread rewrites the facts after the commit);
  - baseline: the facts of the order are rewritten inside the transaction, before the
    commit, as the pre-commit hook of oms_reports did before the queue (visible at the
    commit, but paid by the user's transaction and able to fail it);
  - floor: nothing done for the facts, a bare commit;

* change-to-visible: ``--changes`` writes through Odoo's JSON-2 API (an API key), each
  followed by polling the order's row of ``oms_sale_order_fact`` until it shows the new
  amount: the time from the API's answer (the change is committed) to the row showing it.

Prints the medians per round and overall; the last line gives the ratio ours/baseline
of the commit cost, with the change-to-visible latency.
"""

import json
import random
import statistics
import time
import urllib.request
from datetime import datetime, timedelta

import common

from odoo.tools import SQL

RATE = "CASE COALESCE(s.currency_rate, 0) WHEN 0 THEN 1.0 ELSE s.currency_rate END"
AMOUNT_SQL = f"""
    SELECT COALESCE(SUM(l.price_subtotal / {RATE}), 0)
      FROM sale_order_line l JOIN sale_order s ON s.id = l.order_id
     WHERE s.id = %s AND l.display_type IS NULL AND NOT COALESCE(l.is_downpayment, FALSE)"""
API_KEY_NAME = "bench/fact_latency.py"


def prepare(env, args):
    """Orders up to ``--orders``, fresh statistics, the facts rebuilt; returns lines of
    confirmed orders (one per order) to write on, in a seeded random order."""
    cr = env.cr
    common.generate_orders(env, args.orders, args.seed)
    common.analyze(cr)
    env["oms.sale.fact"].action_rebuild()  # the generator writes in SQL; analyzes the facts
    cr.commit()
    cr.execute(
        SQL("""
        SELECT DISTINCT ON (s.id) l.id
          FROM sale_order_line l JOIN sale_order s ON s.id = l.order_id
         WHERE s.state = 'sale' AND NOT COALESCE(s.locked, FALSE)
           AND l.display_type IS NULL AND NOT COALESCE(l.is_downpayment, FALSE)
           AND l.product_uom_qty > 0 AND l.price_unit > 0
      ORDER BY s.id, l.id
        """)
    )
    line_ids = [row[0] for row in cr.fetchall()]
    cr.commit()
    random.Random(args.seed).shuffle(line_ids)
    return line_ids


class Json2:
    """Odoo's JSON-2 API with an API key."""

    def __init__(self, base, db, key):
        self.url = f"{base}/json/2"
        self.headers = {
            "Authorization": f"bearer {key}",
            "Content-Type": "application/json",
            "X-Odoo-Database": db,
        }

    def call(self, model, method, **params):
        request = urllib.request.Request(
            f"{self.url}/{model}/{method}",
            data=json.dumps(params).encode(),
            headers=self.headers,
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)


def pending_facts(env):
    """Take what the transaction queued for the facts: the pre-commit hook of
    oms_reports then has nothing to do."""
    from odoo.addons.oms_reports.models.oms_sale_fact import PENDING_KEY

    return env.cr.precommit.data.pop(PENDING_KEY, None) or {}


def old_precommit(env):
    """What the pre-commit hook of oms_reports did before the queue: rewrite the facts
    of the orders (customers, products) the transaction touched, inside it."""
    pending = pending_facts(env)
    # sudo: what the hook did, as the hook runs it (the bench itself is the superuser)
    Fact = env["oms.sale.fact"].sudo()
    if pending.get("order"):
        Fact._refresh(pending["order"])
    if pending.get("partner"):
        Fact._update_partners(pending["partner"])
    if pending.get("template"):
        Fact._update_templates(pending["template"])


PATHS = {
    "ours": lambda env: None,  # the pre-commit hook queues the order
    "baseline": old_precommit,
    "floor": pending_facts,  # nothing done for the facts (refreshed after the rounds)
}


def business_write(env, line_id, path):
    """Change the unit price of a line and commit: ms of the write, of the commit until
    the transaction is over (the pre-commit hooks and COMMIT), and of the whole commit
    (with the post-commit hooks: the wake-up of the cron thread)."""
    line = env["sale.order.line"].browse(line_id)
    price = line.price_unit
    ended = []
    start = time.perf_counter()
    line.price_unit = price + 1 if price < 1000 else price - 1
    env.flush_all()
    written = time.perf_counter()
    PATHS[path](env)
    env.cr.postcommit.add(lambda: ended.append(time.perf_counter()))  # the first one
    env.cr.commit()
    committed = time.perf_counter()
    return 1000 * (written - start), 1000 * (ended[0] - written), 1000 * (committed - written)


def change_to_visible(api, poll_cr, line_id, order_id, price, *, timeout=60.0):
    """Write the price through the API; ms from its answer to the fact showing it, and
    the ms of the API call."""
    start = time.perf_counter()
    api.call("sale.order.line", "write", ids=[line_id], vals={"price_unit": price})
    answered = time.perf_counter()
    poll_cr.execute(AMOUNT_SQL, [order_id])
    expected = poll_cr.fetchone()[0]
    while time.perf_counter() - answered < timeout:
        poll_cr.execute("SELECT amount FROM oms_sale_order_fact WHERE id = %s", [order_id])
        row = poll_cr.fetchone()
        if row and abs(row[0] - expected) < 0.005:
            return 1000 * (time.perf_counter() - answered), 1000 * (answered - start)
        time.sleep(0.002)
    raise SystemExit(f"error: order {order_id} not visible in the facts after {timeout:.0f} s")


def parse_args(argv=None):
    parser = common.argument_parser(
        __doc__, db="oms_bench_latency", orders=10_000, rounds=5, orders_help="orders wanted"
    )
    parser.add_argument("--writes", type=int, default=20, help="writes per path and round")
    parser.add_argument("--changes", type=int, default=10, help="API changes per round")
    return parser.parse_args(argv)


def run_rounds(env, api, poll_cr, orders, args):
    """The rounds: {path: [(in-transaction ms, commit ms)], 'write', 'visible', 'api' (ms),
    'stale' (orders written without refreshing their facts)}."""
    pool = list(orders)
    result = {"write": [], "visible": [], "api": [], "stale": [], **{path: [] for path in PATHS}}
    for path in PATHS:  # warm-up
        line_id = pool.pop()
        business_write(env, line_id, path)
        result["stale"].append(orders[line_id][0])
    line_id = pool.pop()
    change_to_visible(api, poll_cr, line_id, orders[line_id][0], orders[line_id][1] + 1)
    for round_no in range(1, args.rounds + 1):
        commits = {path: [] for path in PATHS}
        for __ in range(args.writes):
            for path in PATHS:
                line_id = pool.pop()
                write_ms, *commit_ms = business_write(env, line_id, path)
                result["write"].append(write_ms)
                commits[path].append(commit_ms)
                if path == "floor":
                    result["stale"].append(orders[line_id][0])
        visible = []
        for __ in range(args.changes):
            line_id = pool.pop()
            order_id, price = orders[line_id]
            seen, call = change_to_visible(api, poll_cr, line_id, order_id, price + 1)
            visible.append(seen)
            result["api"].append(call)
        for path in PATHS:
            result[path] += commits[path]
        result["visible"] += visible
        medians = ", ".join(
            f"{path} {median(commit, 1):.1f} ms" for path, commit in commits.items()
        )
        print(
            f"round {round_no}: commit {medians}; change to visible "
            f"{statistics.median(visible):.0f} ms (max {max(visible):.0f})",
            flush=True,
        )
    return result


def median(pairs, index):
    return statistics.median(pair[index] for pair in pairs)


def report(result):
    (ours_tx, base_tx, floor_tx), (ours, base, floor) = (
        [median(result[path], index) for path in PATHS] for index in (0, 1)
    )
    write = statistics.median(result["write"])
    visible = result["visible"]
    seen = statistics.median(visible)
    print(
        f"medians over {len(result['ours'])} writes per path: the write {write:.1f} ms; its "
        f"commit: ours (queue) {ours:.1f} ms, baseline (facts rewritten in the transaction) "
        f"{base:.1f} ms, floor (nothing for the facts) {floor:.1f} ms; of which inside the "
        f"transaction (before the post-commit hooks): ours {ours_tx:.1f} ms, baseline "
        f"{base_tx:.1f} ms, floor {floor_tx:.1f} ms"
    )
    print(
        f"change to visible in oms_sale_order_fact, {len(visible)} changes through JSON-2 "
        f"(API call {statistics.median(result['api']):.0f} ms): median {seen:.0f} ms, "
        f"p90 {statistics.quantiles(visible, n=10)[-1]:.0f} ms, max {max(visible):.0f} ms; "
        f"baseline 0 ms (rewritten at the commit)"
    )
    common.print_ratio(
        "baseline",
        f"{ours / base:.2f} (commit of a business write: queue {ours:.1f} ms, facts "
        f"rewritten in the transaction {base:.1f} ms; inside the transaction "
        f"{ours_tx - floor_tx:+.1f} ms vs {base_tx - floor_tx:+.1f} ms over a bare commit; "
        f"whole write {(write + ours) / (write + base):.2f}); change to visible: median "
        f"{seen:.0f} ms with the queue, 0 ms in the baseline",
    )


def main(argv=None):
    args = parse_args(argv)
    common.install(args, ("oms_reports",))
    needed = args.rounds * (len(PATHS) * args.writes + args.changes) + len(PATHS) + 1
    with common.open_env(args, {"tracking_disable": True}) as env:
        cr = env.cr
        line_ids = prepare(env, args)
        if len(line_ids) < needed:
            raise SystemExit(f"error: {len(line_ids)} orders to write on, {needed} needed")
        admin = env.ref("base.user_admin")
        # sudo: the admin's own key, made as in its preferences without the password check
        key = (
            env(user=admin)["res.users.apikeys"]
            .sudo()
            ._generate("rpc", API_KEY_NAME, datetime.now() + timedelta(hours=2))
        )
        cr.commit()
        lines = env["sale.order.line"].browse(line_ids[:needed])
        orders = {line.id: (line.order_id.id, line.price_unit) for line in lines}
        print(
            f"database {args.db}: {env['oms.sale.order.fact'].search_count([])} confirmed "
            f"orders in the facts; {args.rounds} rounds of {args.writes} writes per path "
            f"and {args.changes} API changes",
            flush=True,
        )
        server, base = common.start_server(
            args, "fact_latency", "--max-cron-threads=1", "--workers=0"
        )
        poll = common.connect(args.db)
        poll.autocommit = True
        try:
            result = run_rounds(env, Json2(base, args.db, key), poll.cursor(), orders, args)
        finally:
            poll.close()
            common.stop_server(server)
            env["res.users.apikeys"].search([("name", "=", API_KEY_NAME)])._remove()
            cr.commit()
        # leave the facts right: the floor's orders, and what the server left queued
        env["oms.sale.fact"]._refresh(result["stale"])
        env["oms.sale.fact"]._process_queue()
    report(result)


if __name__ == "__main__":
    main()
