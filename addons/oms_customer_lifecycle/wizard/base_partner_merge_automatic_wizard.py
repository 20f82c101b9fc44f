from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Merging customers merges their lifecycle figures."""

    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        res = super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        survivors = self.env["res.partner"].browse(partner_ids).exists().commercial_partner_id
        if survivors:
            orders = (
                # sudo: only the companies of the merged customer's orders are used, to
                # rewrite its figures there (nothing is shown); Odoo checked the merge itself
                self.env["sale.order"].sudo().search([("partner_id", "child_of", survivors.ids)])
            )
            # sudo: figures written in SQL, for the merged customer only
            stats = self.env["oms.customer.stat"].sudo()
            for company in orders.company_id:
                stats.with_company(company)._oms_compute_lifecycle(company, survivors.ids)
        return res
