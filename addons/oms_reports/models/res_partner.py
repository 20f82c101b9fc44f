from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        res = super().write(vals)
        if {"country_id", "parent_id", "is_company"}.intersection(vals):
            partners = self | self.child_ids
            self.env["oms.sale.fact"]._mark_dirty(partners=partners.ids)
        return res
