#!/usr/bin/env python3
"""Benchmark: the OMS automation cron against Odoo's standard buttons.

Usage::

    .venv/bin/python bench/automation.py --db oms_i3_bench --orders 10000 --seed 1 --rounds 3

Builds ``--orders`` paid quotations (seeded: customers, products, lines and one
posted bank payment per order, linked to the order), then splits them in
``--rounds`` chunks. For each chunk, alternately:

* baseline: every order one by one as a user clicks it: *Confirm*, *Create
  Invoice* (``sale.advance.payment.inv``), *Confirm* on the invoice (the payment
  is reconciled when the invoice is posted); run in a savepoint, timed, rolled back;
* ours: the cron ``sale.order._cron_oms_apply_automation`` on the same orders
  (confirm when paid, invoice at confirmation, post, reconcile), committed.

Prints orders/s of both per round, the medians, and the ratio ours/baseline
(speed-up) on the last line. ``bench/generate.py`` writes delivered/invoiced
history, not paid quotations, so the quotations are built here through the ORM.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

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
BATCH = 500


def setup_company(env):
    company = env.company
    if not company.chart_template:
        env["account.chart.template"].try_loading("generic_coa", company=company)
    team = env["crm.team"].search([("name", "=", "OMS bench")], limit=1) or env["crm.team"].create(
        {"name": "OMS bench"}
    )
    rule = env["oms.workflow"].search([("name", "=", "OMS bench")], limit=1)
    values = {
        "name": "OMS bench",
        "sequence": 0,
        "team_ids": [Command.set(team.ids)],
        "confirm_policy": "paid",
        "invoice_policy": "confirm",
        "post_invoice": True,
        "reconcile_payments": True,
        "validate_delivery": False,
        "send_confirmation_mail": False,
    }
    if rule:
        rule.write(values)
    else:
        rule = env["oms.workflow"].create(values)
    return company, team, rule


def build_quotations(env, n_orders, seed, team):
    """``n_orders`` quotations of 1-4 lines, each paid in full by a posted payment."""
    rng = random.Random(seed)
    tag = f"bench-{seed}-{int(time.time())}"
    products = env["product.product"].create(
        [
            {
                "name": f"{tag} product {i}",
                "type": "service" if i % 5 else "consu",
                "list_price": rng.choice((9.9, 19.0, 25.5, 49.0, 120.0)),
                "invoice_policy": "order",
                "taxes_id": [],
            }
            for i in range(40)
        ]
    )
    customers = env["res.partner"].create([{"name": f"{tag} customer {i}"} for i in range(300)])
    journal = env["account.journal"].search(
        [("company_id", "=", env.company.id), ("type", "=", "bank")], limit=1
    )
    orders = env["sale.order"]
    for start in range(0, n_orders, BATCH):
        size = min(BATCH, n_orders - start)
        batch = env["sale.order"].create(
            [
                {
                    "partner_id": rng.choice(customers).id,
                    "team_id": team.id,
                    "oms_payment_method": "bank_transfer",
                    "order_line": [
                        Command.create(
                            {
                                "product_id": rng.choice(products).id,
                                "product_uom_qty": rng.randint(1, 5),
                            }
                        )
                        for _line in range(rng.randint(1, 4))
                    ],
                }
                for _order in range(size)
            ]
        )
        payments = env["account.payment"].create(
            [
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": order.partner_id.id,
                    "amount": order.amount_total,
                    "journal_id": journal.id,
                    "memo": order.name,
                    "oms_sale_order_id": order.id,
                    "oms_method": "bank_transfer",
                }
                for order in batch
            ]
        )
        payments.action_post()
        env.cr.commit()
        orders |= batch
        print(f"  built {len(orders)}/{n_orders} paid quotations", flush=True)
    return orders


def baseline(env, orders):
    """One order at a time, through the buttons a user clicks."""
    for order in orders:
        order.action_confirm()
        wizard = (
            env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids, active_id=order.id)
            .create({"advance_payment_method": "delivered"})
        )
        wizard.create_invoices()
        order.invoice_ids.filtered(lambda m: m.state == "draft").action_post()
    env.flush_all()


def ours(env, orders):
    env.cr.execute("UPDATE sale_order SET oms_needs_automation = false WHERE oms_needs_automation")
    env.cr.execute(
        "UPDATE sale_order SET oms_needs_automation = true WHERE id = ANY(%s)", [orders.ids]
    )
    env.invalidate_all()
    env["sale.order"]._cron_oms_apply_automation()
    env.flush_all()


def check(orders):
    orders.invalidate_recordset()
    done = orders.filtered(
        lambda o: (
            o.state == "sale"
            and o.invoice_ids.state == "posted"
            and o.invoice_ids.payment_state in ("paid", "in_payment")
        )
    )
    return len(done)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--config", default=str(REPO / "odoo.conf"))
    args = parser.parse_args()

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db, f"--db-filter=^{args.db}$"])
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, CTX)
        _company, team, _rule = setup_company(env)
        cr.commit()
        started = time.perf_counter()
        orders = build_quotations(env, args.orders, args.seed, team)
        print(f"built {len(orders)} paid quotations in {time.perf_counter() - started:.0f}s")

        chunk = -(-len(orders) // args.rounds)
        base_rates, our_rates = [], []
        for round_no in range(args.rounds):
            part = orders[round_no * chunk : (round_no + 1) * chunk]
            if not part:
                break
            # Baseline in a savepoint, rolled back so ours runs on the same orders.
            cr.execute("SAVEPOINT bench_baseline")
            t0 = time.perf_counter()
            baseline(env, part)
            base_time = time.perf_counter() - t0
            base_ok = check(part)
            env.invalidate_all(flush=False)
            cr.execute("ROLLBACK TO SAVEPOINT bench_baseline")
            env.invalidate_all(flush=False)

            t0 = time.perf_counter()
            ours(env, part)
            our_time = time.perf_counter() - t0
            our_ok = check(part)
            cr.commit()
            base_rates.append(len(part) / base_time)
            our_rates.append(len(part) / our_time)
            print(
                f"round {round_no + 1}: {len(part)} orders; baseline {base_rates[-1]:.1f} orders/s "
                f"({base_ok} done); ours {our_rates[-1]:.1f} orders/s ({our_ok} done)",
                flush=True,
            )
        base, our = statistics.median(base_rates), statistics.median(our_rates)
        print(f"median orders/s: baseline (buttons, one by one) {base:.1f}, ours (cron) {our:.1f}")
        print(f"ratio ours/baseline: {our / base:.2f}x faster")


if __name__ == "__main__":
    main()
