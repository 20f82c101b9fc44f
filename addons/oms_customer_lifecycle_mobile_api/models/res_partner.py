from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _oms_api_segment(self):
        """The segment of the customer lifecycle, as the Customer 360 tab shows it."""
        return super()._oms_api_segment() or self.oms_segment or None
