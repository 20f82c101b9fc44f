{
    "name": "Order Management Reports",
    "summary": "Rankings of products, customers, orders, countries, brands, categories, "
    "channels and days, with dashboard and XLSX export",
    "version": "19.0.1.6.0",
    "category": "Sales/Sales",
    "author": "OMS Team",
    "license": "LGPL-3",
    "depends": ["oms_extended", "sale_margin", "product_brand", "report_xlsx"],
    "demo": ["demo/oms_reports_demo.xml"],
    "data": [
        "security/ir.model.access.csv",
        "security/oms_reports_security.xml",
        "data/oms_report_ranking_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/product_brand_views.xml",
        "views/oms_report_line_views.xml",
        "views/oms_report_order_views.xml",
        "report/oms_report_actions.xml",
        "views/oms_report_dashboard_views.xml",
        "views/oms_report_schedule_views.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "oms_reports/static/src/**/*",
            ("remove", "oms_reports/static/src/pivot/**"),
        ],
        # the pivot view is lazy loaded by the web client (as crm's forecast pivot)
        "web.assets_backend_lazy": [
            "oms_reports/static/src/pivot/**",
        ],
        "web.assets_tests": [
            "oms_reports/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "_oms_reports_post_init",
    "uninstall_hook": "_oms_reports_uninstall",
    "installable": True,
}
