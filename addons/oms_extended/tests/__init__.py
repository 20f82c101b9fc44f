from . import (
    test_automation,
    test_cash_on_delivery,
    test_concurrency_errors,
    test_live_database,
    test_menus,
    test_money_rights,
    test_multi_company,
    test_order_status,
    test_other_staff,
    test_payment_collection,
    test_portal_payment,
    test_security,
)
