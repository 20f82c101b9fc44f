from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def signup_prepare(self, signup_type="signup"):
        """Odoo writes the signup type of every recipient of a notification that carries a
        portal link, even when it is that type already: the write changes nothing but the
        partner's write date, yet two transactions notifying the same customer at once (the
        automation's batches on several job workers) then fail on that row with a
        serialization error. The partners whose type is already ``signup_type`` are left
        out; the others are written as Odoo does."""
        # sudo: the type is readable by administrators only; it is read to compare, and the
        # write goes through super() as the caller.
        todo = self.filtered(lambda partner: partner.sudo().signup_type != signup_type)
        return super(ResPartner, todo).signup_prepare(signup_type)
