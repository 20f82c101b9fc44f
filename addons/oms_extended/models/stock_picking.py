from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        delivered = self.filtered(
            lambda p: p.state == "done" and p.sale_id and p.location_dest_id.usage == "customer"
        )
        orders = delivered.sale_id
        # Cash on delivery: the carrier collected the amount due.
        orders._oms_collect_cash_on_delivery()
        # Event: a done delivery runs the order's automation at once.
        orders._oms_mark_for_automation()
        orders._oms_run_automation()
        return res

    def _oms_shipment_exception(self, reason):
        """Called by carrier tracking when a shipment goes wrong."""
        self.sale_id._oms_set_exception("shipment", reason)
