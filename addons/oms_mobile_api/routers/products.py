from typing import Annotated

from fastapi import Depends, Path, Query

from odoo.fields import Domain

from ..dependencies import UserEnv, idempotency_key_optional
from ..paging import Cursor, Limit, search_page, search_text
from ..schemas import (
    CategoryPage,
    Product,
    ProductCreate,
    ProductPage,
    ProductPromise,
    ProductUpdate,
)
from ..schemas.common import reference
from .common import api_router, errors, get_record, get_reference

router = api_router("products")

ProductId = Annotated[int, Path(gt=0, le=2**31 - 1, description="Product (variant) id.")]
WarehouseId = Annotated[
    int | None,
    Query(gt=0, le=2**31 - 1, description="Stock of this warehouse (default: all warehouses)."),
]


def _in_warehouse(env, products, warehouse_id):
    warehouse = get_reference(env, "stock.warehouse", warehouse_id, "warehouse_id")
    return products.with_context(warehouse_id=warehouse.id) if warehouse else products


def _products(records):
    availability = records._oms_api_availability()
    return [Product.from_record(product, availability[product.id]) for product in records]


def _check_references(env, body):
    get_reference(env, "product.category", body.category_id, "category_id")
    get_reference(env, "product.brand", body.brand_id, "brand_id")


@router.get("/products", summary="Catalog with availability", responses=errors(422))
def list_products(
    env: UserEnv,
    *,
    q: search_text("Text in the name or internal reference, or the barcode.") = None,
    category_id: Annotated[
        int | None, Query(gt=0, le=2**31 - 1, description="Products of this category.")
    ] = None,
    warehouse_id: WarehouseId = None,
    include_archived: Annotated[bool, Query(description="Archived products too.")] = False,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> ProductPage:
    """Products by id, with their stock: on hand, free to use, forecast and next receipt.
    A constant number of queries whatever the page size."""
    domain = Domain.TRUE
    if q:
        domain &= (
            Domain("name", "ilike", q)
            | Domain("default_code", "ilike", q)
            | Domain("barcode", "=", q)
        )
    if category_id:
        domain &= Domain("categ_id", "child_of", category_id)
    products = _in_warehouse(
        env, env["product.product"].with_context(active_test=not include_archived), warehouse_id
    )
    records, next_cursor = search_page(products, domain, "id", cursor=cursor, limit=limit)
    return ProductPage(items=_products(records), next_cursor=next_cursor)


@router.get("/product-categories", summary="Product categories")
def list_categories(
    env: UserEnv,
    q: search_text("Text in the category's name or its parents'.") = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> CategoryPage:
    """The categories a product can be put in, by full name (`All / Saleable`)."""
    domain = Domain("complete_name", "ilike", q) if q else Domain.TRUE
    categories, next_cursor = search_page(
        env["product.category"], domain, "complete_name", cursor=cursor, limit=limit
    )
    return CategoryPage(
        items=[reference(category) for category in categories], next_cursor=next_cursor
    )


@router.get("/products/{product_id}", summary="A product", responses=errors(404, 422))
def get_product(env: UserEnv, product_id: ProductId, warehouse_id: WarehouseId = None) -> Product:
    product = get_record(env, "product.product", product_id, active_test=False)
    return _products(_in_warehouse(env, product, warehouse_id))[0]


@router.get(
    "/products/{product_id}/availability",
    summary="Promise date of a quantity",
    responses=errors(404, 422),
)
def get_availability(
    env: UserEnv,
    product_id: ProductId,
    quantity: Annotated[
        float, Query(gt=0, le=1e9, description="Quantity in the product's unit of measure.")
    ],
    warehouse_id: WarehouseId = None,
) -> ProductPromise:
    """The first day we can promise `quantity`: from stock, else from the receipts already
    planned (never the goods promised to earlier orders), else at the vendor's lead time."""
    product = get_record(env, "product.product", product_id, active_test=False)
    promise = _in_warehouse(env, product, warehouse_id)._oms_api_promise(quantity)
    return ProductPromise(
        product_id=product.id, warehouse_id=warehouse_id, quantity=quantity, **promise
    )


@router.post(
    "/products",
    status_code=201,
    summary="Create a product",
    responses=errors(422),
    dependencies=[Depends(idempotency_key_optional)],
)
def create_product(env: UserEnv, body: ProductCreate) -> Product:
    _check_references(env, body)
    return _products(env["product.product"].create(body.odoo_values()))[0]


@router.patch(
    "/products/{product_id}",
    summary="Update a product",
    responses=errors(404, 422),
    dependencies=[Depends(idempotency_key_optional)],
)
def update_product(env: UserEnv, product_id: ProductId, body: ProductUpdate) -> Product:
    """Only the fields present in the body change; null clears an optional field."""
    product = get_record(env, "product.product", product_id, active_test=False)
    _check_references(env, body)
    product.write(body.odoo_values())
    return _products(product)[0]
