from . import (
    fastapi_endpoint,
    mail_thread,
    oms_api_idempotency,
    oms_api_rate_limit,
    product_product,
    purchase_order,
    res_lang,
    res_partner,
    res_users_apikeys,
    sale_order,
)
