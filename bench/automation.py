#!/usr/bin/env python3
"""Benchmark: the OMS automation cron against Odoo's standard buttons.

Usage::

    .venv/bin/python bench/automation.py --db oms_bench_auto --orders 10000 --history 10000 \
        --seed 1 --rounds 4 --baseline-sample 100

``bench/generate.py`` builds the data set: ``--history`` orders of the last two
years (every state, with their pickings, invoices, payments and stock) and
``--orders`` recent quotations, each paid in full by a posted bank payment linked
to the order and not reconciled yet, as a customer paying up front leaves them.
An "OMS bench" rule of the company confirms them when paid, invoices at
confirmation, posts and reconciles. The quotations are split in ``--rounds``
chunks. For each chunk, alternately:

* baseline: orders one by one as a user clicks them: *Confirm*, *Create Invoice*
  (``sale.advance.payment.inv``), *Confirm* on the invoice (which reconciles the
  order's payment with it, as oms_extended does on posting); run in a savepoint,
  timed, rolled back. The buttons cost about the same for every
  order, so the baseline runs on a SAMPLE of each chunk (its first
  ``--baseline-sample`` orders; 0 = the whole chunk), reported as orders/s;
* ours: the cron ``sale.order._cron_oms_apply_automation`` on the whole chunk,
  committed per cron batch as in production.

Both run with the same context (tracking and mail logging off) and end in the same
state, which is checked. Each round starts with fresh planner statistics (ANALYZE, when
the server runs without autovacuum). Prints orders/s of both per round, the medians, and the
ratio ours/baseline (speed-up) on the last line.

Next to the whole journey, the same runs time the steps the cron batches on its own:
invoice + post + reconcile (ours: the cron's invoice, post and reconcile steps with their
flushes; baseline: the *Create Invoice* wizard and the invoice's *Confirm*, which
reconciles). Confirmation is Odoo's own stock work (reservation, pickings), paid per order
in both paths; these figures show what batching changes.
"""

import argparse
import importlib.util
import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from unittest.mock import patch

REPO = Path(__file__).resolve().parent.parent

try:
    import odoo
except ImportError:
    sys.path.insert(0, os.environ.get("ODOO_PATH", "/opt/odoo19"))
    import odoo

from odoo.fields import Command  # noqa: E402

CTX = {
    "tracking_disable": True,
    "mail_notrack": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_auto_subscribe_no_notify": True,
}


def load_generator():
    spec = importlib.util.spec_from_file_location(
        "oms_bench_generate", REPO / "bench" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def setup_rule(env):
    """The company's "OMS bench" rule: more specific than the shared default."""
    if not env.company.chart_template:
        env["account.chart.template"].try_loading("generic_coa", company=env.company)
    values = {
        "name": "OMS bench",
        "sequence": 0,
        "company_id": env.company.id,
        "team_ids": [Command.clear()],
        "payment_method": False,
        "confirm_policy": "paid",
        "invoice_policy": "confirm",
        "post_invoice": True,
        "reconcile_payments": True,
        "validate_delivery": False,
        "send_confirmation_mail": False,
    }
    rule = env["oms.workflow"].search([("name", "=", "OMS bench")], limit=1)
    if rule:
        rule.write(values)
    else:
        rule = env["oms.workflow"].create(values)
    return rule


def build_quotations(env, n_orders, n_history, seed):
    """``n_history`` orders of history, then ``n_orders`` paid quotations."""
    expected = load_generator().generate(
        env,
        n_history,
        seed,
        progress=lambda msg: print(f"  {msg}", flush=True),
        commit=True,
        paid_quotations=n_orders,
    )
    return env["sale.order"].browse(expected["paid_quotation_ids"])


def baseline(env, orders):
    """One order at a time, through the buttons a user clicks. Returns the seconds spent
    invoicing, posting and reconciling (the rest is confirmation)."""
    steps = 0.0
    for order in orders:
        order.action_confirm()
        env.flush_all()
        t0 = time.perf_counter()
        wizard = (
            env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids, active_id=order.id)
            .create({"advance_payment_method": "delivered"})
        )
        wizard.create_invoices()
        order.invoice_ids.filtered(lambda m: m.state == "draft").action_post()
        env.flush_all()
        steps += time.perf_counter() - t0
    return steps


BATCHED_STEPS = ("_oms_step_invoice", "_oms_step_post", "_oms_step_reconcile")


@contextmanager
def timed_steps(env):
    """Time the cron's invoice, post and reconcile steps, each with its flush; yields a
    list whose sum is the seconds spent in them."""
    spent = []
    SaleOrder = type(env["sale.order"])

    def timed(original):
        def step(self):
            t0 = time.perf_counter()
            result = original(self)
            self.env.flush_all()
            spent.append(time.perf_counter() - t0)
            return result

        return step

    patches = [
        patch.object(SaleOrder, name, timed(getattr(SaleOrder, name))) for name in BATCHED_STEPS
    ]
    for patcher in patches:
        patcher.start()
    try:
        yield spent
    finally:
        for patcher in patches:
            patcher.stop()


