from odoo import models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "oms.audit.document.mixin"]

    def unlink(self):
        # what the documents were, described before the model's own deletion logic runs
        with self._oms_audit_describing_deletion():
            return super().unlink()
