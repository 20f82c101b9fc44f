{
    "name": "Order Management",
    "summary": "One place for the whole order journey: orders, payments, "
    "shipping, replenishment and customers on top of Odoo's apps",
    "version": "19.0.1.2.0",
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
        "account_payment",
    ],
    "data": [
        "security/oms_extended_security.xml",
        "security/ir.model.access.csv",
        "security/oms_extended_rules.xml",
        "data/oms_workflow_data.xml",
        "data/ir_cron_data.xml",
        "data/oms_reorder_data.xml",
        "views/sale_order_views.xml",
        "views/oms_workflow_views.xml",
        "wizard/oms_order_payment_views.xml",
        "views/oms_reorder_policy_views.xml",
        "views/oms_reorder_line_views.xml",
        "views/stock_warehouse_orderpoint_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "data/oms_workflow_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "oms_extended/static/tests/tours/*.js",
        ],
    },
    "application": True,
    "installable": True,
}
