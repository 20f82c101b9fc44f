#!/usr/bin/env python3
"""Reports on a read replica: the Sales Dashboard, the comparison of periods and the XLSX
exports served by a streaming replica of PostgreSQL while the summary-table refresh stays
on the primary; what a user sees while the replica lags, and while it is down.

Usage::

    .venv/bin/python bench/replica.py --db oms_bench_replica --orders 2000 --loads 20 \\
        --pg-port 55442 --replica-port 55443

Two PostgreSQL clusters of its own under /tmp (the machine's PostgreSQL is not touched):
the primary, made with ``initdb`` on ``--pg-port``, where oms_reports is installed and
``bench/generate`` adds ``--orders`` orders (summary tables refreshed); and the replica,
made from it with ``pg_basebackup -R`` (a hot standby streaming the primary's WAL) on
``--replica-port``. Then:

* baseline "primary only": an Odoo server (2 workers) on the primary alone; ours: the
  same server with ``--db_replica_host``/``--db_replica_port`` on the replica. An OMS user
  (not an administrator) opens the dashboard ``--loads`` times through the web client's
  JSON-RPC, each time with a comparison of periods and the XLSX export downloaded; the
  rows each cluster read meanwhile (``tup_returned + tup_fetched`` of the database in
  ``pg_stat_database``) and the median time of a load are printed for both servers.
* lag: replay paused on the replica (``pg_wal_replay_pause()``); an order is confirmed and
  the summary tables are refreshed on the primary (the refresh cron's method, which
  writes), and the user saves new dashboard filters (a write: on the primary). The
  dashboard still shows the figures and the filters of the last replayed moment while the
  lag grows; replay resumed, the new order and the filters are there.
* replica down: the replica stopped, the dashboard is still served (Odoo falls back to
  the primary and tries the replica again after 5 minutes).

Last line: the rows read on the primary per dashboard load, with the replica against
"primary only".
"""

import statistics
import time
from datetime import date, timedelta

import common
import pgcluster
import requests

from odoo import Command

MODULES = ("oms_reports",)
LOGIN = "bench_reports"
STATS_FLUSH = 11  # s: idle backends flush their statistics every 10 s (PostgreSQL 15)


class WebClient:
    """The web client's JSON-RPC calls, as the OMS user ``LOGIN``."""

    def __init__(self, base, db):
        self.base = base
        self.session = requests.Session()
        self.rpc("/web/session/authenticate", {"db": db, "login": LOGIN, "password": LOGIN})

    def rpc(self, path, params):
        response = self.session.post(
            f"{self.base}{path}",
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=600,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise SystemExit(f"error: {path}: {body['error']['data']['message']}")
        return body["result"]

    def call(self, model, method, *args):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": {}},
        )

    def dashboard(self, filters):
        return self.call("oms.report.dashboard", "get_dashboard_data", filters)

    def revenue(self, filters):
        kpis = self.dashboard(filters)["kpis"]
        return next(kpi["value"] for kpi in kpis if kpi["key"] == "revenue")

    def load(self, filters):
        """What a manager does: the dashboard, a comparison of periods, the export."""
        data = self.dashboard(filters)
        period = data["periods"]["current"]
        self.call(
            "oms.report.ranking",
            "get_list_comparison",
            "oms.report.order",
            [("date", ">=", f"{period[0]} 00:00:00"), ("date", "<=", f"{period[1]} 23:59:59")],
            {"groupby": ["partner_id"]},
        )
        action = self.call("oms.report.dashboard", "action_export_filters", filters)
        response = self.session.get(f"{self.base}{action['url']}", timeout=600)
        response.raise_for_status()
        if response.content[:2] != b"PK":
            raise SystemExit(f"error: the export is not a workbook: {response.text[:200]}")


def rows_read(cluster, db):
    """Rows read so far in ``db`` on ``cluster`` (its own statistics: a standby keeps
    those of the queries it serves)."""
    [[count]] = cluster.query(
        "SELECT tup_returned + tup_fetched FROM pg_stat_database WHERE datname = %s",
        db=db,
        params=[db],
    )
    return count


