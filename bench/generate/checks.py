"""The self-check: what was written, read back through the ORM (totals, paid quotations,
stock), and a sample of stored fields recomputed by the ORM and compared."""

from collections import defaultdict

from .core import CheckError, money
from .orders import PREPAID


def _expected(master, orders, received, delivered, reserved):
    by_state = defaultdict(lambda: [0, 0.0, 0.0])
    for o in orders:
        acc = by_state[o.state]
        acc[0] += 1
        acc[1] += o.amount_total
        acc[2] += o.amount_untaxed
    invoices = [o for o in orders if o.invoice_id]
    return {
        "campaign_id": master.campaign_id,
        "order_ids": [o.id for o in orders],
        "orders_by_state": {k: (v[0], money(v[1]), money(v[2])) for k, v in by_state.items()},
        "buckets": sorted({o.bucket for o in orders}),
        "report_qty": sum(line.qty for o in orders for line in o.lines),
        "report_total": money(sum(line.total for o in orders for line in o.lines)),
        "report_untaxed": money(sum(o.amount_untaxed for o in orders)),
        "report_lines": sum(len(o.lines) for o in orders),
        "invoice_ids": [o.invoice_id for o in invoices],
        "invoice_total": money(sum(o.amount_total for o in invoices)),
        "invoice_residual": money(sum(o.amount_total for o in invoices if not o.paid_date)),
        "paid_invoice_ids": [o.invoice_id for o in invoices if o.paid_date],
        "payment_ids": [o.payment_id for o in orders if o.payment_id],
        "payment_total": money(sum(o.amount_total for o in orders if o.payment_id)),
        "paid_quotation_ids": [o.id for o in orders if o.bucket == PREPAID],
        "paid_quotation_payment_ids": [o.payment_id for o in orders if o.bucket == PREPAID],
        "stock": {pid: received[pid] - delivered.get(pid, 0.0) for pid in received},
        "reserved": dict(reserved),
        "stock_location_id": master.locations["stock"],
        "sample": _sample(orders),
    }


def _sample(orders, per_bucket=6):
    seen = defaultdict(list)
    for o in orders:
        if len(seen[o.bucket]) < per_bucket:
            seen[o.bucket].append(o.id)
    return dict(seen)


RECOMPUTED_FIELDS = {
    "sale.order": (
        "amount_untaxed",
        "amount_tax",
        "amount_total",
        "invoice_status",
        "delivery_status",
    ),
    "sale.order.line": (
        "price_subtotal",
        "price_tax",
        "price_total",
        "price_reduce_taxexcl",
        "price_reduce_taxinc",
        "qty_delivered",
        "qty_invoiced",
        "qty_to_invoice",
        "invoice_status",
        "untaxed_amount_invoiced",
        "untaxed_amount_to_invoice",
    ),
    "account.move": (
        "amount_untaxed",
        "amount_tax",
        "amount_total",
        "amount_residual",
        "amount_residual_signed",
        "amount_total_signed",
        "payment_state",
    ),
    "account.move.line": (
        "amount_residual",
        "amount_residual_currency",
        "reconciled",
        "price_subtotal",
        "price_total",
    ),
    "account.payment": ("is_reconciled", "is_matched", "state"),
    "stock.picking": ("state",),
}


