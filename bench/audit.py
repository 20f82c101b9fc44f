#!/usr/bin/env python3
"""Benchmark: opening audited orders in the web client, with and without the audit trail.

Usage::

    .venv/bin/python bench/audit.py --db oms_audit_bench --orders 1000 --seed 1 --rounds 3

The database gets ``oms_audit`` and ``oms_reports`` (without demo data) and
``bench/generate``'s data set (``--orders`` orders, seeded) when it has neither, then
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

import json
import os
import re
import statistics
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from xml.etree import ElementTree

import common
import requests

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
    # oms_reports: bench/generate fills its brands
    common.install(args, ("oms_audit", "oms_reports"))
    with common.open_env(args) as env:
        common.generate_orders(env, args.orders, args.seed)
        common.analyze(env.cr)


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
    with common.open_env(args) as env:
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


def set_trail(args, config_id, active):
    # the server's configuration cache is cleared through the ORM, as an OMS manager would
    with common.open_env(args) as env:
        env["oms.audit.model"].browse(config_id).active = active
        registry = env.registry
    # committed: tell the running server (another process) that the caches changed
    registry.signal_changes()


def run_pass(session, base, order_ids, spec):
    for order_id in order_ids:
        rpc(
            session,
            base,
            "/web/dataset/call_kw/sale.order/web_read",
            {
                "model": "sale.order",
                "method": "web_read",
                "args": [[order_id]],
                "kwargs": {"specification": spec, "context": {"bin_size": True}},
            },
        )


def queries_per_view(log_path, log_size):
    """The median of the SQL queries of the views the server logged after ``log_size``."""
    time.sleep(0.2)  # the request log is written after the response
    with open(log_path, encoding="utf-8") as log:
        log.seek(log_size)
        queries = [int(match.group(1)) for match in REQUEST_LOG.finditer(log.read())]
    return statistics.median(queries) if queries else float("nan")


def main():
    parser = common.argument_parser(__doc__, orders=1000, rounds=3)
    args = parser.parse_args()

    prepare_database(args)
    uid, order_ids, spec, config_id = set_up(args)
    print(
        f"{len(order_ids)} orders; form specification: {len(spec)} fields "
        f"(order lines: {len(spec.get('order_line', {}).get('fields', {}))} fields)",
        flush=True,
    )
    log_path = Path(tempfile.mkdtemp(prefix="oms_audit_bench_")) / "odoo.log"
    process, base = common.start_server(
        args,
        "audit",
        "--workers=0",
        "--max-cron-threads=0",
        "--log-handler=werkzeug:INFO",
        f"--logfile={log_path}",
    )
    try:
        times, queries, inserted = run(
            args, base, log_path, order_ids, spec, uid=uid, config_id=config_id
        )
    finally:
        set_trail(args, config_id, True)
        common.stop_server(process)
    ours, base_ = statistics.median(times["ours"]), statistics.median(times["baseline"])
    extra = statistics.median(queries["ours"]) - statistics.median(queries["baseline"])
    print(
        f"log entries inserted by the first pass of ours: {inserted} for "
        f"{len(order_ids)} views (at most one INSERT each); queries per view: ours "
        f"{statistics.median(queries['ours']):.0f}, baseline "
        f"{statistics.median(queries['baseline']):.0f} ({extra:+.0f})"
    )
    common.print_ratio(
        "baseline",
        f"{ours / base_:.3f} (median of {args.rounds} passes: ours {ours:.2f}s, baseline "
        f"{base_:.2f}s, {len(order_ids)} orders opened through web_read; goal below 1.10)",
    )


def count_entries(db, uid):
    return int(psql(db, f"SELECT count(*) FROM oms_document_log WHERE user_id = {uid}") or 0)


def run(args, base, log_path, order_ids, spec, *, uid, config_id):
    """The passes of ours and of the baseline, alternating (the first in turn changes at
    each round): ({mode: [seconds]}, {mode: [queries per view]}, entries inserted by the
    first pass of ours)."""
    specs = {
        "ours": spec,
        "baseline": {name: value for name, value in spec.items() if name != "oms_log_count"},
    }
    session = requests.Session()
    rpc(
        session,
        base,
        "/web/session/authenticate",
        {"db": args.db, "login": BENCH_LOGIN, "password": BENCH_LOGIN},
    )
    queries = {mode: [] for mode in specs}
    inserted = []

    @contextmanager
    def trail(mode):
        set_trail(args, config_id, mode == "ours")
        # warm-up: the server reloads its caches after the signal
        run_pass(session, base, order_ids[:5], spec)
        before = count_entries(args.db, uid)
        log_size = os.path.getsize(log_path) if os.path.exists(log_path) else 0
        yield
        queries[mode].append(queries_per_view(log_path, log_size))
        if mode == "ours" and not inserted:
            inserted.append(count_entries(args.db, uid) - before)

    def report(round_no, mode, elapsed, _result):
        print(
            f"round {round_no} {mode:8s}: {elapsed:7.2f}s for {len(order_ids)} views "
            f"({1000 * elapsed / len(order_ids):.2f} ms/view), "
            f"{queries[mode][-1]:.0f} queries per view",
            flush=True,
        )

    paths = {mode: (lambda s=s: run_pass(session, base, order_ids, s)) for mode, s in specs.items()}
    times, _results = common.alternate(paths, args.rounds, around=trail, swap=True, report=report)
    return times, queries, inserted[0]


if __name__ == "__main__":
    main()
