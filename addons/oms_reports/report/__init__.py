from . import oms_report_mixin  # isort: split

from . import oms_report_line, oms_report_order, report_oms_dashboard_xlsx, report_oms_ranking_xlsx
