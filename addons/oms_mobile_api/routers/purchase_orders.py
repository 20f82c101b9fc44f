from fastapi import Depends

from ..dependencies import UserEnv, idempotency_key_optional
from ..schemas import PurchaseOrder, PurchaseOrderCreate
from .common import api_router, errors, get_reference
from .orders import check_products, naive_utc

router = api_router("purchase orders")


@router.post(
    "/purchase-orders",
    status_code=201,
    summary="Order goods from a vendor",
    responses=errors(422),
    dependencies=[Depends(idempotency_key_optional)],
)
def create_purchase_order(env: UserEnv, body: PurchaseOrderCreate) -> PurchaseOrder:
    """A purchase order to the vendor, confirmed unless `confirm` is false; the receipt
    then shows in the products' forecast and promise dates."""
    vendor = get_reference(env, "res.partner", body.vendor_id, "vendor_id")
    warehouse = get_reference(env, "stock.warehouse", body.warehouse_id, "warehouse_id")
    check_products(env, body.lines)
    values = {"partner_id": vendor.id}
    if body.vendor_reference:
        values["partner_ref"] = body.vendor_reference
    if body.date_planned:
        values["date_planned"] = naive_utc(body.date_planned)
    if warehouse:
        values["picking_type_id"] = warehouse.in_type_id.id
    order = env["purchase.order"]._oms_api_create(
        values, [line.model_dump() for line in body.lines], confirm=body.confirm
    )
    return PurchaseOrder.from_record(order)
