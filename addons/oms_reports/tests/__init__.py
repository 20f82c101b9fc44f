from . import (
    test_agreement,
    test_dashboard_xlsx,
    test_lithuanian,
    test_menus,
    test_rankings,
    test_read_only_requests,
    test_refresh,
    test_report_inputs,
    test_sales_dashboard,
    test_schedule,
    test_security,
    test_ui,
)
