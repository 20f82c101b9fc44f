import base64
import binascii
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from .common import Id, InputModel, Price, Reference, ShortText, reference, text, utc

PRODUCT_TYPES = {"consu": "goods", "service": "service", "combo": "combo"}
ODOO_TYPES = {api: odoo for odoo, api in PRODUCT_TYPES.items()}
ProductType = Literal["goods", "service", "combo"]
MAX_IMAGE_BYTES = 10 * 1024 * 1024


def _check_base64(value):
    if value is None:
        return value
    try:
        decoded = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError("not valid base64") from error
    if not decoded:
        raise ValueError("empty image")
    if len(decoded) > MAX_IMAGE_BYTES:
        raise ValueError("image larger than 10 MB")
    return value


Image = Annotated[
    str,
    Field(
        max_length=MAX_IMAGE_BYTES * 4 // 3 + 4,
        description="The image file (PNG, JPEG, ...) in base64.",
        json_schema_extra={"contentEncoding": "base64"},
    ),
    AfterValidator(_check_base64),
]


class Availability(BaseModel):
    on_hand: float = Field(description="In stock.")
    free: float = Field(description="In stock and not reserved: free to use.")
    forecast: float = Field(description="On hand plus receipts less deliveries planned.")
    next_incoming_date: datetime | None = Field(description="Date of the next receipt.")


class Product(BaseModel):
    id: int
    name: str
    default_code: str | None = Field(description="Internal reference.")
    barcode: str | None
    type: str = Field(description="`goods`, `service` or `combo`.")
    is_storable: bool = Field(description="Goods whose stock is tracked.")
    active: bool
    sale_ok: bool
    purchase_ok: bool
    category: Reference | None
    brand: Reference | None
    list_price: float = Field(description="Sales price.")
    standard_price: float = Field(description="Cost.")
    currency: str
    uom: str
    description: str | None = Field(description="Sales description.")
    availability: Availability = Field(
        description="Stock of the warehouse asked for, or of all warehouses."
    )

    @classmethod
    def from_record(cls, product, availability):
        return cls(
            id=product.id,
            name=product.product_tmpl_id.name,  # cheaper than the variant's related name
            default_code=text(product.default_code),
            barcode=text(product.barcode),
            type=PRODUCT_TYPES.get(product.type, product.type),
            is_storable=product.is_storable,
            active=product.active,
            sale_ok=product.sale_ok,
            purchase_ok=product.purchase_ok,
            category=reference(product.categ_id),
            brand=reference(product.product_brand_id),
            list_price=product.lst_price,
            standard_price=product.standard_price,
            currency=product.currency_id.name,
            uom=product.uom_id.name,
            description=text(product.description_sale),
            availability=Availability(
                **dict(
                    availability,
                    next_incoming_date=utc(availability["next_incoming_date"]),
                )
            ),
        )


class CategoryPage(BaseModel):
    items: list[Reference] = Field(description="Product categories, `name` with its parents.")
    next_cursor: str | None = Field(
        description="Pass it as `cursor` to get the next page; null on the last page."
    )


class ProductPage(BaseModel):
    items: list[Product]
    next_cursor: str | None = Field(
        description="Pass it as `cursor` to get the next page; null on the last page."
    )


class ProductPromise(BaseModel):
    product_id: int
    warehouse_id: int | None
    quantity: float
    promise_date: date | None = Field(
        description="First day the quantity is available; null when it cannot be promised."
    )
    source: Literal["stock", "incoming", "vendor_lead_time", "unavailable"] = Field(
        description="`stock`: available today; `incoming`: with receipts already planned; "
        "`vendor_lead_time`: to be bought, at the vendor's lead time; `unavailable`: not "
        "enough stock nor vendor."
    )
    on_hand: float
    free: float
    forecast: float
    shortage: float = Field(description="What must be bought to promise the quantity.")


class _ProductFields(InputModel):
    default_code: str | None = Field(default=None, max_length=64)
    barcode: str | None = Field(default=None, max_length=64)
    description: str | None = Field(default=None, max_length=10000)
    category_id: Id | None = None
    brand_id: Id | None = None
    image: Image | None = None
    sale_ok: bool = True
    purchase_ok: bool = True
    active: bool = True

    _MAPPING = {
        "name": "name",
        "default_code": "default_code",
        "barcode": "barcode",
        "description": "description_sale",
        "category_id": "categ_id",
        "brand_id": "product_brand_id",
        "image": "image_1920",
        "sale_ok": "sale_ok",
        "purchase_ok": "purchase_ok",
        "active": "active",
        "list_price": "lst_price",
        "standard_price": "standard_price",
        "is_storable": "is_storable",
    }

    def odoo_values(self):
        """The ``product.product`` values of the fields given in the body (null clears)."""
        data = self.model_dump(exclude_unset=True)
        values = {self._MAPPING[key]: value for key, value in data.items() if key in self._MAPPING}
        for field, value in values.items():
            if value is None:
                values[field] = False
        if "type" in data:
            values["type"] = ODOO_TYPES[data["type"]]
        return values


class ProductCreate(_ProductFields):
    name: ShortText = Field(min_length=1)
    type: ProductType = "goods"
    is_storable: bool = Field(default=True, description="Track stock (goods only).")
    list_price: Price = 0.0
    standard_price: Price = 0.0

    def odoo_values(self):
        values = {
            self._MAPPING[key]: value
            for key, value in self.model_dump(exclude_none=True).items()
            if key in self._MAPPING
        }
        values["type"] = ODOO_TYPES[self.type]
        values["is_storable"] = self.is_storable and self.type == "goods"
        return values


class ProductUpdate(_ProductFields):
    """Only the fields present are changed; null clears a field that may be empty."""

    name: ShortText = Field(default=None, min_length=1)
    list_price: Price = None
    standard_price: Price = None
    category_id: Id = None
    sale_ok: bool = None
    purchase_ok: bool = None
    active: bool = None
