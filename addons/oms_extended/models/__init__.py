from . import (
    account_bank_statement_line,
    account_move,
    account_payment,
    oms_workflow,
    payment_transaction,
    sale_order,
    sale_order_automation,
    sale_order_cod,
    sale_order_payment,
    sale_order_refund,
    sale_order_transaction,
    stock_picking,
)
