from . import (
    oms_reorder_line,
    oms_reorder_policy,
    stock_warehouse_orderpoint,
)
