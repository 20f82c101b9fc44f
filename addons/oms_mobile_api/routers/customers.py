from typing import Annotated, Literal

from fastapi import Depends, Path, Query

from odoo.fields import Domain

from ..dependencies import UserEnv, idempotency_key_optional
from ..errors import UnknownReference
from ..paging import Cursor, Limit, search_page, search_text
from ..schemas import Customer, CustomerCreate, CustomerDetail, CustomerPage
from .common import api_router, errors, get_record, get_reference

router = api_router("customers")

CustomerId = Annotated[int, Path(gt=0, le=2**31 - 1, description="Customer id.")]


@router.get("/customers", summary="Customer list")
def list_customers(
    env: UserEnv,
    q: search_text("Text in the name, e-mail, phone or reference.") = None,
    role: Annotated[
        Literal["customer", "vendor"],
        Query(
            description="`vendor`: the partners to buy from (vendors of products, or with "
            "purchases or vendor bills) instead of the customers."
        ),
    ] = "customer",
    cursor: Cursor = None,
    limit: Limit = 50,
) -> CustomerPage:
    """Customers (partners with an order or a customer invoice), by name; or vendors."""
    partners = env["res.partner"]
    domain = (
        partners._oms_api_vendor_domain()
        if role == "vendor"
        else partners._oms_api_customer_domain()
    )
    if q:
        domain &= (
            Domain("name", "ilike", q)
            | Domain("email", "ilike", q)
            | Domain("phone", "ilike", q)
            | Domain("ref", "ilike", q)
        )
    customers, next_cursor = search_page(
        env["res.partner"], domain, "name", cursor=cursor, limit=limit
    )
    return CustomerPage(
        items=[Customer.from_record(customer) for customer in customers], next_cursor=next_cursor
    )


@router.get("/customers/{customer_id}", summary="A customer", responses=errors(404))
def get_customer(env: UserEnv, customer_id: CustomerId) -> CustomerDetail:
    """The customer with its sales history summary and segment."""
    return CustomerDetail.from_record(get_record(env, "res.partner", customer_id))


@router.post(
    "/customers",
    status_code=201,
    summary="Create a customer",
    responses=errors(422),
    dependencies=[Depends(idempotency_key_optional)],
)
def create_customer(env: UserEnv, body: CustomerCreate) -> CustomerDetail:
    values = body.model_dump(exclude_none=True, exclude={"country_code", "parent_id"})
    if body.country_code:
        country = env["res.country"].search([("code", "=", body.country_code.upper())])
        if not country:
            raise UnknownReference(
                env._("country_code: no country %r.", body.country_code),
                details={"field": "country_code"},
            )
        values["country_id"] = country.id
    if body.parent_id:
        values["parent_id"] = get_reference(env, "res.partner", body.parent_id, "parent_id").id
    return CustomerDetail.from_record(env["res.partner"]._oms_api_create_customer(values))
