{
    "name": "Order Management: Audit Trail of the Mobile API",
    "summary": "Bridge: orders fetched through the mobile API are logged as views in the "
    "document audit trail",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "author": "OMS Team",
    "license": "LGPL-3",
    "depends": ["oms_audit", "oms_mobile_api"],
    "auto_install": True,
    "installable": True,
}
