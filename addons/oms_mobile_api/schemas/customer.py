from datetime import datetime

from pydantic import BaseModel, Field

from .common import Id, InputModel, Reference, ShortText, reference, text, utc


class Customer(BaseModel):
    id: int
    name: str
    is_company: bool
    email: str | None
    phone: str | None
    street: str | None
    street2: str | None
    zip: str | None
    city: str | None
    country_code: str | None = Field(description="ISO 3166-1 alpha-2 code.")
    vat: str | None
    ref: str | None = Field(description="Internal reference.")
    parent: Reference | None = Field(description="The company of a contact person.")

    @classmethod
    def _values(cls, partner):
        return {
            "id": partner.id,
            "name": partner.name,
            "is_company": partner.is_company,
            "email": text(partner.email),
            "phone": text(partner.phone),
            "street": text(partner.street),
            "street2": text(partner.street2),
            "zip": text(partner.zip),
            "city": text(partner.city),
            "country_code": text(partner.country_code),
            "vat": text(partner.vat),
            "ref": text(partner.ref),
            "parent": reference(partner.parent_id),
        }

    @classmethod
    def from_record(cls, partner):
        return cls(**cls._values(partner))


class SalesTotal(BaseModel):
    currency: str
    amount_total: float = Field(description="Total of the confirmed orders, taxes included.")
    amount_due: float = Field(description="What the customer still owes on them.")


class SalesSummary(BaseModel):
    order_count: int = Field(description="Confirmed orders.")
    quotation_count: int = Field(description="Open quotations.")
    first_order_date: datetime | None
    last_order_date: datetime | None
    totals: list[SalesTotal] = Field(description="One per currency of the orders.")


class CustomerDetail(Customer):
    sales: SalesSummary = Field(
        description="Sales history of the customer and its contacts, as the caller sees it."
    )
    segment: str | None = Field(
        description="Customer lifecycle segment in the caller's company (new, active, loyal, "
        "champion, at_risk, hibernating, lost); null while the customer has no figures, or "
        "when the server does not compute customer lifecycles."
    )

    @classmethod
    def from_record(cls, partner):
        summary = partner._oms_api_sales_summary()
        summary["first_order_date"] = utc(summary["first_order_date"])
        summary["last_order_date"] = utc(summary["last_order_date"])
        return cls(
            **cls._values(partner),
            sales=SalesSummary(**summary),
            segment=partner._oms_api_segment(),
        )


class CustomerPage(BaseModel):
    items: list[Customer]
    next_cursor: str | None = Field(
        description="Pass it as `cursor` to get the next page; null on the last page."
    )


class CustomerCreate(InputModel):
    name: ShortText = Field(min_length=1)
    is_company: bool = False
    email: ShortText | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+$")
    phone: str | None = Field(default=None, max_length=64)
    street: ShortText | None = None
    street2: ShortText | None = None
    zip: str | None = Field(default=None, max_length=32)
    city: ShortText | None = None
    country_code: str | None = Field(
        default=None, pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 code."
    )
    vat: str | None = Field(default=None, max_length=64, description="Tax id, checked by Odoo.")
    ref: str | None = Field(default=None, max_length=64, description="Internal reference.")
    parent_id: Id | None = Field(default=None, description="Company of a contact person.")
