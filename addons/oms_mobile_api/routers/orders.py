from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal

import pytz
from fastapi import Depends, Path, Query

from odoo.addons.oms_extended.order_states import OMS_STATES, state_keys
from odoo.fields import Domain
from odoo.tools import plaintext2html

from ..dependencies import UserEnv, idempotency_key_optional, idempotency_key_required
from ..errors import UnknownReference
from ..paging import Cursor, Limit, search_page, search_text
from ..schemas import Invoice, Order, OrderCreate, OrderDetail, OrderPage
from .common import api_router, errors, get_record, get_reference

router = api_router("orders")

OrderId = Annotated[int, Path(gt=0, le=2**31 - 1, description="Order id.")]
_ONE_DAY = timedelta(days=1)
OmsState = Literal[state_keys(OMS_STATES)]


def _start_of_day(env, day):
    """Midnight of ``day`` in the user's time zone, as Odoo's naive UTC datetime."""
    tz = pytz.timezone(env.context.get("tz") or "UTC")
    return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.UTC).replace(tzinfo=None)


def naive_utc(value):
    """An ISO 8601 datetime of the body as Odoo stores it (naive UTC; UTC if no offset)."""
    return value.astimezone(pytz.UTC).replace(tzinfo=None) if value.tzinfo else value


def check_products(env, lines, field="lines"):
    """422 naming the first line whose product the caller does not see."""
    product_ids = {line.product_id for line in lines}
    found = set(
        env["product.product"]
        .with_context(active_test=False)
        .search([("id", "in", list(product_ids))])
        .ids
    )
    for index, line in enumerate(lines):
        if line.product_id not in found:
            raise UnknownReference(
                env._(
                    "%(field)s: no product with id %(id)s.",
                    field=f"{field}[{index}].product_id",
                    id=line.product_id,
                ),
                details={"field": f"{field}.{index}.product_id", "id": line.product_id},
            )


@router.get("/orders", summary="Sales history")
def list_orders(
    env: UserEnv,
    *,
    customer_id: Annotated[
        int | None,
        Query(gt=0, le=2**31 - 1, description="Orders of this customer and its contacts."),
    ] = None,
    oms_state: Annotated[
        list[OmsState] | None, Query(description="Order statuses (repeat the parameter).")
    ] = None,
    date_from: Annotated[
        date | None, Query(description="Orders of this day or later (user's time zone).")
    ] = None,
    date_to: Annotated[
        date | None, Query(description="Orders of this day or earlier (user's time zone).")
    ] = None,
    q: search_text(
        "Text in the order number, the customer reference or the customer's name."
    ) = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> OrderPage:
    """Orders and quotations, newest first, with their lines and customers. A constant
    number of queries whatever the page size."""
    domain = Domain.TRUE
    if customer_id:
        domain &= Domain("partner_id", "child_of", customer_id)
    if oms_state:
        domain &= Domain("oms_state", "in", oms_state)
    if date_from:
        domain &= Domain("date_order", ">=", _start_of_day(env, date_from))
    if date_to:
        domain &= Domain("date_order", "<", _start_of_day(env, date_to) + _ONE_DAY)
    if q:
        domain &= (
            Domain("name", "ilike", q)
            | Domain("client_order_ref", "ilike", q)
            | Domain("partner_id", "ilike", q)
        )
    orders, next_cursor = search_page(
        env["sale.order"],
        domain,
        "date_order",
        cursor=cursor,
        limit=limit,
        descending=True,
        field_names=Order.FIELDS,
    )
    return OrderPage(
        items=[Order.from_record(order) for order in Order.prefetch(orders)],
        next_cursor=next_cursor,
    )


@router.get("/orders/{order_id}", summary="An order", responses=errors(404))
def get_order(env: UserEnv, order_id: OrderId) -> OrderDetail:
    """The order with its lines, payments, shipments (deliveries and returns, with carrier
    and tracking reference) and invoices."""
    order = get_record(env, "sale.order", order_id)._oms_api_read()
    return OrderDetail.from_record(order)


@router.post(
    "/orders",
    status_code=201,
    summary="Create a quotation or an order",
    responses=errors(422),
    dependencies=[Depends(idempotency_key_required)],
)
def create_order(env: UserEnv, body: OrderCreate) -> OrderDetail:
    """A quotation with its lines, priced by the customer's pricelist unless prices are
    given; `confirm: true` accepts it at once. Needs an `Idempotency-Key`."""
    customer = get_reference(env, "res.partner", body.customer_id, "customer_id")
    warehouse = get_reference(env, "stock.warehouse", body.warehouse_id, "warehouse_id")
    check_products(env, body.lines)
    values = {"partner_id": customer.id}
    if body.client_order_ref:
        values["client_order_ref"] = body.client_order_ref
    if body.commitment_date:
        values["commitment_date"] = naive_utc(body.commitment_date)
    if warehouse:
        values["warehouse_id"] = warehouse.id
    if body.payment_method:
        values["oms_payment_method"] = body.payment_method
    if body.note:
        values["note"] = plaintext2html(body.note)
    order = env["sale.order"]._oms_api_create(
        values, [line.model_dump() for line in body.lines], confirm=body.confirm
    )
    return OrderDetail.from_record(order)


@router.post(
    "/orders/{order_id}/confirm",
    summary="Accept an order",
    responses=errors(404, 422),
    dependencies=[Depends(idempotency_key_optional)],
)
def confirm_order(env: UserEnv, order_id: OrderId) -> OrderDetail:
    """Confirms the quotation, which reserves its stock (never more than is on hand: the
    rest waits for receipts). Accepting an order already confirmed changes nothing, so the
    call is safe to retry."""
    order = get_record(env, "sale.order", order_id)
    order._oms_api_confirm()
    return OrderDetail.from_record(order)


@router.post(
    "/orders/{order_id}/invoice",
    status_code=201,
    summary="Invoice an order",
    responses=errors(404, 422),
    dependencies=[Depends(idempotency_key_required)],
)
def invoice_order(env: UserEnv, order_id: OrderId) -> Invoice:
    """Creates and posts the invoice of what the order has to invoice (per its products'
    invoicing policy); 422 when there is nothing to invoice. Needs an `Idempotency-Key`."""
    order = get_record(env, "sale.order", order_id)
    return Invoice.from_record(order._oms_api_invoice()[:1])
