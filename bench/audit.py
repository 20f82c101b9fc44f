#!/usr/bin/env python3
"""Benchmark: opening audited orders in the web client, with and without the audit trail.

Usage::

    .venv/bin/python bench/audit.py --db oms_audit_bench --orders 1000 --seed 1 --rounds 3

The database gets ``oms_audit`` and ``oms_reports`` (without demo data) and
``bench/generate.py``'s data set (``--orders`` orders, seeded) when it has neither, then
fresh planner statistics. Odoo is started on a free local port (threaded, no cron), and an
OMS user who is not an administrator opens each of the orders the way the web client's form
does: ``/web/dataset/call_kw/sale.order/web_read`` on one record with the specification of
the sales order form (its fields, the lines of its list, the many2ones' display names):

* ours: the audit trail on (each open logs a *view*, once per user, order and minute; the
  form's *Access Log* smart button counts the order's entries);
* baseline: sale orders not audited and the smart button's count left out of the
  specification (what the form reads without the trail).

The two alternate for ``--rounds`` rounds; each pass opens every order once. Printed per
pass: the wall time, and the SQL queries of a view (from the server's request log); then the
entries the first pass of ours inserted (one per view: one ``INSERT`` each, later passes in
the same minute are deduplicated by the unique index). The last line prints the ratio
ours/baseline of the median pass times (goal: below 1.10).
"""

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.etree import ElementTree

import requests

REPO = Path(__file__).resolve().parent.parent

try:
    import odoo
except ImportError:
    sys.path.insert(0, os.environ.get("ODOO_PATH", "/opt/odoo19"))
    import odoo

from odoo import SUPERUSER_ID, api, release  # noqa: E402

ODOO_BIN = Path(release.__file__).resolve().parent.parent / "odoo-bin"
BENCH_LOGIN = "oms_audit_bench_user"
REQUEST_LOG = re.compile(
    r'"POST /web/dataset/call_kw/sale.order/web_read[^"]* HTTP/1.1" 200 - (\d+) '
)


