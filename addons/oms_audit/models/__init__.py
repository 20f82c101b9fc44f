# The abstract models first: the models below inherit from them.
from . import oms_audit_document_mixin  # isort: split

from . import (
    account_move,
    base,
    ir_actions_report,
    mail_thread,
    oms_audit_model,
    oms_document_log,
    oms_document_log_purge,
    oms_document_stage,
    purchase_order,
    sale_order,
    stock_picking,
)
