#!/usr/bin/env python3
"""Faults survived: an Odoo server killed with ``kill -9`` in the middle of the automation
of paid quotations on queue_job, and PostgreSQL restarted in the middle of another run;
afterwards every order is processed exactly once.

Usage::

    .venv/bin/python bench/faults.py --db oms_bench_faults --orders 2000 --history 500 \\
        --template-db oms_bench_scale --pg-port 55432

Everything runs on a PostgreSQL cluster of its own, made by this script with ``initdb`` in
``/tmp/oms-faults-pg`` and started with ``pg_ctl`` on ``--pg-port`` (the machine's PostgreSQL is
never restarted): the database is copied there from ``--template-db`` (a database of the
machine's server with oms_extended and queue_job installed, e.g. bench/scale.py's), or
installed there when no template is given. ``bench/generate`` adds ``--history`` orders and
2 x ``--orders`` paid quotations under bench/automation.py's "OMS bench" rule.

* run 1: an Odoo server with 2 job workers and the job runner; the cron queues the first
  ``--orders`` quotations (batches of ``--batch-size``); when ``--at`` of them are done, the
  server and its workers are killed with SIGKILL (no shutdown) and started again at once.
  queue_job finds the jobs that were running dead (their lock in ``queue_job_lock`` is gone)
  and queues them again; the batch re-reads what is left to do, under a lock.
* run 2: the same on the other quotations, and at ``--at`` PostgreSQL is restarted
  (``pg_ctl restart -m immediate``: a crash, no checkpoint); the server stays up, its workers
  and the runner reconnect.

After each run: every order confirmed, invoiced once, posted and paid, one payment, none
left waiting; the jobs' states. Prints the recovery time (fault to last order done), the
throughput before the fault, and the time the same work would have taken at that rate.
"""

import os
import signal
import time

import automation
import common
import pgcluster
import scale


def start_server(args, name, workers=2):
    """An Odoo server with the job runner, in a session of its own (killed as a group)."""
    env = dict(
        os.environ,
        ODOO_QUEUE_JOB_CHANNELS=f"root:{workers},root.oms.automation:{workers}",
    )
    env.pop("ODOO_QUEUE_JOB_PORT", None)
    process, _base = common.start_server(
        args,
        f"faults-{name}",
        *scale.server_options(workers, "--load=base,web,queue_job"),
        env=env,
        new_session=True,
    )
    return process


def kill_group(process, sig=signal.SIGKILL):
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
    process.wait(60)


def left(args, ids):
    """How many of the orders ``ids`` still wait for the automation, on a new connection
    each time (the script's own survive a restart of PostgreSQL), retried while the
    database is down."""
    for _attempt in range(600):
        cnx = common.connect(args.db)
        if cnx is not None:
            try:
                with cnx.cursor() as cr:
                    cr.execute(
                        "SELECT count(*) FROM sale_order WHERE id = ANY(%s) "
                        "AND oms_needs_automation",
                        [ids],
                    )
                    return cr.fetchone()[0]
            except common.psycopg2.Error:
                pass
            finally:
                cnx.close()
        time.sleep(0.5)
    raise SystemExit("error: the database did not come back")


def wait_until(args, ids, remaining, timeout=3600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count = left(args, ids)
        if count <= remaining:
            return count
        time.sleep(0.2)
    raise SystemExit(f"error: {count} orders still waiting after {timeout}s")


def run(args, name, ids, fault):
    """Queue the orders ``ids``, apply ``fault`` when ``--at`` of them are done, wait for
    the rest; prints and returns the figures. Each step on a new cursor: those opened
    before a restart of PostgreSQL are dead after it."""
    with common.open_env(args, common.NO_MAIL_CTX) as env:
        env.cr.execute("DELETE FROM queue_job")
        scale.set_queue(env, True)
        automation.flag_for_cron(env, env["sale.order"].browse(ids))
    process = start_server(args, name)
    try:
        started = time.perf_counter()
        with common.open_env(args, common.NO_MAIL_CTX) as env:
            env["sale.order"]._cron_oms_apply_automation(batch_size=args.batch_size)
        remaining = wait_until(args, ids, len(ids) - int(len(ids) * args.at))
        before = time.perf_counter() - started
        rate = (len(ids) - remaining) / before
        fault_at = time.perf_counter()
        process = fault(process)
        back = time.perf_counter() - fault_at  # the fault itself (restart included)
        wait_until(args, ids, 0)
        recovery = time.perf_counter() - fault_at
    finally:
        kill_group(process, signal.SIGTERM)
    with common.open_env(args, common.NO_MAIL_CTX) as env:
        done, doubled = scale.check_once(env, env["sale.order"].browse(ids))
        jobs = scale.job_states(env)
        scale.set_queue(env, False)
    print(
        f"{name}: {len(ids)} orders; fault after {len(ids) - remaining} done "
        f"({before:.1f}s, {rate:.2f} orders/s); service back {back:.1f}s after the fault; "
        f"the last {remaining} orders done {recovery:.1f}s after it (at the rate before: "
        f"{remaining / rate:.1f}s, so the fault cost {recovery - remaining / rate:.1f}s); "
        f"{done} done, {doubled} with a second invoice or payment, {left(args, ids)} left; "
        f"jobs: {jobs}",
        flush=True,
    )
    if done != len(ids) or doubled:
        raise SystemExit(f"error: {name}: {len(ids) - done} not done, {doubled} doubled")
    return recovery, recovery - remaining / rate


def main():
    parser = common.argument_parser(__doc__, orders=2000, orders_help="paid quotations per run")
    parser.add_argument("--history", type=int, default=500)
    parser.add_argument("--template-db", help="database of the machine's server to copy")
    parser.add_argument("--pg-port", type=int, default=55432)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--at", type=float, default=0.4, help="share done when the fault hits")
    parser.add_argument("--keep", action="store_true", help="leave the private cluster running")
    args = parser.parse_args()
    common.configure(args)  # the template's connection: the machine's server
    cluster = pgcluster.Cluster("oms-faults-pg", args.pg_port).create()
    try:
        if args.template_db:
            cluster.copy_database(args.template_db, args.db)
        cluster.use()
        common.configure(args)
        common.install(args, scale.MODULES)
        with common.open_env(args, common.NO_MAIL_CTX) as env:
            rule = automation.setup_rule(env)
            scale.set_queue(env, False)
            orders = automation.build_quotations(env, 2 * args.orders, args.history, args.seed)
            if set(orders.mapped("oms_workflow_id")) != {rule}:
                raise SystemExit("error: the paid quotations do not follow the OMS bench rule")
            common.analyze(env.cr)
            ids = orders.ids

        def kill_server(process):
            kill_group(process)
            print("  server killed (SIGKILL, with its workers); starting it again", flush=True)
            return start_server(args, "kill-restarted")

        def restart_postgres(process):
            cluster.restart("immediate")
            print("  PostgreSQL restarted (immediate: crash recovery)", flush=True)
            return process

        kill = run(args, "kill -9", ids[: args.orders], kill_server)
        restart = run(args, "PostgreSQL restart", ids[args.orders :], restart_postgres)
        common.print_ratio(
            "no fault",
            f"{args.orders} orders per run, every one processed once: kill -9 recovered in "
            f"{kill[0]:.1f}s (cost {kill[1]:.1f}s), PostgreSQL restart in {restart[0]:.1f}s "
            f"(cost {restart[1]:.1f}s)",
        )
    finally:
        if not args.keep:
            cluster.stop()


if __name__ == "__main__":
    main()
