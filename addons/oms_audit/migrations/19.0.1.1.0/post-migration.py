"""19.0.1.1.0: the chain is keyed (HMAC-SHA256) and sealed every minute.

History is not touched: the entries sealed before keep their unkeyed SHA-256 seal and are
verified with it; their last position is recorded, and every entry after it must carry
the keyed seal. The seal cron runs every minute, unless its interval was changed.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})  # the upgrade, no user's request
    env["oms.document.log"]._oms_mark_legacy_chain()
    cron = env.ref("oms_audit.ir_cron_oms_document_log_seal", raise_if_not_found=False)
    if cron and (cron.interval_number, cron.interval_type) == (5, "minutes"):
        cron.interval_number = 1
