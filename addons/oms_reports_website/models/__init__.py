from . import oms_report_ranking
