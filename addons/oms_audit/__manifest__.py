{
    "name": "Order Management: Document Audit Trail",
    "summary": "Who viewed, printed, downloaded, exported and changed each order, invoice, "
    "delivery and purchase: an append-only access log in a keyed (HMAC-SHA256) chain",
    "version": "19.0.1.1.0",
    "category": "Sales/Sales",
    "author": "OMS Team",
    "license": "LGPL-3",
    "depends": [
        "oms_extended",
        "portal",
        # read logging over XML-RPC and JSON-RPC
        "rpc",
        # the apps whose documents it audits: orders, invoices, transfers, purchases
        "sale",
        "account",
        "stock",
        "purchase",
    ],
    "demo": ["demo/oms_audit_demo.xml"],
    "data": [
        "security/ir.model.access.csv",
        "data/oms_audit_model_data.xml",
        "data/ir_config_parameter_data.xml",
        "data/ir_cron_data.xml",
        "views/oms_document_log_views.xml",
        "views/oms_document_stage_views.xml",
        "views/oms_document_log_purge_views.xml",
        "views/oms_audit_model_views.xml",
        "wizard/oms_document_log_check_views.xml",
        "views/sale_order_views.xml",
        "views/account_move_views.xml",
        "views/stock_picking_views.xml",
        "views/purchase_order_views.xml",
        "views/menus.xml",
    ],
    "installable": True,
}
