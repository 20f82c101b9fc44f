{
    "name": "Order Management: Customer Lifecycle in the Mobile API",
    "summary": "Bridge: the mobile API shows each customer's lifecycle segment",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "author": "OMS Team",
    "license": "LGPL-3",
    "depends": ["oms_customer_lifecycle", "oms_mobile_api"],
    "auto_install": True,
    "installable": True,
}
