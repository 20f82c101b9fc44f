{
    "name": "Order Management Reports: Website",
    "summary": "Top pages: product pages ranked by views (visitor tracking) and by the "
    "orders that followed",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "author": "OMS Team",
    "license": "LGPL-3",
    "depends": ["oms_reports", "website_sale"],
    "data": [
        "security/ir.model.access.csv",
        "security/oms_reports_website_security.xml",
        "data/oms_report_ranking_data.xml",
        "views/oms_report_page_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
