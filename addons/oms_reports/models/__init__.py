from . import (
    account_move,
    oms_fact_mixin,
    oms_report_dashboard,
    oms_report_ranking,
    oms_report_schedule,
    oms_sale_fact,
    oms_sale_order_fact,
    product_template,
    res_partner,
    res_users,
    sale_order,
    sale_order_line,
)
