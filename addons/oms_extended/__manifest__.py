{
    "name": "Order Management Core",
    "summary": "The core of the Order Management app: its groups and menus, order status, "
    "automation rules and payment collection (cash on delivery included)",
    "version": "19.0.2.1.1",
    "category": "Sales/Sales",
    "author": "OMS Team",
    "license": "LGPL-3",
    "depends": [
        "sale_management",
        "sale_stock",
        "account_payment",
        "delivery",
    ],
    "data": [
        "security/oms_extended_security.xml",
        "security/ir.model.access.csv",
        "security/oms_extended_rules.xml",
        "data/oms_workflow_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "views/sale_order_views.xml",
        "views/oms_workflow_views.xml",
        "wizard/oms_order_payment_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "data/oms_workflow_demo.xml",
        "demo/oms_extended_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "oms_extended/static/tests/tours/*.js",
        ],
    },
    "application": False,
    "installable": True,
}
