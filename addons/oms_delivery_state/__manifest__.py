{
    "name": "Order Management: OCA Delivery State Bridge",
    "summary": "Carrier states reported by OCA carrier connectors (delivery_state) become "
    "shipment tracking events",
    "version": "19.0.1.1.0",
    "category": "Inventory/Delivery",
    "author": "OMS Team",
    "license": "LGPL-3",
    "depends": ["oms_shipping", "delivery_state"],
    "data": [],
    "auto_install": True,
    "installable": True,
}
