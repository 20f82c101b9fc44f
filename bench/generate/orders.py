"""Orders: their planning (pure Python, seeded: states by age, lines, amounts as Odoo
computes them, delivery/invoice/payment dates) and their SQL writers (orders, lines,
line costs)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from odoo.tools import SQL

from .catalogue import Product
from .core import copy_rows, money
from .customers import Customer

# order buckets: (bucket, sale.order state)
BUCKETS = ("draft", "sent", "sale", "delivered", "invoiced", "paid", "cancel")


BUCKET_WEIGHTS = {  # by order age (days): recent orders are less advanced
    7: (25, 20, 25, 15, 10, 0, 5),
    45: (8, 8, 12, 14, 18, 33, 7),
    10_000: (2, 2, 2, 3, 8, 76, 7),
}


# paid quotations (--paid-quotations): a quotation with a posted payment not reconciled
PREPAID = "prepaid"


ORDER_STATE = {
    PREPAID: "draft",
    "draft": "draft",
    "sent": "sent",
    "sale": "sale",
    "delivered": "sale",
    "invoiced": "sale",
    "paid": "sale",
    "cancel": "cancel",
}


@dataclass(slots=True)
class Line:
    product: Product
    qty: float
    price: float
    discount: float
    subtotal: float
    tax: float
    total: float
    id: int = 0
    move_id: int = 0
    aml_id: int = 0


@dataclass(slots=True)
class Order:
    index: int
    bucket: str
    date_order: datetime
    customer: Customer
    team_id: int
    user_id: int
    source_id: int
    medium_id: int
    lines: list
    delivered_at: datetime | None = None
    invoice_date: date | None = None
    paid_date: date | None = None
    id: int = 0
    name: str = ""
    picking_id: int = 0
    picking_name: str = ""
    invoice_id: int = 0
    invoice_name: tuple = ()  # (name, sequence_prefix, sequence_number)
    receivable_line_id: int = 0
    full_reconcile_id: int = 0
    payment_id: int = 0
    payment_move_id: int = 0
    payment_name: tuple = ()
    amount_untaxed: float = 0.0
    amount_tax: float = 0.0
    amount_total: float = 0.0

    @property
    def state(self):
        return ORDER_STATE[self.bucket]

    @property
    def storable_lines(self):
        return [line for line in self.lines if line.product.storable]


def _pick_bucket(rng, age_days):
    for limit, weights in BUCKET_WEIGHTS.items():
        if age_days < limit:
            return rng.choices(BUCKETS, weights)[0]
    return "paid"


def _plan_line(rng, product, tax_rate):
    qty = float(rng.choices((1, 2, 3, 4, 5, 6, 10, 12), (40, 22, 12, 8, 7, 4, 4, 3))[0])
    discount = rng.choices((0.0, 5.0, 10.0, 15.0, 20.0), (70, 10, 10, 5, 5))[0]
    subtotal = money(qty * product.price * (1 - discount / 100.0))  # exact, see _shelf_price
    tax = money(subtotal * tax_rate / 100.0)
    total = money(subtotal + tax)
    return Line(product, qty, product.price, discount, subtotal, tax, total)


def _order_amounts(lines, tax_rate, round_globally):
    """Order/invoice totals as account.tax computes them for one excluded percent tax.

    Lines always round their own tax (single base line); the order rounds the tax once
    over all lines when the company uses 'round_globally'.
    """
    untaxed = money(sum(line.subtotal for line in lines))
    if round_globally:
        tax = money(sum(line.subtotal * tax_rate / 100.0 for line in lines))
    else:
        tax = money(sum(line.tax for line in lines))
    return untaxed, tax, money(untaxed + tax)


def plan_orders(rng, master, n_orders, now, *, paid_quotations=0, prepaid_rng=None):
    """Plan ``n_orders`` orders over the two years before ``now``, then
    ``paid_quotations`` quotations of the last two days, paid in full (drawn from
    ``prepaid_rng``, so that the history does not depend on their number)."""
    horizon = 730 * 86400
    goods = [p for p in master.products if p.storable]
    services = [p for p in master.products if not p.storable]
    tax_rates = {tax_id: info["rate"] for tax_id, info in master.taxes.items()}
    round_globally = master.company.tax_calculation_rounding_method == "round_globally"
    orders = []
    for index in range(n_orders + paid_quotations):
        if index >= n_orders:
            rng = prepaid_rng or rng
            bucket = PREPAID
            age = rng.uniform(600, 2 * 86400)
        elif index < len(BUCKETS):  # guarantee every state, even for tiny data sets
            bucket = BUCKETS[index]
            age = rng.uniform(3 * 86400, 40 * 86400)
        else:
            age = rng.uniform(3600, horizon)
            bucket = _pick_bucket(rng, age / 86400)
        date_order = (now - timedelta(seconds=age)).replace(microsecond=0)
        customer = rng.choice(master.customers)
        team_id, members = rng.choice(master.teams)
        n_lines = rng.choices(range(1, 9), (10, 12, 13, 14, 14, 13, 12, 12))[0]  # 4.57 on average
        products = rng.sample(goods, n_lines)
        if rng.random() < 0.15:
            products[-1] = rng.choice(services)
        rate = tax_rates[customer.tax_id]
        lines = [_plan_line(rng, p, rate) for p in products]
        order = Order(
            index,
            bucket,
            date_order,
            customer,
            team_id,
            rng.choice(members) if members else None,
            rng.choice(master.source_ids),
            rng.choice(master.medium_ids),
            lines,
        )
        _plan_events(rng, order, now)
        order.amount_untaxed, order.amount_tax, order.amount_total = _order_amounts(
            lines, rate, round_globally
        )
        orders.append(order)
    return orders


def _plan_events(rng, order, now):
    if order.bucket in ("delivered", "invoiced", "paid"):
        delivered = order.date_order + timedelta(hours=rng.uniform(2, 96))
        order.delivered_at = min(delivered, now - timedelta(minutes=5))
    if order.bucket in ("invoiced", "paid"):
        invoice_date = order.delivered_at.date() + timedelta(days=rng.randint(0, 2))
        order.invoice_date = min(invoice_date, now.date())
    if order.bucket == "paid":
        paid = order.invoice_date + timedelta(days=rng.choice((0, 1, 3, 7, 14, 30)))
        order.paid_date = min(paid, now.date())
    if order.bucket == PREPAID:
        order.paid_date = order.date_order.date()


def write_sale_orders(cr, master, orders, uid):
    company_id, currency_id = master.company.id, master.currency_id
    rows = []
    for o in orders:
        c = o.customer
        shipped = o.state == "sale" and bool(o.storable_lines)
        delivery_status = ("full" if o.delivered_at else "pending") if shipped else None
        invoice_status = {"sale": "to invoice", "delivered": "to invoice"}.get(o.bucket)
        if o.invoice_date:
            invoice_status = "invoiced"
        rows.append(
            (
                o.id,
                o.name,
                o.state,
                c.id,
                c.commercial_id,
                c.id,
                c.fpos_id,
                o.user_id,
                o.team_id,
                o.source_id,
                o.medium_id,
                invoice_status or "no",
                (o.date_order + timedelta(days=30)).date(),
                o.amount_untaxed,
                o.amount_tax,
                o.amount_total,
                o.date_order,
                o.date_order,
                o.delivered_at or o.date_order,
                delivery_status,
                o.delivered_at if shipped else None,
            )
        )
    copy_rows(
        cr,
        "sale_order",
        (
            "id",
            "name",
            "state",
            "partner_id",
            "partner_invoice_id",
            "partner_shipping_id",
            "fiscal_position_id",
            "user_id",
            "team_id",
            "source_id",
            "medium_id",
            "invoice_status",
            "validity_date",
            "amount_untaxed",
            "amount_tax",
            "amount_total",
            "date_order",
            "create_date",
            "write_date",
            "delivery_status",
            "effective_date",
        ),
        rows,
        {
            "company_id": company_id,
            "currency_id": currency_id,
            "campaign_id": master.campaign_id,
            "warehouse_id": master.warehouse.id,
            "picking_policy": "direct",
            "currency_rate": 1.0,
            "locked": False,
            "require_signature": True,
            "require_payment": False,
            "prepayment_percent": 1.0,
            "shipping_weight": 0.0,
            "create_uid": uid,
            "write_uid": uid,
        },
    )


def _line_invoicing(order, line):
    """Stored invoicing fields of a sale order line (policy: ordered quantities)."""
    qty_delivered = line.qty if (order.delivered_at and line.product.storable) else 0.0
    if order.state != "sale":
        return qty_delivered, 0.0, 0.0, "no", 0.0, 0.0
    if order.invoice_date:
        return qty_delivered, line.qty, 0.0, "invoiced", line.subtotal, 0.0
    to_invoice = money(line.qty * line.price * (1 - line.discount / 100.0))
    return qty_delivered, 0.0, line.qty, "to invoice", 0.0, to_invoice


def write_sale_order_lines(cr, master, orders, uid):
    rows, tax_rows = [], []
    for o in orders:
        c = o.customer
        for seq, line in enumerate(o.lines, start=1):
            p = line.product
            delivered, invoiced, to_invoice, inv_status, amt_invoiced, amt_to_invoice = (
                _line_invoicing(o, line)
            )
            rows.append(
                (
                    line.id,
                    o.id,
                    seq * 10,
                    c.id,
                    o.user_id,
                    p.id,
                    p.uom_id,
                    o.state,
                    "stock_move" if p.storable else "manual",
                    inv_status,
                    p.name,
                    line.qty,
                    line.price,
                    line.price,
                    line.discount,
                    line.subtotal,
                    line.total - line.subtotal,
                    line.total,
                    money(line.subtotal / line.qty),
                    money(line.total / line.qty),
                    delivered,
                    invoiced,
                    to_invoice,
                    amt_invoiced,
                    amt_to_invoice,
                    o.date_order,
                    o.delivered_at or o.date_order,
                    uid,
                    uid,
                )
            )
            tax_rows.append((line.id, c.tax_id))
    copy_rows(
        cr,
        "sale_order_line",
        (
            "id",
            "order_id",
            "sequence",
            "order_partner_id",
            "salesman_id",
            "product_id",
            "product_uom_id",
            "state",
            "qty_delivered_method",
            "invoice_status",
            "name",
            "product_uom_qty",
            "price_unit",
            "technical_price_unit",
            "discount",
            "price_subtotal",
            "price_tax",
            "price_total",
            "price_reduce_taxexcl",
            "price_reduce_taxinc",
            "qty_delivered",
            "qty_invoiced",
            "qty_to_invoice",
            "untaxed_amount_invoiced",
            "untaxed_amount_to_invoice",
            "create_date",
            "write_date",
            "create_uid",
            "write_uid",
        ),
        rows,
        {
            "company_id": master.company.id,
            "currency_id": master.currency_id,
            "warehouse_id": master.warehouse.id,
            "customer_lead": 0.0,
            "collapse_prices": False,
            "collapse_composition": False,
            "is_delivery": False,
            "is_optional": False,
        },
    )
    copy_rows(
        cr, "account_tax_sale_order_line_rel", ("sale_order_line_id", "account_tax_id"), tax_rows
    )


def write_line_costs(env, orders):
    """The cost of each line (sale_margin's ``purchase_price``), as Odoo sets it when the
    line is created: the product's cost. Margins are then computed by the ORM."""
    if "purchase_price" not in env["sale.order.line"]._fields:
        return
    products = {line.product.id: line.product for o in orders for line in o.lines}
    env.cr.execute(
        SQL(
            """UPDATE sale_order_line
                  SET purchase_price = cost.value
                 FROM unnest(%s::int[], %s::numeric[]) AS cost(product_id, value)
                WHERE sale_order_line.product_id = cost.product_id
                  AND sale_order_line.order_id = ANY(%s)""",
            list(products),
            [p.cost for p in products.values()],
            [o.id for o in orders],
        )
    )
