from odoo import models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "oms.audit.document.mixin"]

    def unlink(self):
        # what the documents were, described before the model's own deletion logic runs
        with self._oms_audit_describing_deletion():
            return super().unlink()
