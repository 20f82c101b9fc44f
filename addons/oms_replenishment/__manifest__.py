{
    "name": "Order Management: Replenishment",
    "summary": "Demand-driven reorder policies: demand statistics, reordering rules, stock at "
    "risk and low-stock alerts for the buyers",
    "version": "19.0.1.0.0",
    "category": "Inventory/Purchase",
    "author": "OMS Team",
    "license": "LGPL-3",
    "depends": ["oms_extended", "purchase_stock"],
    "demo": ["demo/oms_replenishment_demo.xml"],
    "data": [
        "security/oms_replenishment_security.xml",
        "security/ir.model.access.csv",
        "security/oms_replenishment_rules.xml",
        "data/oms_reorder_data.xml",
        "views/oms_reorder_policy_views.xml",
        "views/oms_reorder_line_views.xml",
        "views/stock_warehouse_orderpoint_views.xml",
        "views/menus.xml",
    ],
    "installable": True,
}
