from odoo import api, fields, models


class StockPicking(models.Model):
    """Shipments: an outgoing transfer gets its shipment when it is done or when it gets a
    carrier tracking number."""

    _inherit = "stock.picking"

    oms_shipment_ids = fields.One2many("oms.shipment", "picking_id", string="Shipments")

    @api.model_create_multi
    def create(self, vals_list):
        pickings = super().create(vals_list)
        pickings.filtered("carrier_tracking_ref")._oms_sync_shipments()
        return pickings

    def _action_done(self):
        res = super()._action_done()
        self._oms_sync_shipments()
        return res

    def write(self, vals):
        res = super().write(vals)
        if "carrier_tracking_ref" in vals or "carrier_id" in vals:
            self._oms_sync_shipments()
        return res

    def _oms_shipment_exception(self, reason):
        """Called by carrier tracking when a shipment goes wrong."""
        self.sale_id._oms_set_exception("shipment", reason)

    def _oms_sync_shipments(self):
        # sudo: whoever validates the transfer or sets its carrier and tracking number (an
        # inventory user outside the OMS groups, a connector) may not write shipments nor read
        # the order's dates; the shipment only mirrors these transfers' fields, which this
        # user just set with their own rights, and takes the carrier's waiting events of that
        # tracking number (same carrier and company).
        self.env["oms.shipment"].sudo()._oms_sync_pickings(self.sudo())
