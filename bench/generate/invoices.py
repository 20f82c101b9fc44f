"""Customer invoices: numbering, journal items (product, tax, receivable) and their
links to the order lines."""

from datetime import datetime
from datetime import time as dtime

from odoo.tools import SQL

from .core import copy_rows, reserve_ids


def _account_move_namer(env, journal, prefix_code):
    """Return ``name(year) -> (name, prefix, number)`` continuing existing numbering."""
    env.cr.execute(
        SQL(
            "SELECT sequence_prefix, MAX(sequence_number) FROM account_move"
            " WHERE journal_id = %s GROUP BY sequence_prefix",
            journal.id,
        )
    )
    last = dict(env.cr.fetchall())

    def name(year):
        prefix = f"{prefix_code}/{year}/"
        last[prefix] = number = last.get(prefix, 0) + 1
        return f"{prefix}{number:05d}", prefix, number

    return name


def _assign_invoices(env, master, orders):
    cr = env.cr
    invoiced = sorted(
        (o for o in orders if o.invoice_date), key=lambda o: (o.invoice_date, o.index)
    )
    namer = _account_move_namer(env, master.sale_journal, master.sale_journal.code)
    for order, move_id in zip(
        invoiced, reserve_ids(cr, "account_move", len(invoiced)), strict=True
    ):
        order.invoice_id = move_id
        order.invoice_name = namer(order.invoice_date.year)
    lines = [line for o in invoiced for line in o.lines]
    for line, aml_id in zip(lines, reserve_ids(cr, "account_move_line", len(lines)), strict=True):
        line.aml_id = aml_id
    paid = [o for o in invoiced if o.paid_date]
    for order, full_id in zip(
        paid, reserve_ids(cr, "account_full_reconcile", len(paid)), strict=True
    ):
        order.full_reconcile_id = full_id


def _invoice_lines(master, o):
    """Journal items of one customer invoice (product, tax, receivable)."""
    c = o.customer
    partner = c.commercial_id
    rows = []
    for seq, line in enumerate(o.lines):
        p = line.product
        rows.append(
            (
                line.aml_id,
                master.income_account[(p.id, c.fpos_id)],
                seq,
                "product",
                p.name,
                p.id,
                p.uom_id,
                0.0,
                line.subtotal,
                -line.subtotal,
                -line.subtotal,
                0.0,
                line.qty,
                line.price,
                line.subtotal,
                line.total,
                line.discount,
                None,
                None,
                None,
                None,
                None,
                False,
                None,
                None,
                None,
                partner,
            )
        )
    if o.amount_tax:
        tax = master.taxes[c.tax_id]
        rows.append(
            (
                None,
                tax["account_id"],
                10000,
                "tax",
                tax["name"],
                None,
                None,
                0.0,
                o.amount_tax,
                -o.amount_tax,
                -o.amount_tax,
                0.0,
                0.0,
                0.0,
                0.0,
                0.0,
                0.0,
                c.tax_id,
                tax["group_id"],
                tax["rep_line_id"],
                -o.amount_untaxed,
                None,
                False,
                None,
                None,
                None,
                partner,
            )
        )
    paid = o.paid_date is not None
    residual = 0.0 if paid else o.amount_total
    rows.append(
        (
            None,
            master.receivable_account_id,
            12000,
            "payment_term",
            f"{o.name} - {o.invoice_name[0]}",
            None,
            None,
            o.amount_total,
            0.0,
            o.amount_total,
            o.amount_total,
            residual,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            None,
            None,
            None,
            None,
            o.invoice_date,
            paid,
            o.full_reconcile_id or None,
            str(o.full_reconcile_id) if paid else None,
            0.0,
            partner,
        )
    )
    return rows


AML_VAR_COLUMNS = (
    "id",
    "account_id",
    "sequence",
    "display_type",
    "name",
    "product_id",
    "product_uom_id",
    "debit",
    "credit",
    "balance",
    "amount_currency",
    "amount_residual",
    "quantity",
    "price_unit",
    "price_subtotal",
    "price_total",
    "discount",
    "tax_line_id",
    "tax_group_id",
    "tax_repartition_line_id",
    "tax_base_amount",
    "date_maturity",
    "reconciled",
    "full_reconcile_id",
    "matching_number",
    "discount_amount_currency",
    "partner_id",
    "move_id",
    "move_name",
    "ref",
    "date",
    "invoice_date",
    "amount_residual_currency",
    "payment_id",
    "create_date",
    "write_date",
)


