"""Payments: posted bank payments, reconciled with their invoice or left open (paid
quotations), and their link to the order when oms_extended is installed."""

from datetime import datetime
from datetime import time as dtime

from odoo.tools import SQL

from .core import copy_rows, reserve_ids
from .invoices import AML_VAR_COLUMNS, _account_move_namer, _aml_constants, _copy_moves
from .orders import PREPAID


def _assign_payments(env, master, orders):
    cr = env.cr
    paid = sorted((o for o in orders if o.paid_date), key=lambda o: (o.paid_date, o.index))
    namer = _account_move_namer(env, master.bank_journal, f"P{master.bank_journal.code}")
    move_ids = reserve_ids(cr, "account_move", len(paid))
    payment_ids = reserve_ids(cr, "account_payment", len(paid))
    for order, move_id, payment_id in zip(paid, move_ids, payment_ids, strict=True):
        order.payment_move_id = move_id
        order.payment_id = payment_id
        order.payment_name = namer(order.paid_date.year)


def write_payments(cr, master, orders, uid):
    """Posted bank payments: reconciled with the invoice, or open (paid quotations,
    whose memo is the order's name)."""
    paid = [o for o in orders if o.payment_id]
    journal = master.bank_journal
    method_line = master.payment_method_line
    moves, amls, payments, partials, links = [], [], [], [], []
    aml_ids = iter(reserve_ids(cr, "account_move_line", 2 * len(paid)))
    for o in paid:
        c = o.customer
        name, prefix, number = o.payment_name
        settled = bool(o.invoice_id)
        inv_name = o.invoice_name[0] if settled else o.name
        amount = o.amount_total
        ts = datetime.combine(o.paid_date, dtime(12))
        moves.append(
            (
                o.payment_move_id,
                number,
                prefix,
                name,
                c.commercial_id,
                c.commercial_id,
                None,
                c.fpos_id,
                None,
                inv_name,
                None,
                "not_paid",
                c.commercial_name,
                None,
                o.paid_date,
                None,
                o.paid_date,
                None,
                0.0,
                0.0,
                0.0,
                amount,
                0.0,
                0.0,
                0.0,
                0.0,
                amount,
                amount,
                0.0,
                True,
                None,
                None,
                None,
                None,
                None,  # origin_payment_id: set once the payment exists
                ts,
                ts,
            )
        )
        label = f"{method_line.name}: {inv_name}"
        liquidity_id, counterpart_id = next(aml_ids), next(aml_ids)
        common = (o.payment_move_id, name, inv_name, o.paid_date, None)
        amls.append(
            (
                liquidity_id,
                master.outstanding_account_id,
                100,
                "product",
                label,
                None,
                None,
                amount,
                0.0,
                amount,
                amount,
                amount,
                1.0,
                0.0,
                amount,
                amount,
                0.0,
                None,
                None,
                None,
                None,
                o.paid_date,
                False,
                None,
                None,
                None,
                c.commercial_id,
                *common,
                amount,
                o.payment_id,
                ts,
                ts,
            )
        )
        amls.append(
            (
                counterpart_id,
                master.receivable_account_id,
                100,
                "product",
                label,
                None,
                None,
                0.0,
                amount,
                -amount,
                -amount,
                0.0 if settled else -amount,
                1.0,
                0.0,
                -amount,
                -amount,
                0.0,
                None,
                None,
                None,
                None,
                o.paid_date,
                settled,
                o.full_reconcile_id or None,
                str(o.full_reconcile_id) if settled else None,
                None,
                c.commercial_id,
                *common,
                0.0 if settled else -amount,
                o.payment_id,
                ts,
                ts,
            )
        )
        payments.append(
            (
                o.payment_id,
                o.payment_move_id,
                c.commercial_id,
                name,
                inv_name,
                o.paid_date,
                amount,
                amount,
                settled,
                "paid" if settled else "in_process",
                ts,
                ts,
            )
        )
        if not settled:
            continue
        partials.append(
            (
                o.receivable_line_id,
                counterpart_id,
                o.full_reconcile_id,
                max(o.invoice_date, o.paid_date),
                amount,
                amount,
                amount,
                ts,
                ts,
            )
        )
        links.append((o.invoice_id, o.payment_id))
    _copy_moves(cr, master, journal, "entry", moves, uid=uid)
    copy_rows(
        cr,
        "account_payment",
        (
            "id",
            "move_id",
            "partner_id",
            "name",
            "memo",
            "date",
            "amount",
            "amount_company_currency_signed",
            "is_reconciled",
            "state",
            "create_date",
            "write_date",
        ),
        payments,
        {
            "journal_id": journal.id,
            "company_id": master.company.id,
            "payment_method_line_id": method_line.id,
            "payment_method_id": method_line.payment_method_id.id,
            "currency_id": master.currency_id,
            "outstanding_account_id": master.outstanding_account_id,
            "destination_account_id": master.receivable_account_id,
            "payment_type": "inbound",
            "partner_type": "customer",
            "is_matched": False,
            "is_sent": False,
            "create_uid": uid,
            "write_uid": uid,
        },
    )
    copy_rows(cr, "account_move_line", AML_VAR_COLUMNS, amls, _aml_constants(master, journal, uid))
    copy_rows(
        cr,
        "account_partial_reconcile",
        (
            "debit_move_id",
            "credit_move_id",
            "full_reconcile_id",
            "max_date",
            "amount",
            "debit_amount_currency",
            "credit_amount_currency",
            "create_date",
            "write_date",
        ),
        partials,
        {
            "debit_currency_id": master.currency_id,
            "credit_currency_id": master.currency_id,
            "company_id": master.company.id,
            "create_uid": uid,
            "write_uid": uid,
        },
    )
    copy_rows(cr, "account_move__account_payment", ("invoice_id", "payment_id"), links)
    cr.execute(
        SQL(
            "UPDATE account_move m SET origin_payment_id = v.payment_id"
            " FROM unnest(%s::int[], %s::int[]) AS v(move_id, payment_id)"
            " WHERE m.id = v.move_id",
            [o.payment_move_id for o in paid],
            [o.payment_id for o in paid],
        )
    )


def link_payments_to_orders(env, orders):
    """Link each payment to its order as oms_extended does (``oms_sale_order_id``),
    when that addon is installed: the order's OMS payment status is computed from it.
    Paid quotations then wait for the automation cron, as after a payment."""
    if "oms_sale_order_id" not in env["account.payment"]._fields:
        return
    paid = [o for o in orders if o.payment_id]
    env.cr.execute(
        SQL(
            """UPDATE account_payment
                  SET oms_sale_order_id = link.order_id, oms_method = 'bank_transfer'
                 FROM unnest(%s::int[], %s::int[]) AS link(payment_id, order_id)
                WHERE account_payment.id = link.payment_id""",
            [o.payment_id for o in paid],
            [o.id for o in paid],
        )
    )
    # Written in SQL, the orders are history to the automation (no rule): the paid
    # quotations are handed over to it, as a user does with "Apply Automation Rule".
    prepaid = env["sale.order"].browse([o.id for o in orders if o.bucket == PREPAID])
    prepaid.action_oms_apply_rule()
    env.flush_all()