def prepare(args, primary):
    """oms_reports, the generated orders, the summary tables and the OMS user, on the
    primary; the dashboard's filters (the last two years of orders)."""
    common.install(args, MODULES)
    with common.open_env(args, common.NO_MAIL_CTX) as env:
        started = time.perf_counter()
        made = common.generate_orders(env, args.orders, args.seed)
        env["oms.sale.fact"].action_rebuild()
        user = env["res.users"].search([("login", "=", LOGIN)])
        if not user:
            env["res.users"].create(
                {
                    "name": "Reports bench manager",
                    "login": LOGIN,
                    "password": LOGIN,
                    "group_ids": [Command.set([env.ref("oms_extended.group_oms_user").id])],
                }
            )
        env.cr.commit()
        common.analyze(env.cr)
        print(f"{made} orders generated, facts built in {time.perf_counter() - started:.0f}s")
    today = date.today()
    return {
        "period": "custom",
        "date_from": str(today - timedelta(days=700)),
        "date_to": str(today),
        "row_limit": 10,
    }


def measure(args, name, clusters, filters, *options):
    """``--loads`` dashboard loads on a new server with ``options``: the median seconds
    of a load and the rows each cluster read per load."""
    process, base = common.start_server(
        args,
        f"replica-{name}",
        "--workers=2",
        f"--gevent-port={common.free_port()}",
        "--max-cron-threads=0",
        *options,
    )
    try:
        client = WebClient(base, args.db)
        client.load(filters)  # warm-up: caches, the replica's first connections
        time.sleep(STATS_FLUSH)
        before = {key: rows_read(cluster, args.db) for key, cluster in clusters.items()}
        seconds = []
        for _load in range(args.loads):
            started = time.perf_counter()
            client.load(filters)
            seconds.append(time.perf_counter() - started)
        time.sleep(STATS_FLUSH)
        read = {
            key: (rows_read(cluster, args.db) - before[key]) / args.loads
            for key, cluster in clusters.items()
        }
    finally:
        common.stop_server(process)
    median = statistics.median(seconds)
    print(
        f"{name}: {args.loads} loads (dashboard, comparison, XLSX export), median "
        f"{median * 1000:.0f} ms; rows read per load: "
        + ", ".join(f"{key} {count:,.0f}" for key, count in read.items()),
        flush=True,
    )
    return median, read


def wait_replayed(primary, replica, timeout=120):
    """Seconds until the replica has replayed the primary's WAL written so far."""
    [[lsn]] = primary.query("SELECT pg_current_wal_lsn()")
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        [[done]] = replica.query("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", params=[lsn])
        if done:
            return time.perf_counter() - started
        time.sleep(0.05)
    raise SystemExit("error: the replica did not catch up")


def new_order(args):
    """An order confirmed on the primary and the summary tables refreshed there (the
    refresh cron's method: it writes, it stays on the primary). Its untaxed amount."""
    with common.open_env(args, common.NO_MAIL_CTX) as env:
        customer = env["res.partner"].search([("customer_rank", ">", 0)], limit=1)
        product = env["product.product"].search(
            [("sale_ok", "=", True), ("type", "=", "consu")], limit=1
        )
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create(
                        {"product_id": product.id, "product_uom_qty": 7, "price_unit": 1234.0}
                    )
                ],
            }
        )
        order.action_confirm()
        env.cr.commit()
        env["oms.sale.fact"]._cron_refresh()
        env.cr.commit()
        return order.amount_untaxed


