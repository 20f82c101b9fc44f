#!/usr/bin/env python3
"""Benchmark: the automation of paid quotations on 1, 2 and 4 job workers (OCA queue_job,
through oms_queue_job) against the standard buttons and today's cron; the API's order page
on one and on two Odoo servers.

Usage::

    .venv/bin/python bench/scale.py --db oms_bench_scale --orders 10000 --history 2000 \\
        --workers 1,2,4 --batch-size 50 --baseline-sample 100 --api-duration 30

The database gets oms_extended, queue_job (oms_queue_job installs itself) and oms_mobile_api
without demo data, and ``bench/generate``'s data set: ``--history`` orders, then
``--orders`` paid quotations for EACH automated path (the cron, and each job worker count),
paid in full and waiting for the "OMS bench" rule of bench/automation.py (confirm when paid,
invoice at confirmation, post, reconcile). Then, each on its own quotations:

* buttons (baseline): Confirm, Create Invoice, Confirm on the invoice, order by order on a
  sample of ``--baseline-sample`` orders, rolled back (bench/automation.py's baseline);
* cron: ``_cron_oms_apply_automation`` in this process, committed per batch (no queue:
  system parameter ``oms_queue_job.disabled`` = 1 while it runs);
* jobs with W workers: an Odoo server with ``--workers=W`` that loads the job runner
  (``server_wide_modules`` base,web,queue_job; channels ``root:W,root.oms.automation:W``)
  is started; the cron queues the quotations (batches of ``--batch-size``) and the time runs
  until every one of them is done.

Each path's orders are checked (confirmed, invoiced, posted, paid; one invoice each).
Then the API's ``GET /oms/api/v1/orders?limit=50`` (bench/api.py's client) with
``--api-clients`` clients for ``--api-duration`` s on one server (2 workers) and on two
servers (2 workers each, clients spread over both). Prints orders/s of each path, the
speed-ups against the buttons and the cron, pages/s of each API set-up, and the ratios on the
last line. On a 2-core machine the database, the runner, the workers and this script share
the two cores: the speed-up stops growing where they are busy (the figures say where).
"""

import os
import threading
import time

import api as api_bench
import automation
import common

MODULES = ("oms_extended", "queue_job", "oms_queue_job", "oms_mobile_api")
DISABLED_PARAM = "oms_queue_job.disabled"


def set_queue(env, enabled):
    env["ir.config_parameter"].set_param(DISABLED_PARAM, "0" if enabled else "1")
    env.cr.commit()


def wait_done(env, orders, timeout, cron=None, cron_every=60):
    """Seconds until none of ``orders`` waits for the automation (polled in SQL). ``cron``:
    called every ``cron_every`` s meanwhile, as the automation's cron runs in production
    (it queues again the orders of a batch that gave up)."""
    started = time.perf_counter()
    deadline = time.monotonic() + timeout
    next_cron = time.monotonic() + cron_every
    while time.monotonic() < deadline:
        if cron and time.monotonic() >= next_cron:
            cron()
            env.cr.commit()
            next_cron = time.monotonic() + cron_every
        env.cr.execute(
            "SELECT count(*) FROM sale_order WHERE id = ANY(%s) AND oms_needs_automation",
            [orders.ids],
        )
        left = env.cr.fetchone()[0]
        env.cr.commit()
        if not left:
            return time.perf_counter() - started
        time.sleep(0.25)
    raise SystemExit(f"error: {left} orders still waiting after {timeout}s")


def server_options(workers, *extra):
    return (
        f"--workers={workers}",
        f"--gevent-port={common.free_port()}",
        "--max-cron-threads=0",
        "--limit-time-real=900",
        "--limit-time-cpu=900",
        *extra,
    )


