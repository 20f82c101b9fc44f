# The abstract models first, then the access log: the models below inherit from them.
from . import oms_audit_document_mixin  # isort: split

from . import oms_document_log  # isort: split

from . import (
    account_move,
    base,
    base_read,
    ir_actions_report,
    mail_thread,
    oms_audit_model,
    oms_demo,
    oms_document_log_chain,
    oms_document_log_change,
    oms_document_log_insert,
    oms_document_log_purge,
    oms_document_log_retention,
    oms_document_stage,
    purchase_order,
    sale_order,
    stock_picking,
)