def lag_and_outage(args, primary, replica, filters):
    """What the user sees while the replica lags, and while it is down."""
    process, base = common.start_server(
        args,
        "replica-lag",
        "--workers=2",
        f"--gevent-port={common.free_port()}",
        "--max-cron-threads=0",
        "--db_replica_host=127.0.0.1",
        f"--db_replica_port={replica.port}",
    )
    try:
        client = WebClient(base, args.db)
        before = client.revenue(filters)
        replica.query("SELECT pg_wal_replay_pause()")
        amount = new_order(args)
        saved = client.call(
            "oms.report.dashboard", "save_dashboard_filters", {**filters, "row_limit": 7}
        )
        time.sleep(2)
        during = client.revenue(filters)
        remembered = client.dashboard(None)["filters"]["row_limit"]
        [[lag]] = replica.query(
            "SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float"
        )
        print(
            f"lag: replay paused, an order of {amount:,.2f} confirmed and the facts refreshed "
            f"on the primary, filters saved (rows per ranking {saved['row_limit']}): the "
            f"dashboard served by the replica shows revenue {during:,.2f} (before: "
            f"{before:,.2f}) and rows per ranking {remembered}, {lag:.1f}s behind",
            flush=True,
        )
        if during != before:
            raise SystemExit("error: the paused replica served the primary's new figures")
        replica.query("SELECT pg_wal_replay_resume()")
        caught_up = wait_replayed(primary, replica)
        after = client.revenue(filters)
        remembered = client.dashboard(None)["filters"]["row_limit"]
        print(
            f"lag: replay resumed, caught up in {caught_up:.2f}s: revenue {after:,.2f} "
            f"(+{after - before:,.2f}), rows per ranking {remembered}",
            flush=True,
        )
        if round(after - before, 2) != round(amount, 2) or remembered != 7:
            raise SystemExit("error: the replica did not show the primary's writes")
        replica.stop()
        started = time.perf_counter()
        down = client.revenue(filters)
        print(
            f"replica down: the dashboard is served by the primary (revenue {down:,.2f}) in "
            f"{time.perf_counter() - started:.2f}s; Odoo tries the replica again after 5 "
            "minutes",
            flush=True,
        )
        if down != after:
            raise SystemExit("error: without the replica the figures differ")
        replica.start()
    finally:
        common.stop_server(process)


def main():
    parser = common.argument_parser(__doc__, orders=2000, orders_help="orders generated")
    parser.add_argument("--loads", type=int, default=20, help="dashboard loads per server")
    parser.add_argument("--pg-port", type=int, default=55442)
    parser.add_argument("--replica-port", type=int, default=55443)
    parser.add_argument("--keep", action="store_true", help="leave the clusters running")
    args = parser.parse_args()
    primary = pgcluster.Cluster(f"oms-replica-{args.pg_port}", args.pg_port).create()
    replica = None
    try:
        primary.use()
        common.configure(args)
        filters = prepare(args, primary)
        replica = primary.streaming_replica(f"oms-replica-{args.replica_port}", args.replica_port)
        [[standby]] = replica.query("SELECT pg_is_in_recovery()")
        if not standby:
            raise SystemExit("error: the replica is not a standby")
        wait_replayed(primary, replica)
        clusters = {"primary": primary, "replica": replica}
        base_time, base_read = measure(args, "primary only", clusters, filters)
        ours_time, ours_read = measure(
            args,
            "with the replica",
            clusters,
            filters,
            "--db_replica_host=127.0.0.1",
            f"--db_replica_port={replica.port}",
        )
        if ours_read["replica"] < base_read["primary"] / 2:
            raise SystemExit("error: the replica did not serve the reports")
        lag_and_outage(args, primary, replica, filters)
        common.print_ratio(
            "primary only",
            f"rows read on the primary per dashboard load {ours_read['primary']:,.0f} with the "
            f"replica vs {base_read['primary']:,.0f} without "
            f"({ours_read['primary'] / max(base_read['primary'], 1):.3f}x); the replica read "
            f"{ours_read['replica']:,.0f}; median load {ours_time * 1000:.0f} ms vs "
            f"{base_time * 1000:.0f} ms",
        )
    finally:
        if not args.keep:
            for cluster in (replica, primary):
                if cluster:
                    cluster.stop()


if __name__ == "__main__":
    main()