def start_job_server(args, workers):
    """An Odoo server running the job runner with ``workers`` workers in the automation
    channel; the runner sends the jobs to this server."""
    os.environ["ODOO_QUEUE_JOB_CHANNELS"] = f"root:{workers},root.oms.automation:{workers}"
    os.environ.pop("ODOO_QUEUE_JOB_PORT", None)  # the runner calls its own server's port
    return common.start_server(
        args, f"scale-{workers}w", *server_options(workers, "--load=base,web,queue_job")
    )


def job_states(env):
    env.cr.execute(
        "SELECT state, count(*), sum(retry) FROM queue_job "
        "WHERE channel = 'root.oms.automation' GROUP BY state ORDER BY state"
    )
    return ", ".join(
        f"{state} {count} (retries {retries or 0})" for state, count, retries in env.cr.fetchall()
    )


def run_jobs(env, args, part, workers):
    process, _base = start_job_server(args, workers)
    try:
        env.cr.execute("DELETE FROM queue_job")
        set_queue(env, True)
        automation.flag_for_cron(env, part)
        env.cr.commit()
        started = time.perf_counter()

        def cron():
            env["sale.order"]._cron_oms_apply_automation(batch_size=args.batch_size)

        cron()
        env.cr.commit()
        wait_done(env, part, timeout=3600, cron=cron)
        return time.perf_counter() - started
    finally:
        set_queue(env, False)
        common.stop_server(process)


def run_cron(env, part):
    set_queue(env, False)
    automation.flag_for_cron(env, part)
    env.cr.commit()
    started = time.perf_counter()
    env["sale.order"]._cron_oms_apply_automation()
    env.cr.commit()
    return time.perf_counter() - started


def run_buttons(env, sample):
    env.cr.execute("SAVEPOINT bench_buttons")
    started = time.perf_counter()
    automation.baseline(env, sample)
    elapsed = time.perf_counter() - started
    done = automation.check(sample)
    env.invalidate_all(flush=False)
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_buttons")
    env.invalidate_all(flush=False)
    return elapsed, done


def check_once(env, part):
    """(orders done, orders with more than one invoice or more than one payment)."""
    env.invalidate_all()
    done = automation.check(part)
    env.cr.execute(
        """
        SELECT count(*) FROM sale_order so
         WHERE so.id = ANY(%s)
           AND ((SELECT count(DISTINCT aml.move_id) FROM sale_order_line_invoice_rel rel
                   JOIN sale_order_line sol ON sol.id = rel.order_line_id
                   JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                  WHERE sol.order_id = so.id) > 1
                OR (SELECT count(*) FROM account_payment p WHERE p.oms_sale_order_id = so.id) > 1)
        """,
        [part.ids],
    )
    return done, env.cr.fetchone()[0]


