from . import (
    test_menus,
    test_reorder,
    test_reorder_lithuanian,
    test_reorder_odoo_lead_days,
    test_reorder_runs,
)
