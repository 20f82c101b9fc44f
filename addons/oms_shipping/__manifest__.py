{
    "name": "Order Management: Shipping",
    "summary": "Shipments and their tracking events: carrier webhooks and polling, delivery "
    "problems and late shipments, and the tracking timeline on the customer portal",
    "version": "19.0.1.0.0",
    "category": "Inventory/Delivery",
    "author": "OMS Team",
    "license": "LGPL-3",
    "depends": ["oms_extended", "stock_delivery"],
    "data": [
        "security/ir.model.access.csv",
        "security/oms_shipping_rules.xml",
        "data/oms_shipment_data.xml",
        "data/oms_shipment_mail_template.xml",
        "views/oms_shipment_views.xml",
        "views/oms_shipment_event_views.xml",
        "views/delivery_carrier_views.xml",
        "views/sale_order_shipment_views.xml",
        "wizard/oms_shipment_event_import_views.xml",
        "views/sale_portal_templates.xml",
        "views/menus.xml",
    ],
    "installable": True,
}