def psql(db, query):
    result = subprocess.run(
        ["psql", "-X", "-q", "-At", "-d", db, "-c", query],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip()


def prepare_database(args):
    installed = psql(
        args.db,
        "SELECT count(*) FROM ir_module_module WHERE state = 'installed'"
        " AND name IN ('oms_audit', 'oms_reports')",
    )
    if installed != "2":
        # oms_reports: bench/generate.py fills its brands
        print(f"installing oms_audit and oms_reports in {args.db} (a few minutes)", flush=True)
        subprocess.run(
            [sys.executable, str(ODOO_BIN), "-c", args.config, "-d", args.db,
             f"--db-filter=^{args.db}$", "-i", "oms_audit,oms_reports", "--without-demo",
             "--stop-after-init", "--log-level=warn"],
            check=True,
        )  # fmt: skip
    count = int(psql(args.db, "SELECT count(*) FROM sale_order") or 0)
    if count < args.orders:
        print(f"generating {args.orders - count} orders", flush=True)
        subprocess.run(
            [sys.executable, str(REPO / "bench" / "generate.py"), "--db", args.db,
             "--orders", str(args.orders - count), "--seed", str(args.seed)],
            check=True,
        )  # fmt: skip
    psql(args.db, "ANALYZE")


def form_specification(env):
    """The specification the web client sends to open a sales order in its form view."""
    arch = env["sale.order"].get_views([(False, "form")])["views"]["form"]["arch"]
    root = ElementTree.fromstring(arch)
    model_fields = env["sale.order"]._fields
    spec = {}

    def relational(field, node):
        if field.type == "many2one":
            return {"fields": {"display_name": {}}}
        sub = {}
        for sub_view in node:
            if sub_view.tag == "list":
                comodel = env[field.comodel_name]._fields
                for sub_node in sub_view.iter("field"):
                    sub_field = comodel.get(sub_node.get("name"))
                    if sub_field is None:
                        continue
                    sub[sub_field.name] = (
                        {"fields": {"display_name": {}}} if sub_field.type == "many2one" else {}
                    )
        return {"fields": sub or {"display_name": {}}}

    def walk(node):
        for child in node:
            if child.tag == "field":
                field = model_fields.get(child.get("name"))
                if field is not None:
                    spec[field.name] = (
                        relational(field, child) if field.type.endswith(("2one", "2many")) else {}
                    )
                continue  # a field's sub-views are the comodel's
            walk(child)

    walk(root)
    return spec


def set_up(args):
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db, f"--db-filter=^{args.db}$"])
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        user = env["res.users"].search([("login", "=", BENCH_LOGIN)])
        if not user:
            user = env["res.users"].create(
                {
                    "name": "Audit Bench User",
                    "login": BENCH_LOGIN,
                    "password": BENCH_LOGIN,
                    "group_ids": [(4, env.ref("oms_extended.group_oms_user").id)],
                }
            )
        order_ids = env["sale.order"].search([], order="id", limit=args.orders).ids
        spec = form_specification(env)
        config = env.ref("oms_audit.oms_audit_model_sale_order").id
        return user.id, order_ids, spec, config


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, args, log_path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process = subprocess.Popen(
            [sys.executable, str(ODOO_BIN), "-c", args.config, "-d", args.db,
             f"--db-filter=^{args.db}$", f"--http-port={self.port}", "--workers=0",
             "--max-cron-threads=0", "--log-level=warn", "--log-handler=werkzeug:INFO",
             f"--logfile={log_path}"],
        )  # fmt: skip
        for _attempt in range(120):
            try:
                if requests.get(f"{self.url}/web/health", timeout=30).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise SystemExit("error: the Odoo server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def rpc(session, url, route, params):
    response = session.post(
        f"{url}{route}",
        json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
        timeout=60,
    )
    payload = response.json()
    if "error" in payload:
        raise SystemExit(f"error: {route}: {json.dumps(payload['error'])[:500]}")
    return payload["result"]


def set_trail(db, config_id, active):
    # the server's configuration cache is cleared through the ORM, as an OMS manager would
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["oms.audit.model"].browse(config_id).active = active
    # tell the running server (another process) that the caches changed
    registry.signal_changes()


def run_pass(session, server, order_ids, spec):
    log_size = os.path.getsize(server.log_path) if os.path.exists(server.log_path) else 0
    started = time.perf_counter()
    for order_id in order_ids:
        rpc(
            session,
            server.url,
            "/web/dataset/call_kw/sale.order/web_read",
            {
                "model": "sale.order",
                "method": "web_read",
                "args": [[order_id]],
                "kwargs": {"specification": spec, "context": {"bin_size": True}},
            },
        )
    elapsed = time.perf_counter() - started
    time.sleep(0.2)  # the request log is written after the response
    with open(server.log_path, encoding="utf-8") as log:
        log.seek(log_size)
        queries = [int(match.group(1)) for match in REQUEST_LOG.finditer(log.read())]
    return elapsed, statistics.median(queries) if queries else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--config", default=str(REPO / "odoo.conf"))
    args = parser.parse_args()

    prepare_database(args)
    uid, order_ids, spec, config_id = set_up(args)
    print(
        f"{len(order_ids)} orders; form specification: {len(spec)} fields "
        f"(order lines: {len(spec.get('order_line', {}).get('fields', {}))} fields)",
        flush=True,
    )
    log_path = Path(tempfile.mkdtemp(prefix="oms_audit_bench_")) / "odoo.log"
    server = Server(args, str(log_path))
    try:
        times, queries, inserted = run(args, server, uid, order_ids, spec, config_id=config_id)
    finally:
        set_trail(args.db, config_id, True)
        server.stop()
    ours, base = statistics.median(times["ours"]), statistics.median(times["baseline"])
    extra = statistics.median(queries["ours"]) - statistics.median(queries["baseline"])
    print(
        f"log entries inserted by the first pass of ours: {inserted} for "
        f"{len(order_ids)} views (at most one INSERT each); queries per view: ours "
        f"{statistics.median(queries['ours']):.0f}, baseline "
        f"{statistics.median(queries['baseline']):.0f} ({extra:+.0f})"
    )
    print(
        f"ratio ours/baseline: {ours / base:.3f} (median of {args.rounds} passes: ours "
        f"{ours:.2f}s, baseline {base:.2f}s, {len(order_ids)} orders opened through web_read; "
        f"goal below 1.10)"
    )


def count_entries(db, uid):
    return int(psql(db, f"SELECT count(*) FROM oms_document_log WHERE user_id = {uid}") or 0)


def run(args, server, uid, order_ids, spec, *, config_id):
    baseline_spec = {name: value for name, value in spec.items() if name != "oms_log_count"}
    session = requests.Session()
    rpc(
        session,
        server.url,
        "/web/session/authenticate",
        {"db": args.db, "login": BENCH_LOGIN, "password": BENCH_LOGIN},
    )
    inserted = None
    times = {"ours": [], "baseline": []}
    queries = {"ours": [], "baseline": []}
    for round_no in range(1, args.rounds + 1):
        modes = ("ours", "baseline") if round_no % 2 else ("baseline", "ours")
        for mode in modes:
            set_trail(args.db, config_id, mode == "ours")
            # warm-up: the server reloads its caches after the signal
            run_pass(session, server, order_ids[:5], spec)
            before = count_entries(args.db, uid)
            elapsed, per_view = run_pass(
                session, server, order_ids, spec if mode == "ours" else baseline_spec
            )
            times[mode].append(elapsed)
            queries[mode].append(per_view)
            if mode == "ours" and inserted is None:
                inserted = count_entries(args.db, uid) - before
            print(
                f"round {round_no} {mode:8s}: {elapsed:7.2f}s for {len(order_ids)} views "
                f"({1000 * elapsed / len(order_ids):.2f} ms/view), "
                f"{per_view:.0f} queries per view",
                flush=True,
            )
    return times, queries, inserted


if __name__ == "__main__":
    main()
