from odoo import fields, models

from .sale_order_automation import AUTOMATION_CTX


class AccountMove(models.Model):
    _inherit = "account.move"

    oms_to_post = fields.Boolean(
        string="To Post by the Automation",
        copy=False,
        readonly=True,
        help="A customer invoice the order automation created and will post. Cleared when "
        "the invoice is posted, by anyone: the automation never posts a move again that "
        "someone reset to draft.",
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted.filtered("oms_to_post").oms_to_post = False
        if self.env.context.get(AUTOMATION_CTX):
            # The automation reconciles the whole batch in its own step.
            return posted
        # Event: a posted customer invoice gets the order's collected payments.
        orders = posted.filtered(
            lambda m: m.move_type == "out_invoice"
        ).line_ids.sale_line_ids.order_id
        orders.filtered(lambda o: o.oms_workflow_id.reconcile_payments)._oms_reconcile_payments()
        return posted
