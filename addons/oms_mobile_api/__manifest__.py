{
    "name": "Order Management Mobile API",
    "summary": "Versioned JSON API for the OMS mobile app (OCA FastAPI): orders, customers, "
    "products, purchases and e-mails, with API keys, idempotency and rate limits",
    "version": "19.0.1.3.0",
    "category": "Sales/Sales",
    "author": "OMS Team",
    "license": "LGPL-3",
    "depends": ["oms_extended", "fastapi", "product_brand"],
    "external_dependencies": {"python": ["fastapi", "pydantic"]},
    "data": [
        "security/ir.model.access.csv",
        "data/fastapi_endpoint_data.xml",
        "data/fastapi_endpoint_sync.xml",
        "views/fastapi_endpoint_views.xml",
        "views/app_templates.xml",
    ],
    "installable": True,
}
