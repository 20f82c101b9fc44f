from . import oms_document_log_check
