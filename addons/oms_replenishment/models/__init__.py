from . import (
    oms_demo,
    oms_reorder_line,
    oms_reorder_policy,
    oms_reorder_policy_compute,
    oms_reorder_policy_statistics,
    stock_warehouse_orderpoint,
)
