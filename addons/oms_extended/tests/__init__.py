from . import (
    test_automation,
    test_menus,
    test_multi_company,
    test_order_status,
    test_payment_collection,
    test_security,
)