def _aml_constants(master, journal, uid):
    return {
        "journal_id": journal.id,
        "company_id": master.company.id,
        "company_currency_id": master.currency_id,
        "currency_id": master.currency_id,
        "parent_state": "posted",
        "is_storno": False,
        "no_followup": False,
        "deductible_amount": 100.0,
        "create_uid": uid,
        "write_uid": uid,
    }


def write_invoices(cr, master, orders, uid):
    invoiced = [o for o in orders if o.invoice_id]
    moves, amls, tax_rel, sol_rel, fulls = [], [], [], [], []
    extra_ids = iter(
        reserve_ids(cr, "account_move_line", sum(2 if o.amount_tax else 1 for o in invoiced))
    )
    for o in invoiced:
        c = o.customer
        name, prefix, number = o.invoice_name
        residual = 0.0 if o.paid_date else o.amount_total
        ts = datetime.combine(o.invoice_date, dtime(12))
        moves.append(
            (
                o.invoice_id,
                number,
                prefix,
                name,
                c.commercial_id,
                c.commercial_id,
                c.id,
                c.fpos_id,
                o.user_id,
                o.name,
                name,
                "paid" if o.paid_date else "not_paid",
                c.commercial_name,
                o.name,
                o.invoice_date,
                o.invoice_date,
                o.invoice_date,
                o.delivered_at.date() if o.delivered_at else None,
                1.0,
                o.amount_untaxed,
                o.amount_tax,
                o.amount_total,
                residual,
                o.amount_untaxed,
                o.amount_untaxed,
                o.amount_tax,
                o.amount_total,
                o.amount_total,
                residual,
                False,
                o.team_id,
                o.source_id,
                o.medium_id,
                master.campaign_id,
                None,
                ts,
                ts,
            )
        )
        for row in _invoice_lines(master, o):
            aml_id = row[0] or next(extra_ids)
            amls.append(
                (
                    aml_id,
                    *row[1:],
                    o.invoice_id,
                    name,
                    o.name,
                    o.invoice_date,
                    o.invoice_date,
                    row[11],
                    None,
                    ts,
                    ts,
                )
            )
            if row[3] == "product":
                tax_rel.append((aml_id, c.tax_id))
            elif row[3] == "payment_term":
                o.receivable_line_id = aml_id
        sol_rel.extend((line.aml_id, line.id) for line in o.lines)
        if o.paid_date:
            fulls.append((o.full_reconcile_id, ts, ts))
    _copy_moves(cr, master, master.sale_journal, "out_invoice", moves, uid=uid)
    copy_rows(
        cr,
        "account_full_reconcile",
        ("id", "create_date", "write_date"),
        fulls,
        {"create_uid": uid, "write_uid": uid},
    )
    copy_rows(
        cr,
        "account_move_line",
        AML_VAR_COLUMNS,
        amls,
        _aml_constants(master, master.sale_journal, uid),
    )
    copy_rows(
        cr, "account_move_line_account_tax_rel", ("account_move_line_id", "account_tax_id"), tax_rel
    )
    copy_rows(cr, "sale_order_line_invoice_rel", ("invoice_line_id", "order_line_id"), sol_rel)


MOVE_VAR_COLUMNS = (
    "id",
    "sequence_number",
    "sequence_prefix",
    "name",
    "partner_id",
    "commercial_partner_id",
    "partner_shipping_id",
    "fiscal_position_id",
    "invoice_user_id",
    "ref",
    "payment_reference",
    "payment_state",
    "invoice_partner_display_name",
    "invoice_origin",
    "date",
    "invoice_date",
    "invoice_date_due",
    "delivery_date",
    "invoice_currency_rate",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "amount_residual",
    "amount_untaxed_signed",
    "amount_untaxed_in_currency_signed",
    "amount_tax_signed",
    "amount_total_signed",
    "amount_total_in_currency_signed",
    "amount_residual_signed",
    "always_tax_exigible",
    "team_id",
    "source_id",
    "medium_id",
    "campaign_id",
    "origin_payment_id",
    "create_date",
    "write_date",
)


def _copy_moves(cr, master, journal, move_type, rows, *, uid):
    copy_rows(
        cr,
        "account_move",
        MOVE_VAR_COLUMNS,
        rows,
        {
            "journal_id": journal.id,
            "company_id": master.company.id,
            "currency_id": master.currency_id,
            "state": "posted",
            "move_type": move_type,
            "auto_post": "no",
            "checked": True,
            "posted_before": True,
            "made_sequence_gap": False,
            "is_manually_modified": False,
            "create_uid": uid,
            "write_uid": uid,
        },
    )
