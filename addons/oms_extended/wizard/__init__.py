from . import account_payment_register, oms_order_payment, oms_shipment_event_import
