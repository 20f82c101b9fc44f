from . import (
    delivery_carrier,
    delivery_carrier_webhook,
    oms_carrier_webhook_request,
    oms_demo,
    oms_shipment,
    oms_shipment_event,
    sale_order_shipment,
    stock_picking_shipment,
)
