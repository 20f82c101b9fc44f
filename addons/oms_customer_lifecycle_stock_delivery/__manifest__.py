{
    "name": "Order Management: Customer Lifecycle with Carriers",
    "summary": "Bridge: the Customer 360 tab shows the carrier and tracking number of the "
    "customer's last deliveries",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "OMS Team",
    "license": "LGPL-3",
    "depends": ["oms_customer_lifecycle", "stock_delivery"],
    "data": [
        "views/res_partner_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
