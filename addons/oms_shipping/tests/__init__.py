from . import (
    test_carrier_http,
    test_carrier_polling,
    test_carrier_security,
    test_carrier_webhook,
    test_menus,
    test_order_status,
    test_service_registration,
    test_shipment,
    test_shipment_lithuanian,
    test_shipment_portal,
    test_tracking_inbox,
    test_tracking_services,
)
