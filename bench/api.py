#!/usr/bin/env python3
"""Benchmark: the mobile API's ``GET /orders`` against Odoo's JSON-2 API for the same data.

Usage::

    .venv/bin/python bench/api.py --db oms_api_bench --orders 10000 --seed 1 \\
        --clients 16 --duration 60 --rounds 1 --post-duration 20

The database gets the OMS addons (without demo data) and ``bench/generate``'s data set
when it has neither (``--orders`` generated orders, seeded), then fresh planner statistics.
Odoo is started with 2 workers (``--workers``) on a free local port, and an OMS user who is
not an administrator calls it with an API key, through both APIs:

* ours: ``GET /oms/api/v1/orders?limit=50`` following ``next_cursor``: one call returns 50
  orders with their lines and customers;
* baseline: Odoo's JSON-2 API (``/json/2/<model>/<method>``, the same API key) for the same
  data: ``sale.order/search_read`` (the page, by offset), ``sale.order.line/read`` (their
  lines) and ``res.partner/read`` (their customers): three calls per page.

``--clients`` concurrent clients fetch the first ``--pages`` pages over and over, for
``--duration`` seconds per path; the paths alternate for ``--rounds`` rounds. For each path:
pages/s and the p50/p99 latency of a page (for JSON-2, its three calls). Then ``POST
/oms/api/v1/orders`` (3 lines, a unique Idempotency-Key each) for ``--post-duration``
seconds: orders/s and latencies; those orders are deleted afterwards. The last line prints
the ratios ours/JSON-2 (throughput: higher is better; p99: lower is better).
"""

import json
import statistics
import threading
import time
import uuid

import common
import requests

from odoo.fields import Command
from odoo.tools import SQL

API = "/oms/api/v1"
MODULES = ("oms_extended", "oms_mobile_api")
BENCH_LOGIN = "oms_api_bench_clerk"
ORDER_FIELDS = [
    "name",
    "state",
    "oms_state",
    "oms_payment_state",
    "date_order",
    "commitment_date",
    "client_order_ref",
    "partner_id",
    "currency_id",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "oms_amount_paid",
    "oms_amount_due",
    "order_line",
]
LINE_FIELDS = [
    "product_id",
    "name",
    "display_type",
    "product_uom_qty",
    "qty_delivered",
    "qty_invoiced",
    "product_uom_id",
    "price_unit",
    "discount",
    "price_subtotal",
    "price_total",
]
PARTNER_FIELDS = ["display_name", "email", "phone", "city", "country_code"]


def prepare_database(args):
    """The OMS addons and the generated data set, when missing; fresh statistics."""
    common.install(args, MODULES)
    with common.open_env(args) as env:
        common.generate_orders(env, args.orders, args.seed)
        common.analyze(env.cr, ("sale_order", "sale_order_line", "res_partner", "product_product"))
        env.cr.execute("SELECT count(*), (SELECT count(*) FROM sale_order_line) FROM sale_order")
        return env.cr.fetchone()


def bench_user(args):
    """An OMS user (not an administrator) and an API key, for both APIs."""
    with common.open_env(args, {"tracking_disable": True}) as env:
        cr = env.cr
        user = (
            env["res.users"].with_context(active_test=False).search([("login", "=", BENCH_LOGIN)])
        )
        if not user:
            user = env["res.users"].create(
                {
                    "name": "API bench clerk",
                    "login": BENCH_LOGIN,
                    "group_ids": [Command.set([env.ref("oms_extended.group_oms_user").id])],
                }
            )
        cr.execute(SQL("DELETE FROM res_users_apikeys WHERE user_id = %s", user.id))
        # sudo: the clerk's own key, made as in its preferences without the password check
        key = env["res.users.apikeys"].with_user(user).sudo()._generate(None, "bench", None)
        env.ref("oms_mobile_api.fastapi_endpoint_oms_mobile_api").oms_rate_limit = 0
        customer = env["res.partner"].search([("customer_rank", ">", 0)], limit=1)
        products = env["product.product"].search([("sale_ok", "=", True)], limit=3)
        return key, customer.id, products.ids


class Client:
    def __init__(self, base, key, db):
        self.base = base
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {key}", "X-Odoo-Database": db})

    def ours(self, page, cursor):
        """One page through GET /orders; returns the cursor of the next page."""
        params = {"limit": 50}
        if cursor and page:
            params["cursor"] = cursor
        response = self.session.get(f"{self.base}{API}/orders", params=params, timeout=120)
        response.raise_for_status()
        body = response.json()
        assert len(body["items"]) == 50
        return body["next_cursor"]

    def json2(self, model, method, **params):
        response = self.session.post(
            f"{self.base}/json/2/{model}/{method}",
            data=json.dumps(params),
            timeout=120,
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        return response.json()

    def baseline(self, page, _cursor):
        """The same page through JSON-2: orders, then their lines, then their customers."""
        orders = self.json2(
            "sale.order",
            "search_read",
            domain=[],
            fields=ORDER_FIELDS,
            limit=50,
            offset=page * 50,
            order="date_order desc, id desc",
        )
        assert len(orders) == 50
        line_ids = [line_id for order in orders for line_id in order["order_line"]]
        self.json2("sale.order.line", "read", ids=line_ids, fields=LINE_FIELDS)
        partner_ids = sorted({order["partner_id"][0] for order in orders})
        self.json2("res.partner", "read", ids=partner_ids, fields=PARTNER_FIELDS)


def load(base, key, args, path):
    """``args.clients`` clients fetching pages for ``args.duration`` s: (pages/s, latencies)."""
    latencies = []
    lock = threading.Lock()
    stop = time.monotonic() + args.duration
    errors = []

    def client_loop():
        client = Client(base, key, args.db)
        fetch = client.ours if path == "ours" else client.baseline
        page, cursor, mine = 0, None, []
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                cursor = fetch(page, cursor)
            except Exception as error:  # reported after the run
                errors.append(repr(error))
                return
            mine.append(time.perf_counter() - started)
            page = (page + 1) % args.pages
            if page == 0:
                cursor = None
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client_loop) for _i in range(args.clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"error: {path}: {errors[0]}")
    return len(latencies) / elapsed, latencies


