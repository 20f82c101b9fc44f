from . import (
    crm_lead,
    oms_customer_rfm_threshold,
    oms_customer_segment_history,
    oms_customer_stat,
    oms_customer_stat_nightly,
    oms_demo,
    res_company,
    res_config_settings,
    res_partner_lifecycle,
    sale_order_lifecycle,
)
