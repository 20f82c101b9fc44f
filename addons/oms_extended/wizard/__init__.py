from . import (
    account_payment_register,
    base_partner_merge_automatic_wizard,
    oms_order_payment,
    oms_shipment_event_import,
)
