{
    "name": "Order Management Mobile App",
    "summary": "The installable mobile web app at /oms/app (orders, customers, catalog, "
    "offline outbox), a client of the Order Management Mobile API",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "author": "OMS Team",
    "license": "LGPL-3",
    "depends": ["oms_mobile_api"],
    "data": ["views/app_templates.xml"],
    "installable": True,
}
