from odoo import api, fields, models

from ..shipment_status import SHIPMENT_STATUSES, STATUS_RANK


class SaleOrder(models.Model):
    """Shipments: the order's shipments and their delivery status; the order status knows
    the goods are on their way (shipped) from the carrier's tracking number."""

    _inherit = "sale.order"

    oms_shipment_ids = fields.One2many("oms.shipment", "sale_id", string="Shipments")
    oms_shipment_count = fields.Integer(
        string="Shipment Count", compute="_compute_oms_shipment_status"
    )
    oms_shipment_status = fields.Selection(
        SHIPMENT_STATUSES,
        string="Shipment Status",
        compute="_compute_oms_shipment_status",
        help="A problem (exception, returned) of any shipment; otherwise the status of the "
        "least advanced shipment.",
    )

    @api.depends("picking_ids.carrier_tracking_ref")
    def _compute_oms_state(self):
        # Adds the carrier's tracking number to the dependencies of the order status.
        return super()._compute_oms_state()

    def _oms_is_in_transit(self, pickings):
        """A done delivery with a carrier tracking number is on its way (shipped) until the
        carrier reports it delivered (``oms_delivered``)."""
        self.ensure_one()
        return super()._oms_is_in_transit(pickings) or any(
            p.carrier_tracking_ref and p.location_dest_id.usage == "customer" for p in pickings
        )

    @api.depends("oms_shipment_ids.status")
    def _compute_oms_shipment_status(self):
        for order in self:
            statuses = order.oms_shipment_ids.mapped("status")
            order.oms_shipment_count = len(statuses)
            problems = [s for s in statuses if s not in STATUS_RANK]
            if problems:
                order.oms_shipment_status = "exception" if "exception" in problems else problems[0]
            elif statuses:
                order.oms_shipment_status = min(statuses, key=STATUS_RANK.get)
            else:
                order.oms_shipment_status = False

    def action_oms_view_shipments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("oms_shipping.action_oms_shipment")
        action["domain"] = [("sale_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
