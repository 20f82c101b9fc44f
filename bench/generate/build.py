"""The generation as a whole: master data, planning, ids and names, then every table
family written in batches, the fields of the project's addons left to the ORM, and the
quants."""

import random
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import odoo

from .checks import _expected
from .core import BATCH_ORDERS, NO_MAIL_CTX, REPO, Progress, reserve_ids, reserve_sequence
from .invoices import _assign_invoices, write_invoices
from .master import create_master_data
from .orders import (
    PREPAID,
    plan_orders,
    write_line_costs,
    write_sale_order_lines,
    write_sale_orders,
)
from .payments import _assign_payments, link_payments_to_orders, write_payments
from .stock import _assign_pickings, plan_receipts, write_deliveries, write_quants, write_receipts


def assign_ids_and_names(env, master, orders):
    """Reserve database ids and document numbers for every planned record."""
    cr = env.cr
    order_name = reserve_sequence(
        env["ir.sequence"].search(
            [("code", "=", "sale.order"), ("company_id", "in", (master.company.id, False))], limit=1
        ),
        len(orders),
    )
    for order, order_id in zip(orders, reserve_ids(cr, "sale_order", len(orders)), strict=True):
        order.id = order_id
        order.name = order_name(order.index)
    lines = [line for order in orders for line in order.lines]
    for line, line_id in zip(lines, reserve_ids(cr, "sale_order_line", len(lines)), strict=True):
        line.id = line_id
    _assign_pickings(env, master, orders)
    _assign_invoices(env, master, orders)
    _assign_payments(env, master, orders)


# Payments first: the order's OMS payment status reads them.
WRITTEN_MODELS = (
    "account.payment", "account.move.line", "account.move", "stock.move", "stock.picking",
    "sale.order.line", "sale.order",
)  # fmt: skip


# Odoo modules whose stored computed fields the SQL writers leave to the ORM, less
# the fields ``write_line_costs`` writes as Odoo fixes them when the line is created.
ORM_COMPUTED_MODULES = {"sale_margin", "sale_stock_margin"}


SQL_WRITTEN_FIELDS = {"sale.order.line.purchase_price"}


def _project_computed_fields(model):
    """Stored computed fields unknown to the SQL writers: those of this repository's
    addons and of ``ORM_COMPUTED_MODULES`` (margins, which oms_reports ranks)."""
    project = REPO / "addons"
    result = []
    for field in model._fields.values():
        if not (field.store and field.compute) or str(field) in SQL_WRITTEN_FIELDS:
            continue
        if ORM_COMPUTED_MODULES.intersection(field._modules):
            result.append(field)
            continue
        paths = [odoo.modules.module.get_module_path(m) for m in field._modules]
        if any(path and Path(path).is_relative_to(project) for path in paths):
            result.append(field)
    return result


def recompute_project_fields(env, orders, progress, chunk=5000):
    """Let the ORM fill, set-based, stored computed fields added by the project's addons."""
    env.invalidate_all()
    records = {
        "sale.order": env["sale.order"].browse(o.id for o in orders),
        "account.move": env["account.move"].browse(
            [o.invoice_id for o in orders if o.invoice_id]
            + [o.payment_move_id for o in orders if o.payment_move_id]
        ),
        "account.payment": env["account.payment"].browse(
            o.payment_id for o in orders if o.payment_id
        ),
        "stock.picking": env["stock.picking"].browse(o.picking_id for o in orders if o.picking_id),
    }
    records["sale.order.line"] = records["sale.order"].order_line
    records["stock.move"] = records["stock.picking"].move_ids
    records["account.move.line"] = records["account.move"].line_ids
    for model in WRITTEN_MODELS:
        fields_ = _project_computed_fields(env[model])
        if not fields_:
            continue
        recs = records[model]
        for start in range(0, len(recs), chunk):
            batch = recs[start : start + chunk]
            for field in fields_:
                env.add_to_compute(field, batch)
            env.flush_all()
            env.invalidate_all()
        progress.tick(len(recs), f"{model} records ({', '.join(f.name for f in fields_)})")


def generate(env, orders, seed, progress=print, *, commit=False, now=None, paid_quotations=0):
    """Generate ``orders`` sale orders (and everything around them), then
    ``paid_quotations`` quotations paid in full, not confirmed yet.

    Returns the ``expected`` dict consumed by :func:`check`.  Commits after
    every batch only when ``commit`` is true (CLI); tests keep it false.
    """
    rng = random.Random(seed)
    now = (now or datetime.now()).replace(microsecond=0)
    track = progress if isinstance(progress, Progress) else Progress(progress)
    env = env(context=dict(env.context, **NO_MAIL_CTX))
    uid = env.uid
    master = create_master_data(env, rng, orders, seed, track)
    if commit:
        env.cr.commit()

    track.phase("planning")
    planned = plan_orders(
        rng,
        master,
        orders,
        now,
        paid_quotations=paid_quotations,
        prepaid_rng=random.Random(f"{seed}-{PREPAID}"),
    )
    assign_ids_and_names(env, master, planned)
    env.flush_all()
    track.tick(len(planned))

    track.phase("receipts")
    received, first_in = write_receipts(env, master, plan_receipts(rng, master, planned), uid)
    track.tick(len(received), "products")

    delivered, reserved = defaultdict(float), defaultdict(float)
    track.phase("orders")
    for start in range(0, len(planned), BATCH_ORDERS):
        batch = planned[start : start + BATCH_ORDERS]
        write_sale_orders(env.cr, master, batch, uid)
        write_sale_order_lines(env.cr, master, batch, uid)
        for product_id, qty in write_deliveries(env.cr, master, batch, uid).items():
            reserved[product_id] += qty
        write_invoices(env.cr, master, batch, uid)
        write_payments(env.cr, master, batch, uid)
        for o in batch:
            if o.delivered_at:
                for line in o.storable_lines:
                    delivered[line.product.id] += line.qty
        if commit:
            env.cr.commit()
        track.tick(start + len(batch))

    track.phase("addon fields")
    link_payments_to_orders(env, planned)
    write_line_costs(env, planned)
    recompute_project_fields(env, planned, track)

    track.phase("quants")
    write_quants(
        env,
        master,
        received=received,
        delivered=delivered,
        reserved=reserved,
        first_in=first_in,
        uid=uid,
        now=now,
    )
    env.invalidate_all(flush=False)
    if commit:
        env.cr.commit()
    track.tick(len(received), "products")
    return _expected(master, planned, received, delivered, reserved)
