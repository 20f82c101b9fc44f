from . import oms_report_page
