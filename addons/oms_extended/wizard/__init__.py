from . import (
    account_payment_register,
    oms_order_payment,
)