def post_orders(base, key, args, customer_id, product_ids):
    """POST /orders with unique Idempotency-Keys: (orders/s, latencies)."""
    latencies = []
    lock = threading.Lock()
    stop = time.monotonic() + args.post_duration
    body = {
        "customer_id": customer_id,
        "client_order_ref": "bench-api",
        "lines": [{"product_id": product_id, "quantity": 1} for product_id in product_ids],
    }

    def client_loop():
        session = requests.Session()
        session.headers.update({"Authorization": f"Bearer {key}"})
        mine = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            response = session.post(
                f"{base}{API}/orders",
                json=body,
                timeout=120,
                headers={"Idempotency-Key": str(uuid.uuid4())},
            )
            if response.status_code != 201:
                raise SystemExit(f"error: POST /orders: {response.status_code} {response.text}")
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client_loop) for _i in range(args.clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - started), latencies


def remove_bench_orders(args):
    with common.open_env(args) as env:
        orders = env["sale.order"].search([("client_order_ref", "=", "bench-api")])
        orders.unlink()
        env.cr.execute("DELETE FROM oms_api_idempotency")
        return len(orders)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000


def summary(name, rate, latencies):
    p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
    print(
        f"  {name:<28} {rate:8.1f} pages/s   p50 {p50:7.1f} ms   p99 {p99:7.1f} ms"
        f"   ({len(latencies)} pages)",
        flush=True,
    )
    return rate, p50, p99


def main():
    parser = common.argument_parser(__doc__, db="oms_api_bench", orders=10_000, rounds=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per path and round")
    parser.add_argument("--pages", type=int, default=20, help="pages of 50 orders walked")
    parser.add_argument("--post-duration", type=float, default=20.0)
    args = parser.parse_args()

    orders, lines = prepare_database(args)
    print(f"database {args.db}: {orders} orders, {lines} lines", flush=True)
    key, customer_id, product_ids = bench_user(args)
    process, base = common.start_server(
        args,
        "api",
        f"--workers={args.workers}",
        "--max-cron-threads=0",
        "--limit-time-real=600",
        "--limit-time-cpu=600",
        ready_path=f"{API}/version",
    )
    try:
        client = Client(base, key, args.db)
        for page in range(3):  # warm both paths up
            client.ours(page, None)
            client.baseline(page, None)
        results = {"ours": [], "json2": []}
        for round_no in range(1, args.rounds + 1):
            print(
                f"round {round_no}: {args.clients} clients, {args.duration:.0f} s per path",
                flush=True,
            )
            for path, label in (("ours", "GET /orders"), ("json2", "JSON-2 (3 calls)")):
                rate, latencies = load(base, key, args, path)
                results[path].append(summary(label, rate, latencies))
        print(f"POST /orders: {args.clients} clients, {args.post_duration:.0f} s", flush=True)
        rate, latencies = post_orders(base, key, args, customer_id, product_ids)
        print(
            f"  {'POST /orders':<28} {rate:8.1f} orders/s  p50 {percentile(latencies, 0.5):7.1f}"
            f" ms   p99 {percentile(latencies, 0.99):7.1f} ms   ({len(latencies)} orders)",
            flush=True,
        )
    finally:
        common.stop_server(process)
        print(f"removed {remove_bench_orders(args)} benchmark orders", flush=True)

    ours = [statistics.median(values) for values in zip(*results["ours"], strict=True)]
    base_ = [statistics.median(values) for values in zip(*results["json2"], strict=True)]
    print(
        f"medians: GET /orders {ours[0]:.1f} pages/s, p50 {ours[1]:.1f} ms, p99 {ours[2]:.1f} ms;"
        f" JSON-2 {base_[0]:.1f} pages/s, p50 {base_[1]:.1f} ms, p99 {base_[2]:.1f} ms"
    )
    common.print_ratio(
        "JSON-2",
        f"throughput x{ours[0] / base_[0]:.2f}, p50 latency x{ours[1] / base_[1]:.2f}, "
        f"p99 latency x{ours[2] / base_[2]:.2f} (p99 {base_[2] / ours[2]:.2f}x better)",
    )


if __name__ == "__main__":
    main()
