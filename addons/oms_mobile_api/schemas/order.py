from datetime import date as date_type
from datetime import datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, Field

from odoo.addons.oms_extended.models.oms_workflow import PAYMENT_METHODS
from odoo.addons.oms_extended.order_states import OMS_PAYMENT_STATES, OMS_STATES, state_keys

from .common import Id, InputModel, Price, Quantity, Reference, ShortText, reference, text, utc

ORDER_STATES = "Odoo state: `draft` (quotation), `sent` (quotation sent), `sale` (order), `cancel`."
OMS_STATES_DOC = "Order status: " + ", ".join(f"`{key}`" for key in state_keys(OMS_STATES)) + "."
PAYMENT_STATES_DOC = ", ".join(f"`{key}`" for key in state_keys(OMS_PAYMENT_STATES)) + "."


class CustomerRef(BaseModel):
    id: int
    name: str = Field(description="With its company for a contact: `Company, Person`.")
    email: str | None
    phone: str | None
    city: str | None
    country_code: str | None

    FIELDS: ClassVar[tuple[str, ...]] = ("complete_name", "name", "email", "phone", "city")

    @classmethod
    def from_record(cls, partner):
        return cls(
            id=partner.id,
            name=partner.complete_name or partner.name or "",
            email=text(partner.email),
            phone=text(partner.phone),
            city=text(partner.city),
            # the country's field: the partner's related one costs more to read
            country_code=partner.country_id.code or None,
        )


class ProductRef(BaseModel):
    id: int
    name: str
    default_code: str | None = Field(description="Internal reference.")

    FIELDS: ClassVar[tuple[str, ...]] = ("product_tmpl_id", "default_code")

    @classmethod
    def from_record(cls, product):
        if not product:
            return None
        # The template's name: the variant's (a related field) costs much more to read.
        return cls(
            id=product.id,
            name=product.product_tmpl_id.name,
            default_code=text(product.default_code),
        )


class OrderLine(BaseModel):
    id: int
    product: ProductRef | None = Field(description="Null on section and note lines.")
    description: str
    display_type: str | None = Field(description="`line_section` or `line_note`; else null.")
    quantity: float
    quantity_delivered: float
    quantity_invoiced: float
    uom: str | None
    price_unit: float
    discount: float = Field(description="Discount in percent.")
    price_subtotal: float = Field(description="Total without taxes.")
    price_total: float = Field(description="Total with taxes.")

    FIELDS: ClassVar[tuple[str, ...]] = (
        "product_id",
        "name",
        "display_type",
        "product_uom_qty",
        "qty_delivered",
        "qty_invoiced",
        "product_uom_id",
        "price_unit",
        "discount",
        "price_subtotal",
        "price_total",
    )

    @classmethod
    def from_record(cls, line):
        return cls(
            id=line.id,
            product=ProductRef.from_record(line.product_id),
            description=line.name or "",
            display_type=text(line.display_type),
            quantity=line.product_uom_qty,
            quantity_delivered=line.qty_delivered,
            quantity_invoiced=line.qty_invoiced,
            uom=line.product_uom_id.name or None,
            price_unit=line.price_unit,
            discount=line.discount,
            price_subtotal=line.price_subtotal,
            price_total=line.price_total,
        )


class Order(BaseModel):
    id: int
    name: str
    state: str = Field(description=ORDER_STATES)
    oms_state: str | None = Field(description=OMS_STATES_DOC)
    payment_state: str | None = Field(description=PAYMENT_STATES_DOC)
    date_order: datetime
    commitment_date: datetime | None
    client_order_ref: str | None
    customer: CustomerRef
    currency: str = Field(description="ISO 4217 code.")
    amount_untaxed: float
    amount_tax: float
    amount_total: float
    amount_paid: float
    amount_due: float
    lines: list[OrderLine]

    FIELDS: ClassVar[tuple[str, ...]] = (
        "name",
        "state",
        "oms_state",
        "oms_payment_state",
        "date_order",
        "commitment_date",
        "client_order_ref",
        "partner_id",
        "currency_id",
        "amount_untaxed",
        "amount_tax",
        "amount_total",
        "oms_amount_paid",
        "oms_amount_due",
        "order_line",
    )

    @classmethod
    def prefetch(cls, orders):
        """Read what the orders' serialisation reads, model by model: a fixed number of
        queries for any number of orders."""
        orders.fetch(cls.FIELDS)  # nothing to read when the search read them
        lines = orders.order_line
        lines.fetch(OrderLine.FIELDS)
        lines.product_id.fetch(ProductRef.FIELDS)
        lines.product_id.product_tmpl_id.fetch(["name"])
        lines.product_uom_id.fetch(["name"])
        orders.partner_id.fetch(CustomerRef.FIELDS)
        orders.partner_id.country_id.fetch(["code"])
        orders.currency_id.fetch(["name"])
        return orders

    @classmethod
    def _values(cls, order):
        return {
            "id": order.id,
            "name": order.name,
            "state": order.state,
            "oms_state": order.oms_state or None,
            "payment_state": order.oms_payment_state or None,
            "date_order": utc(order.date_order),
            "commitment_date": utc(order.commitment_date),
            "client_order_ref": text(order.client_order_ref),
            "customer": CustomerRef.from_record(order.partner_id),
            "currency": order.currency_id.name,
            "amount_untaxed": order.amount_untaxed,
            "amount_tax": order.amount_tax,
            "amount_total": order.amount_total,
            "amount_paid": order.oms_amount_paid,
            "amount_due": order.oms_amount_due,
            "lines": [OrderLine.from_record(line) for line in order.order_line],
        }

    @classmethod
    def from_record(cls, order):
        return cls(**cls._values(order))


