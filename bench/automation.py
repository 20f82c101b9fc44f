#!/usr/bin/env python3
"""Benchmark: the OMS automation cron against Odoo's standard buttons.

Usage::

    .venv/bin/python bench/automation.py --db oms_bench_auto --orders 10000 --history 10000 \
        --seed 1 --rounds 4 --baseline-sample 100

``bench/generate`` builds the data set: ``--history`` orders of the last two
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

import time
from contextlib import contextmanager
from unittest.mock import patch

import common

from odoo.fields import Command


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
    import generate

    expected = generate.generate(
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
    # as autovacuum does on a production server: without it, the plans of Odoo's queries
    # on the growing tables degrade round after round
    common.analyze(cr, only_without_autovacuum=True)
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
        rates[key]["baseline"].append(len(sample) / base_seconds)
        rates[key]["ours"].append(len(part) / our_seconds)
    journey, steps = rates["journey"], rates["steps"]
    print(
        f"round {round_no}: baseline {len(sample)} orders in {base_time:.1f}s = "
        f"{journey['baseline'][-1]:.2f} orders/s ({base_ok} done); ours {len(part)} orders in "
        f"{our_time:.1f}s = {journey['ours'][-1]:.2f} orders/s ({our_ok} done); "
        f"invoice+post+reconcile alone: baseline {steps['baseline'][-1]:.2f}, "
        f"ours {steps['ours'][-1]:.2f} orders/s",
        flush=True,
    )


def main():
    parser = common.argument_parser(__doc__, orders=10_000, rounds=3, orders_help="paid quotations")
    parser.add_argument("--history", type=int, default=10_000, help="orders before them")
    parser.add_argument(
        "--baseline-sample",
        type=int,
        default=100,
        help="orders of each chunk the baseline runs on (0: the whole chunk)",
    )
    args = parser.parse_args()

    with common.open_env(args, common.NO_MAIL_CTX) as env:
        cr = env.cr
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

        # orders/s of each round
        rates = {key: {"baseline": [], "ours": []} for key in ("journey", "steps")}
        chunk = -(-len(orders) // args.rounds)
        for round_no in range(args.rounds):
            part = orders[round_no * chunk : (round_no + 1) * chunk]
            if not part:
                break
            sample = part[: args.baseline_sample] if args.baseline_sample > 0 else part
            run_round(env, round_no + 1, part, sample, rates)
        journey, steps = common.medians(rates["journey"]), common.medians(rates["steps"])
        base, our = journey["baseline"], journey["ours"]
        base_step, our_step = steps["baseline"], steps["ours"]
        print(
            f"median orders/s over {len(orders)} orders, {args.rounds} rounds: baseline (buttons, "
            f"one by one, {args.baseline_sample or 'all'} orders sampled per round) {base:.2f}, "
            f"ours (cron, every order) {our:.2f}; invoice+post+reconcile alone: baseline "
            f"{base_step:.2f}, ours {our_step:.2f}"
        )
        common.print_ratio(
            "baseline",
            f"whole journey {our / base:.2f}x faster (ours {our:.2f} orders/s, baseline "
            f"{base:.2f}), invoice+post+reconcile {our_step / base_step:.2f}x faster (ours "
            f"{our_step:.2f} orders/s, baseline {base_step:.2f}; goal 3x), {len(orders)} orders",
        )


if __name__ == "__main__":
    main()
