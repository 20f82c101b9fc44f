{
    "name": "Order Management Reports",
    "summary": "Rankings of products, customers, orders, countries, brands, categories, "
    "channels and days, with dashboard and XLSX export",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "author": "OMS Team",
    "license": "LGPL-3",
    "depends": ["oms_extended", "product_brand", "report_xlsx"],
    "data": [
        "security/ir.model.access.csv",
        "views/product_brand_views.xml",
        "views/menus.xml",
    ],
    "installable": True,
}
