from . import (
    account_bank_statement_line,
    account_move,
    account_payment,
    oms_workflow,
    payment_transaction,
    sale_order,
    stock_picking,
)