class Payment(BaseModel):
    id: int
    name: str
    date: date_type | None
    amount: float = Field(description="In the payment's currency.")
    currency: str
    state: str
    method: str | None = Field(description="Collection method: `bank_transfer`, `cash`, ...")
    journal: str

    @classmethod
    def from_record(cls, payment):
        return cls(
            id=payment.id,
            name=payment.name or "",
            date=payment.date or None,
            amount=payment.amount,
            currency=payment.currency_id.name,
            state=payment.state,
            method=text(payment.oms_method),
            journal=payment.journal_id.name,
        )


class Shipment(BaseModel):
    id: int
    name: str
    type: str = Field(description="`outgoing` (delivery), `incoming` (return or receipt), ...")
    state: str = Field(description="`draft`, `waiting`, `confirmed`, `assigned`, `done`, `cancel`.")
    scheduled_date: datetime | None
    date_done: datetime | None
    carrier: str | None
    tracking_reference: str | None

    @classmethod
    def from_record(cls, picking):
        return cls(
            id=picking.id,
            name=picking.name,
            type=picking.picking_type_code or "",
            state=picking.state,
            scheduled_date=utc(picking.scheduled_date),
            date_done=utc(picking.date_done),
            carrier=picking.carrier_id.name or None,
            tracking_reference=text(picking.carrier_tracking_ref),
        )


class Invoice(BaseModel):
    id: int
    name: str
    type: str = Field(description="`out_invoice` (invoice) or `out_refund` (credit note).")
    state: str = Field(description="`draft`, `posted` or `cancel`.")
    payment_state: str
    invoice_date: date_type | None
    currency: str
    amount_total: float
    amount_residual: float

    @classmethod
    def from_record(cls, move):
        return cls(
            id=move.id,
            name=move.name or "",
            type=move.move_type,
            state=move.state,
            payment_state=move.payment_state or "",
            invoice_date=move.invoice_date or None,
            currency=move.currency_id.name,
            amount_total=move.amount_total,
            amount_residual=move.amount_residual,
        )


class OrderDetail(Order):
    note: str | None = Field(description="Terms and conditions (HTML).")
    salesperson: Reference | None
    warehouse: Reference | None
    payments: list[Payment] = Field(
        description="The payments collected for the order, when the user may read payments "
        "(billing or OMS users); empty otherwise (`payment_state` still tells)."
    )
    shipments: list[Shipment]
    invoices: list[Invoice]

    @classmethod
    def from_record(cls, order):
        return cls(
            **cls._values(order),
            note=text(str(order.note or "")),
            salesperson=reference(order.user_id),
            warehouse=reference(order.warehouse_id),
            payments=[Payment.from_record(payment) for payment in order._oms_api_payments()],
            shipments=[Shipment.from_record(picking) for picking in order.picking_ids],
            invoices=[Invoice.from_record(move) for move in order.invoice_ids],
        )


class OrderPage(BaseModel):
    items: list[Order]
    next_cursor: str | None = Field(
        description="Pass it as `cursor` to get the next page; null on the last page."
    )


class OrderLineIn(InputModel):
    product_id: Id
    quantity: Quantity = Field(description="In the product's unit of measure.")
    price_unit: Price | None = Field(
        default=None, description="Unit price; by default the customer's pricelist price."
    )
    discount: float | None = Field(default=None, ge=0, le=100, description="In percent.")
    description: str | None = Field(default=None, min_length=1, max_length=2000)


class OrderCreate(InputModel):
    customer_id: Id
    lines: list[OrderLineIn] = Field(min_length=1, max_length=500)
    client_order_ref: ShortText | None = Field(default=None, description="Customer reference.")
    commitment_date: datetime | None = Field(default=None, description="Promised delivery date.")
    warehouse_id: Id | None = None
    payment_method: Literal[tuple(method for method, _label in PAYMENT_METHODS)] | None = Field(
        default=None, description="How the customer pays (selects the automation rule)."
    )
    note: str | None = Field(default=None, max_length=10000, description="Terms (plain text).")
    confirm: bool = Field(default=False, description="Accept the order at once.")