def _close(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return abs((a or 0.0) - (b or 0.0)) < 0.005
    return a == b


def _check_totals(env, expected, errors, report):
    SaleOrder = env["sale.order"]
    order_domain = [("id", "in", expected["order_ids"])]
    for state, count, total, untaxed in SaleOrder._read_group(
        order_domain, ["state"], ["__count", "amount_total:sum", "amount_untaxed:sum"]
    ):
        want = expected["orders_by_state"].get(state, (0, 0.0, 0.0))
        report.append(
            f"sale.order {state:<7} {count:>8} orders"
            f"  total {total:>16,.2f}  untaxed {untaxed:>16,.2f}"
        )
        if (count, money(total), money(untaxed)) != want:
            errors.append(
                f"sale.order state {state}: read {(count, total, untaxed)} expected {want}"
            )
    [(qty, total, untaxed)] = env["sale.report"]._read_group(
        [("campaign_id", "=", expected["campaign_id"])],
        [],
        ["product_uom_qty:sum", "price_total:sum", "price_subtotal:sum"],
    )
    report.append(f"sale.report qty {qty:,.0f} total {total:,.2f} untaxed {untaxed:,.2f}")
    got = (qty, money(total), money(untaxed))
    want = (expected["report_qty"], expected["report_total"], expected["report_untaxed"])
    if got != want:
        errors.append(f"sale.report sums {got} expected {want}")
    [(so_total, so_untaxed)] = SaleOrder._read_group(
        order_domain, [], ["amount_total:sum", "amount_untaxed:sum"]
    )
    # line totals round their own tax: with 'round_globally' the order total may
    # differ from the sum of its lines by a cent per line at most
    if not _close(so_untaxed, untaxed) or abs(so_total - total) > 0.01 * expected["report_lines"]:
        errors.append(f"sale.report {(total, untaxed)} != sale.order {(so_total, so_untaxed)}")

    [(count, inv_total, inv_residual)] = env["account.move"]._read_group(
        [("id", "in", expected["invoice_ids"])],
        [],
        ["__count", "amount_total:sum", "amount_residual:sum"],
    )
    report.append(f"invoices {count:,} total {inv_total:,.2f} residual {inv_residual:,.2f}")
    if (count, money(inv_total), money(inv_residual)) != (
        len(expected["invoice_ids"]),
        expected["invoice_total"],
        expected["invoice_residual"],
    ):
        errors.append("invoice totals/residuals differ from what was written")
    paid_states = dict(
        env["account.move"]._read_group(
            [("id", "in", expected["paid_invoice_ids"])], ["payment_state"], ["__count"]
        )
    )
    if set(paid_states) - {"paid", "in_payment"}:
        errors.append(f"paid invoices with payment states {paid_states}")
    [(count, pay_total)] = env["account.payment"]._read_group(
        [("id", "in", expected["payment_ids"]), ("state", "in", ("paid", "in_process"))],
        [],
        ["__count", "amount:sum"],
    )
    report.append(f"payments {count:,} total {pay_total:,.2f}")
    if (count, money(pay_total)) != (len(expected["payment_ids"]), expected["payment_total"]):
        errors.append("payment totals differ from what was written")
    [(debit, credit)] = env["account.move.line"]._read_group(
        [("move_id", "in", expected["invoice_ids"] + [])], [], ["debit:sum", "credit:sum"]
    )
    if not _close(debit, credit):
        errors.append(f"invoice journal items unbalanced: debit {debit} credit {credit}")


def _check_paid_quotations(env, expected, errors, report):
    """Paid quotations: drafts with one open payment each, read as paid by oms_extended."""
    ids, payment_ids = expected["paid_quotation_ids"], expected["paid_quotation_payment_ids"]
    if not ids:
        return
    [(open_count,)] = env["account.payment"]._read_group(
        [
            ("id", "in", payment_ids),
            ("state", "=", "in_process"),
            ("is_reconciled", "=", False),
        ],
        [],
        ["__count"],
    )
    oms = "oms_payment_state" in env["sale.order"]._fields
    groupby = ["state", "oms_payment_state", "oms_needs_automation"] if oms else ["state"]
    groups = env["sale.order"]._read_group([("id", "in", ids)], groupby, ["__count"])
    report.append(f"paid quotations {len(ids):,}, open payments {open_count:,}: {groups}")
    # handed over to the automation when an active rule applies to them
    flagged = oms and bool(env["sale.order"].browse(ids[:1]).oms_workflow_id)
    want = [("draft", "paid", flagged, len(ids))] if oms else [("draft", len(ids))]
    if open_count != len(ids) or groups != want:
        errors.append(f"paid quotations: {groups} with {open_count} open payments")


def _check_stock(env, expected, errors, report):
    stock = expected["stock"]
    rows = env["stock.quant"]._read_group(
        [("location_id", "=", expected["stock_location_id"]), ("product_id", "in", list(stock))],
        ["product_id"],
        ["quantity:sum", "reserved_quantity:sum"],
    )
    got = {product.id: (qty, res) for product, qty, res in rows}
    bad = [
        pid
        for pid, qty in stock.items()
        if not _close(got.get(pid, (0.0, 0.0))[0], qty)
        or not _close(got.get(pid, (0.0, 0.0))[1], expected["reserved"].get(pid, 0.0))
    ]
    report.append(
        f"stock.quant {len(got)} products on hand {sum(q for q, _r in got.values()):,.0f} units"
    )
    if bad:
        errors.append(
            f"stock.quant quantities differ for {len(bad)} products, e.g. product {bad[0]}"
        )
    products = env["product.product"].browse(list(stock)[:20])
    for product in products:
        if not _close(product.qty_available, stock[product.id]):
            errors.append(
                f"product {product.id} qty_available {product.qty_available} != {stock[product.id]}"
            )


def _records_to_recompute(env, expected):
    order_ids = [oid for ids in expected["sample"].values() for oid in ids]
    orders = env["sale.order"].browse(order_ids)
    invoices = orders.order_line.invoice_lines.move_id
    payments = env["account.payment"].search(
        ["|", ("invoice_ids", "in", invoices.ids), ("memo", "in", orders.mapped("name"))]
    )
    return {
        "sale.order": orders,
        "sale.order.line": orders.order_line,
        "account.move": invoices | payments.move_id,
        "account.move.line": (invoices | payments.move_id).line_ids,
        "account.payment": payments,
        "stock.picking": orders.picking_ids,
    }


def _check_recompute(env, expected, errors, report):
    """Let the ORM recompute stored fields of a sample and compare (rolled back)."""
    env.flush_all()
    env.invalidate_all()
    records = _records_to_recompute(env, expected)
    stored = {
        model: {rec.id: [rec[f] for f in RECOMPUTED_FIELDS[model]] for rec in recs}
        for model, recs in records.items()
    }
    env.cr.execute("SAVEPOINT bench_recompute")
    try:
        env.invalidate_all()
        for model, recs in records.items():
            for fname in RECOMPUTED_FIELDS[model]:
                env.add_to_compute(recs._fields[fname], recs)
        mismatches = []
        for model, recs in records.items():
            for rec in recs:
                for fname, old in zip(RECOMPUTED_FIELDS[model], stored[model][rec.id], strict=True):
                    new = rec[fname]
                    if not _close(old, new):
                        mismatches.append(
                            f"{model}({rec.id}).{fname}: stored {old!r} recomputed {new!r}"
                        )
    finally:
        env.clear()
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_recompute")
    count = sum(len(r) for r in records.values())
    report.append(f"ORM recompute of {count} sampled records: {len(mismatches)} mismatches")
    errors.extend(mismatches[:20])


def check(env, expected, out=print):
    """Read back through the ORM what ``generate`` wrote; raise CheckError on mismatch."""
    env.invalidate_all()
    errors, report = [], []
    _check_totals(env, expected, errors, report)
    _check_paid_quotations(env, expected, errors, report)
    _check_stock(env, expected, errors, report)
    _check_recompute(env, expected, errors, report)
    for line in report:
        out(f"[check] {line}")
    if errors:
        raise CheckError("self-check failed:\n  " + "\n  ".join(errors))
    out("[check] OK")
    return report
