from odoo import models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def write(self, vals):
        res = super().write(vals)
        if {"categ_id", "product_brand_id"}.intersection(vals):
            self.env["oms.sale.fact"]._mark_dirty(templates=self.ids)
        return res
