from odoo import fields, models

from .sale_order_automation import AUTOMATION_CTX


class AccountMove(models.Model):
    _inherit = "account.move"

    oms_to_post = fields.Boolean(
        string="To Post by the Automation",
        copy=False,
        readonly=True,
        help="A customer invoice the order automation created and may post. Cleared when "
        "someone resets it to draft: the automation never posts it again.",
    )

    def button_draft(self):
        res = super().button_draft()
        self.filtered("oms_to_post").oms_to_post = False
        return res

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        if self.env.context.get(AUTOMATION_CTX):
            # The automation reconciles the whole batch in its own step.
            return posted
        # Event: a posted customer invoice gets the order's collected payments.
        orders = posted.filtered(
            lambda m: m.move_type == "out_invoice"
        ).line_ids.sale_line_ids.order_id
        orders.filtered(lambda o: o.oms_workflow_id.reconcile_payments)._oms_reconcile_payments()
        return posted
