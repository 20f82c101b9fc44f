from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        customer_moves = self.filtered(
            lambda p: (
                p.state == "done"
                and p.sale_id
                and "customer" in (p.location_dest_id.usage, p.location_id.usage)
            )
        )
        # Superuser, for whoever validates the transfer (a storekeeper has no rights on
        # payments and invoices), because these act for the company and the user chooses
        # nothing in them: cash on delivery records the value the transfer carried in the
        # company's cash journal, and a return cancels only what is not in the books yet
        # (no refund, no lock date); the automation runs the steps of the order's rule, set
        # by OMS managers. Only the orders of the validated transfers are reached.
        orders = customer_moves.sale_id.sudo()
        # Cash on delivery: the carrier collected the value delivered (or brought it back).
        orders._oms_settle_cash_on_delivery()
        # Event: a done delivery runs the order's automation at once.
        orders._oms_mark_for_automation()
        orders._oms_run_automation()
        return res
