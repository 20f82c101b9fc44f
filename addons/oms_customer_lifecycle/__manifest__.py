{
    "name": "Order Management: Customer Lifecycle",
    "summary": "Customer figures (RFM, lifetime value), segments and their history, "
    "retention opportunities, the acquisition report and the Customer 360 tab",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "OMS Team",
    "license": "LGPL-3",
    "depends": ["oms_extended", "crm", "sale_crm"],
    "demo": ["demo/oms_customer_lifecycle_demo.xml"],
    "data": [
        "security/ir.model.access.csv",
        "security/oms_customer_lifecycle_rules.xml",
        "data/oms_customer_lifecycle_data.xml",
        "views/oms_customer_stat_views.xml",
        "views/oms_customer_segment_history_views.xml",
        "report/oms_customer_acquisition_report_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "installable": True,
}
