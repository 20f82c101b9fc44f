from . import (
    delivery_carrier,
    delivery_carrier_aftership,
    delivery_carrier_tracking_service,
    delivery_carrier_trackingmore,
    delivery_carrier_webhook,
    oms_carrier_webhook_request,
    oms_shipment,
    oms_shipment_event,
    oms_shipment_registration,
    oms_tracking_inbox,
    sale_order_shipment,
    stock_picking_shipment,
)
