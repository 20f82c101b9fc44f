from . import oms_report_mixin  # isort: split

from . import oms_report_line_mixin, oms_report_order_mixin  # isort: split

from . import (
    oms_report_best_seller,
    oms_report_brand,
    oms_report_category,
    oms_report_channel,
    oms_report_country,
    oms_report_customer,
    oms_report_day,
    oms_report_order,
    oms_report_product,
    report_oms_dashboard_xlsx,
)
