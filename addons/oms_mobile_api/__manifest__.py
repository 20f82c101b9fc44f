{
    "name": "Order Management Mobile API",
    "summary": "Versioned JSON API for the OMS mobile app",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "author": "OMS Team",
    "license": "LGPL-3",
    "depends": ["oms_extended"],
    "data": [],
    "installable": True,
}
