from . import oms_customer_acquisition_report
