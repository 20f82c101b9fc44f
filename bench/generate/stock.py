"""Stock: the deliveries of confirmed orders, the monthly receipts from vendors that
cover them, and the quants they leave."""

from collections import defaultdict
from datetime import datetime
from datetime import time as dtime

from .core import _audit, copy_rows, money, reserve_ids, reserve_sequence


def _assign_pickings(env, master, orders):
    cr = env.cr
    shipped = [o for o in orders if o.state == "sale" and o.storable_lines]
    picking_name = reserve_sequence(master.out_type.sequence_id, len(shipped))
    shipped.sort(key=lambda o: o.date_order)
    for i, (order, picking_id) in enumerate(
        zip(shipped, reserve_ids(cr, "stock_picking", len(shipped)), strict=True)
    ):
        order.picking_id = picking_id
        order.picking_name = picking_name(i)
    moved = [line for o in shipped for line in o.storable_lines]
    for line, move_id in zip(moved, reserve_ids(cr, "stock_move", len(moved)), strict=True):
        line.move_id = move_id


def _flow_defaults(master, src, dest, picking_type, uid):
    """The constant columns of the pickings, moves and move lines of one flow (from ``src``
    to ``dest``): what deliveries and receipts share, completed by each."""
    place = {"company_id": master.company.id, "location_id": src, "location_dest_id": dest}
    audit = {"create_uid": uid, "write_uid": uid}
    picking = {
        **place,
        "picking_type_id": picking_type.id,
        "move_type": "direct",
        "priority": "0",
        "shipping_weight": 0.0,
        "weight": 0.0,
        "has_deadline_issue": False,
        "is_locked": True,
        **audit,
    }
    move = {
        **place,
        "sequence": 10,
        "picking_type_id": picking_type.id,
        "priority": "0",
        "procure_method": "make_to_stock",
        "additional": False,
        "to_refund": True,
        "is_dropship": False,
        "weight": 0.0,
        **audit,
    }
    return picking, move, {**place, **audit}


def write_deliveries(cr, master, orders, uid):
    """Outgoing pickings, moves and move lines; returns reserved qty per product."""
    loc_stock, loc_customer = master.locations["stock"], master.locations["customer"]
    pickings, moves, move_lines = [], [], []
    reserved = defaultdict(float)
    for o in orders:
        if not o.picking_id:
            continue
        done = o.delivered_at is not None
        when = o.delivered_at or o.date_order
        state = "done" if done else "assigned"
        pickings.append(
            (
                o.picking_id,
                o.picking_name,
                o.name,
                o.customer.id,
                state,
                o.date_order,
                o.date_order,
                o.delivered_at,
                o.id,
                o.date_order,
                when,
            )
        )
        for line in o.storable_lines:
            p = line.product
            value = money(line.qty * p.cost) if done else None
            moves.append(
                (
                    line.move_id,
                    p.id,
                    p.uom_id,
                    o.customer.id,
                    o.picking_id,
                    state,
                    o.name,
                    o.picking_name,
                    o.date_order.date(),
                    line.qty,
                    line.qty,
                    line.qty,
                    done,
                    when,
                    o.date_order,
                    line.qty,
                    value,
                    done,
                    line.id,
                    p.uom_id,
                    o.date_order,
                    when,
                )
            )
            move_lines.append(
                (
                    o.picking_id,
                    line.move_id,
                    p.id,
                    p.uom_id,
                    state,
                    line.qty,
                    line.qty,
                    done,
                    when,
                    o.date_order,
                    when,
                )
            )
            if not done:
                reserved[p.id] += line.qty
    picking_defaults, move_defaults, line_defaults = _flow_defaults(
        master, loc_stock, loc_customer, master.out_type, uid
    )
    copy_rows(
        cr,
        "stock_picking",
        (
            "id",
            "name",
            "origin",
            "partner_id",
            "state",
            "scheduled_date",
            "date_deadline",
            "date_done",
            "sale_id",
            "create_date",
            "write_date",
        ),
        pickings,
        picking_defaults,
    )
    copy_rows(
        cr,
        "stock_move",
        (
            "id",
            "product_id",
            "product_uom",
            "partner_id",
            "picking_id",
            "state",
            "origin",
            "reference",
            "reservation_date",
            "product_qty",
            "product_uom_qty",
            "quantity",
            "picked",
            "date",
            "date_deadline",
            "packaging_uom_qty",
            "value",
            "is_out",
            "sale_line_id",
            "packaging_uom_id",
            "create_date",
            "write_date",
        ),
        moves,
        {
            **move_defaults,
            "location_final_id": loc_customer,
            "rule_id": master.out_rule_id,
            "warehouse_id": master.warehouse.id,
            "propagate_cancel": False,
            "is_in": False,
        },
    )
    copy_rows(
        cr,
        "stock_move_line",
        (
            "picking_id",
            "move_id",
            "product_id",
            "product_uom_id",
            "state",
            "quantity",
            "quantity_product_uom",
            "picked",
            "date",
            "create_date",
            "write_date",
        ),
        move_lines,
        line_defaults,
    )
    return reserved


