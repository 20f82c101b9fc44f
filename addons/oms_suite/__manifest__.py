{
    "name": "Order Management",
    "summary": "The whole order journey in one app, from intake to delivered-and-paid: "
    "installs every Order Management addon (orders and payments, shipping, replenishment, "
    "customer lifecycle, reports, audit trail, mobile API and app)",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "author": "OMS Team",
    "license": "LGPL-3",
    "depends": [
        "oms_extended",
        "oms_replenishment",
        "oms_shipping",
        "oms_customer_lifecycle",
        "oms_reports",
        "oms_audit",
        "oms_mobile_api",
        "oms_mobile_app",
    ],
    "assets": {
        "web.assets_tests": [
            "oms_suite/static/tests/tours/*.js",
        ],
    },
    "application": True,
    "installable": True,
}
