from datetime import datetime

from pydantic import BaseModel, Field

from .common import Id, InputModel, Price, Quantity, Reference, ShortText, reference, text, utc
from .order import Shipment


class PurchaseLineIn(InputModel):
    product_id: Id
    quantity: Quantity = Field(description="In the product's unit of measure.")
    price_unit: Price | None = Field(
        default=None, description="Unit price; by default the vendor's price."
    )


class PurchaseOrderCreate(InputModel):
    vendor_id: Id
    lines: list[PurchaseLineIn] = Field(min_length=1, max_length=500)
    vendor_reference: ShortText | None = None
    date_planned: datetime | None = Field(
        default=None, description="Expected arrival; by default from the vendor's lead time."
    )
    warehouse_id: Id | None = Field(default=None, description="Warehouse receiving the goods.")
    confirm: bool = Field(
        default=True, description="Confirm the order (false: keep a request for quotation)."
    )


class PurchaseLine(BaseModel):
    id: int
    product: Reference | None
    description: str
    quantity: float
    quantity_received: float
    price_unit: float
    price_subtotal: float
    date_planned: datetime | None

    @classmethod
    def from_record(cls, line):
        return cls(
            id=line.id,
            product=reference(line.product_id),
            description=line.name or "",
            quantity=line.product_qty,
            quantity_received=line.qty_received,
            price_unit=line.price_unit,
            price_subtotal=line.price_subtotal,
            date_planned=utc(line.date_planned),
        )


class PurchaseOrder(BaseModel):
    id: int
    name: str
    state: str = Field(description="`draft` (RFQ), `sent`, `to approve`, `purchase`, `cancel`.")
    vendor: Reference
    vendor_reference: str | None
    date_order: datetime | None
    date_planned: datetime | None
    currency: str
    amount_untaxed: float
    amount_total: float
    lines: list[PurchaseLine]
    receipts: list[Shipment]

    @classmethod
    def from_record(cls, order):
        return cls(
            id=order.id,
            name=order.name,
            state=order.state,
            vendor=reference(order.partner_id),
            vendor_reference=text(order.partner_ref),
            date_order=utc(order.date_order),
            date_planned=utc(order.date_planned),
            currency=order.currency_id.name,
            amount_untaxed=order.amount_untaxed,
            amount_total=order.amount_total,
            lines=[PurchaseLine.from_record(line) for line in order.order_line],
            receipts=[Shipment.from_record(picking) for picking in order.picking_ids],
        )
