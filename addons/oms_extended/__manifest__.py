{
    "name": "Order Management",
    "summary": "One place for the whole order journey: orders, payments, "
    "shipping, replenishment and customers on top of Odoo's apps",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "author": "OMS Team",
    "license": "LGPL-3",
    "depends": [
        "sale_management",
        "sale_stock",
        "purchase_stock",
        "stock_delivery",
        "crm",
        "account",
        "payment",
    ],
    "data": [
        "security/oms_extended_security.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "oms_extended/static/tests/tours/*.js",
        ],
    },
    "application": True,
    "installable": True,
}
