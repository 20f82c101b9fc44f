from odoo import models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "oms.audit.document.mixin"]

    def unlink(self):
        # what the documents were, described before the model's own deletion logic runs
        with self._oms_audit_describing_deletion():
            return super().unlink()