def api_load(bases, key, args):
    """``args.api_clients`` clients on ``bases`` (spread evenly) for ``args.api_duration``
    s: pages/s and median latency (ms)."""
    latencies, errors = [], []
    lock = threading.Lock()
    stop = time.monotonic() + args.api_duration

    def client_loop(index):
        client = api_bench.Client(bases[index % len(bases)], key, args.db)
        page, cursor, mine = 0, None, []
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                cursor = client.ours(page, cursor)
            except Exception as error:  # reported after the run
                errors.append(repr(error))
                return
            mine.append(time.perf_counter() - started)
            page = (page + 1) % 10
            cursor = cursor if page else None
        with lock:
            latencies.extend(mine)

    threads = [
        threading.Thread(target=client_loop, args=(index,)) for index in range(args.api_clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"error: API: {errors[0]}")
    return len(latencies) / elapsed, api_bench.percentile(latencies, 0.5)


def api_servers(args, count, key):
    servers = [
        common.start_server(args, f"scale-api-{index}", *server_options(2))
        for index in range(count)
    ]
    try:
        bases = [base for _process, base in servers]
        api_load(bases, key, dict_args(args, api_duration=3))  # warm-up: every worker
        return api_load(bases, key, args)
    finally:
        for process, _base in servers:
            common.stop_server(process)


def dict_args(args, **changes):
    copy = type(args)(**vars(args))
    for name, value in changes.items():
        setattr(copy, name, value)
    return copy


def main():
    parser = common.argument_parser(
        __doc__, orders=10_000, orders_help="paid quotations per automated path"
    )
    parser.add_argument("--history", type=int, default=2_000, help="orders before them")
    parser.add_argument("--workers", default="1,2,4", help="job worker counts")
    parser.add_argument("--batch-size", type=int, default=50, help="orders per job")
    parser.add_argument("--baseline-sample", type=int, default=100)
    parser.add_argument("--api-clients", type=int, default=8)
    parser.add_argument("--api-duration", type=float, default=30.0)
    args = parser.parse_args()
    workers = [int(count) for count in args.workers.split(",")]
    common.install(args, MODULES)

    paths = ["cron", *(f"{count}w" for count in workers)]
    with common.open_env(args, common.NO_MAIL_CTX) as env:
        rule = automation.setup_rule(env)
        set_queue(env, False)
        started = time.perf_counter()
        orders = automation.build_quotations(env, args.orders * len(paths), args.history, args.seed)
        if set(orders.mapped("oms_workflow_id")) != {rule}:
            raise SystemExit("error: the paid quotations do not follow the OMS bench rule")
        print(
            f"built {args.history} orders of history and {len(orders)} paid quotations in "
            f"{time.perf_counter() - started:.0f}s",
            flush=True,
        )
        common.analyze(env.cr)
        env.cr.commit()
        parts = {
            path: orders[index * args.orders : (index + 1) * args.orders]
            for index, path in enumerate(paths)
        }
        rates = {}
        sample = parts["cron"][: args.baseline_sample]
        seconds, done = run_buttons(env, sample)
        rates["buttons"] = len(sample) / seconds
        print(
            f"buttons: {len(sample)} orders in {seconds:.1f}s = {rates['buttons']:.2f} "
            f"orders/s ({done} done, rolled back)",
            flush=True,
        )
        for path in paths:
            part = parts[path]
            if path == "cron":
                seconds = run_cron(env, part)
            else:
                seconds = run_jobs(env, args, part, int(path[:-1]))
            done, doubled = check_once(env, part)
            jobs = "" if path == "cron" else f"; jobs: {job_states(env)}"
            rates[path] = len(part) / seconds
            print(
                f"{path}: {len(part)} orders in {seconds:.1f}s = {rates[path]:.2f} orders/s "
                f"({done} done, {doubled} with a second invoice or payment; "
                f"{rates[path] / rates['buttons']:.2f}x the buttons, "
                f"{rates[path] / rates['cron']:.2f}x the cron){jobs}",
                flush=True,
            )
            if done != len(part) or doubled:
                raise SystemExit(f"error: {path}: {len(part) - done} not done, {doubled} doubled")

    key, _customer, _products = api_bench.bench_user(args)
    pages = {}
    for count in (1, 2):
        pages[count], p50 = api_servers(args, count, key)
        print(
            f"API GET /orders, {count} server(s) x 2 workers, {args.api_clients} clients: "
            f"{pages[count]:.1f} pages/s, p50 {p50:.0f} ms",
            flush=True,
        )
    best = max(workers)
    cron_x = rates["cron"] / rates["buttons"]
    common.print_ratio(
        "buttons",
        f"{len(parts['cron'])} paid quotations per path: cron {cron_x:.2f}x"
        + "".join(
            f", {count} job workers {rates[f'{count}w'] / rates['buttons']:.2f}x"
            for count in workers
        )
        + f" the buttons ({rates['buttons']:.2f} orders/s); {best} workers "
        f"{rates[f'{best}w'] / rates['cron']:.2f}x the cron; API two servers "
        f"{pages[2] / pages[1]:.2f}x one ({pages[1]:.1f} -> {pages[2]:.1f} pages/s)",
    )


if __name__ == "__main__":
    main()