def analyze(cr):
    """Refresh the planner's statistics, outside the timings, as autovacuum does on a
    production server (this machine's PostgreSQL runs with autovacuum off: without it,
    the plans of Odoo's queries on the growing tables degrade round after round)."""
    cr.execute("SHOW autovacuum")
    if cr.fetchone()[0] == "off":
        cr.execute("ANALYZE")


def flag_for_cron(env, orders):
    """Only ``orders`` are waiting for the cron (set up before the timer starts)."""
    env.cr.execute("UPDATE sale_order SET oms_needs_automation = false WHERE oms_needs_automation")
    env.cr.execute(
        "UPDATE sale_order SET oms_needs_automation = true WHERE id = ANY(%s)", [orders.ids]
    )
    env.invalidate_all()


def ours(env, orders):
    """The cron on ``orders``; returns the seconds its invoice, post and reconcile steps
    took."""
    with timed_steps(env) as spent:
        env["sale.order"]._cron_oms_apply_automation()
        env.flush_all()
    return sum(spent)


def check(orders):
    """How many of ``orders`` are confirmed, with a posted invoice that is paid."""
    orders.env.flush_all()
    return orders.search_count(
        [
            ("id", "in", orders.ids),
            ("state", "=", "sale"),
            ("invoice_ids.state", "=", "posted"),
            ("invoice_ids.payment_state", "in", ("paid", "in_payment")),
        ]
    )


def run_round(env, round_no, part, sample, rates):
    """The buttons on ``sample`` (rolled back), then the cron on ``part`` (committed);
    appends their orders/s, whole journey and batched steps, to ``rates``."""
    cr = env.cr
    analyze(cr)
    cr.commit()
    # Baseline in a savepoint, rolled back so ours runs on the same orders.
    cr.execute("SAVEPOINT bench_baseline")
    t0 = time.perf_counter()
    base_steps = baseline(env, sample)
    base_time = time.perf_counter() - t0
    base_ok = check(sample)
    env.invalidate_all(flush=False)
    cr.execute("ROLLBACK TO SAVEPOINT bench_baseline")
    env.invalidate_all(flush=False)

    flag_for_cron(env, part)
    cr.commit()
    t0 = time.perf_counter()
    our_steps = ours(env, part)
    our_time = time.perf_counter() - t0
    our_ok = check(part)
    cr.commit()
    for key, base_seconds, our_seconds in (
        ("journey", base_time, our_time),
        ("steps", base_steps, our_steps),
    ):
        rates[key][0].append(len(sample) / base_seconds)
        rates[key][1].append(len(part) / our_seconds)
    journey, steps = rates["journey"], rates["steps"]
    print(
        f"round {round_no}: baseline {len(sample)} orders in {base_time:.1f}s = "
        f"{journey[0][-1]:.2f} orders/s ({base_ok} done); ours {len(part)} orders in "
        f"{our_time:.1f}s = {journey[1][-1]:.2f} orders/s ({our_ok} done); "
        f"invoice+post+reconcile alone: baseline {steps[0][-1]:.2f}, "
        f"ours {steps[1][-1]:.2f} orders/s",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--orders", type=int, default=10_000, help="paid quotations")
    parser.add_argument("--history", type=int, default=10_000, help="orders before them")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--baseline-sample",
        type=int,
        default=100,
        help="orders of each chunk the baseline runs on (0: the whole chunk)",
    )
    parser.add_argument("--config", default=str(REPO / "odoo.conf"))
    args = parser.parse_args()

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db, f"--db-filter=^{args.db}$"])
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, CTX)
        rule = setup_rule(env)
        cr.commit()
        started = time.perf_counter()
        orders = build_quotations(env, args.orders, args.history, args.seed)
        if set(orders.mapped("oms_workflow_id")) != {rule}:
            raise SystemExit("error: the paid quotations do not follow the OMS bench rule")
        print(
            f"built {args.history} orders of history and {len(orders)} paid quotations "
            f"in {time.perf_counter() - started:.0f}s",
            flush=True,
        )

        rates = {"journey": ([], []), "steps": ([], [])}  # (baseline, ours) orders/s
        chunk = -(-len(orders) // args.rounds)
        for round_no in range(args.rounds):
            part = orders[round_no * chunk : (round_no + 1) * chunk]
            if not part:
                break
            sample = part[: args.baseline_sample] if args.baseline_sample > 0 else part
            run_round(env, round_no + 1, part, sample, rates)
        (base, our), (base_step, our_step) = (
            [statistics.median(values) for values in rates[key]] for key in ("journey", "steps")
        )
        print(
            f"median orders/s over {len(orders)} orders, {args.rounds} rounds: baseline (buttons, "
            f"one by one, {args.baseline_sample or 'all'} orders sampled per round) {base:.2f}, "
            f"ours (cron, every order) {our:.2f}; invoice+post+reconcile alone: baseline "
            f"{base_step:.2f}, ours {our_step:.2f}"
        )
        print(
            f"ratio ours/baseline: whole journey {our / base:.2f}x faster (ours {our:.2f} "
            f"orders/s, baseline {base:.2f}), invoice+post+reconcile {our_step / base_step:.2f}x "
            f"faster (ours {our_step:.2f} orders/s, baseline {base_step:.2f}; goal 3x), "
            f"{len(orders)} orders"
        )


if __name__ == "__main__":
    main()
