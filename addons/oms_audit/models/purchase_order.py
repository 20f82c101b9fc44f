from odoo import models


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "oms.audit.document.mixin"]

    def unlink(self):
        # what the documents were, described before the model's own deletion logic runs
        with self._oms_audit_describing_deletion():
            return super().unlink()