def plan_receipts(rng, master, orders):
    """Monthly receipts per vendor covering every delivery and reservation."""
    need = defaultdict(float)  # (vendor, month, product) -> qty
    first_month = {}
    for o in orders:
        if not o.picking_id:
            continue
        month = o.date_order.date().replace(day=1)
        for line in o.storable_lines:
            p = line.product
            need[(p.vendor_id, month, p.id)] += line.qty
            first_month[p.id] = min(first_month.get(p.id, month), month)
    for (vendor, month, product_id), _qty in list(need.items()):
        if first_month.get(product_id) == month:
            need[(vendor, month, product_id)] += rng.randint(10, 60)  # safety stock
            first_month[product_id] = None
    receipts = defaultdict(list)
    for (vendor, month, product_id), qty in sorted(
        need.items(), key=lambda kv: (kv[0][1], kv[0][0] or 0, kv[0][2])
    ):
        receipts[(month, vendor)].append((product_id, qty))
    return receipts


def write_receipts(env, master, receipts, uid):
    """Done incoming pickings; returns received qty per product and first date."""
    cr = env.cr
    loc_supplier, loc_stock = master.locations["supplier"], master.locations["stock"]
    products = {p.id: p for p in master.products}
    keys = sorted(receipts, key=lambda k: (k[0], k[1] or 0))
    picking_name = reserve_sequence(master.in_type.sequence_id, len(keys))
    picking_ids = reserve_ids(cr, "stock_picking", len(keys))
    move_ids = iter(reserve_ids(cr, "stock_move", sum(len(v) for v in receipts.values())))
    pickings, moves, move_lines = [], [], []
    received, first_in = defaultdict(float), {}
    for i, (key, picking_id) in enumerate(zip(keys, picking_ids, strict=True)):
        month, vendor = key
        when = datetime.combine(month, dtime(6))
        name = picking_name(i)
        pickings.append((picking_id, name, vendor, when, when, when, when))
        for product_id, qty in receipts[key]:
            p = products[product_id]
            move_id = next(move_ids)
            moves.append(
                (
                    move_id,
                    p.id,
                    p.uom_id,
                    vendor,
                    picking_id,
                    name,
                    month,
                    qty,
                    qty,
                    qty,
                    when,
                    qty,
                    money(qty * p.cost),
                    p.uom_id,
                    when,
                    when,
                )
            )
            move_lines.append((picking_id, move_id, p.id, p.uom_id, qty, qty, when, when, when))
            received[p.id] += qty
            first_in.setdefault(p.id, when)
    picking_defaults, move_defaults, line_defaults = _flow_defaults(
        master, loc_supplier, loc_stock, master.in_type, uid
    )
    copy_rows(
        cr,
        "stock_picking",
        ("id", "name", "partner_id", "scheduled_date", "date_done", "create_date", "write_date"),
        pickings,
        {**picking_defaults, "user_id": uid, "state": "done"},
    )
    copy_rows(
        cr,
        "stock_move",
        (
            "id",
            "product_id",
            "product_uom",
            "partner_id",
            "picking_id",
            "reference",
            "reservation_date",
            "product_qty",
            "product_uom_qty",
            "quantity",
            "date",
            "packaging_uom_qty",
            "value",
            "packaging_uom_id",
            "create_date",
            "write_date",
        ),
        moves,
        {
            **move_defaults,
            "state": "done",
            "picked": True,
            "propagate_cancel": True,
            "is_in": True,
            "is_out": False,
        },
    )
    copy_rows(
        cr,
        "stock_move_line",
        (
            "picking_id",
            "move_id",
            "product_id",
            "product_uom_id",
            "quantity",
            "quantity_product_uom",
            "date",
            "create_date",
            "write_date",
        ),
        move_lines,
        {**line_defaults, "state": "done", "picked": True},
    )
    return received, first_in


def write_quants(env, master, *, received, delivered, reserved, first_in, uid, now):
    """One quant per product in stock, supplier and customer locations."""
    stock_location = env["stock.location"].browse(master.locations["stock"])
    inventory_date = stock_location._get_next_inventory_date()
    rows = []
    for product_id, qty_in in received.items():
        qty_out = delivered.get(product_id, 0.0)
        in_date = first_in[product_id]
        rows.append(
            (
                product_id,
                master.company.id,
                master.locations["stock"],
                inventory_date,
                qty_in - qty_out,
                reserved.get(product_id, 0.0),
                in_date,
            )
        )
        rows.append((product_id, None, master.locations["supplier"], None, -qty_in, 0.0, in_date))
        if qty_out:
            rows.append(
                (product_id, None, master.locations["customer"], None, qty_out, 0.0, in_date)
            )
    copy_rows(
        env.cr,
        "stock_quant",
        (
            "product_id",
            "company_id",
            "location_id",
            "inventory_date",
            "quantity",
            "reserved_quantity",
            "in_date",
        ),
        rows,
        {"inventory_diff_quantity": 0.0, "inventory_quantity_set": False, **_audit(uid, now)},
    )
