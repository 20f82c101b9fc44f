from . import (
    test_auth,
    test_auth_token,
    test_customers,
    test_emails,
    test_errors,
    test_idempotency,
    test_openapi,
    test_orders,
    test_products,
    test_purchase_orders,
    test_query_count,
    test_rate_limit,
)
