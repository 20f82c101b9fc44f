from odoo import fields, models

# OCA delivery_state's carrier states, as our statuses (None: an informational event).
DELIVERY_STATE_STATUS = {
    "shipping_recorded_in_carrier": "label_created",
    "in_transit": "in_transit",
    "canceled_shipment": None,
    "incident": "exception",
    "customer_delivered": "delivered",
    "warehouse_delivered": "returned",
    "no_update": None,
}


class StockPicking(models.Model):
    """A carrier state written by an OCA connector (``tracking_state_update``) becomes a
    tracking event of the transfer's shipment."""

    _inherit = "stock.picking"

    def write(self, vals):
        res = super().write(vals)
        if "delivery_state" in vals or "tracking_state" in vals:
            self._oms_delivery_state_to_events()
        return res

    def _oms_delivery_state_event(self):
        """The event dict of this transfer's current carrier state."""
        self.ensure_one()
        label = dict(self._fields["delivery_state"]._description_selection(self.env)).get(
            self.delivery_state, ""
        )
        description = " - ".join(part for part in (label, self.tracking_state) if part)
        when = (
            self.date_delivered
            if self.delivery_state == "customer_delivered" and self.date_delivered
            else fields.Datetime.now()
        )
        return {
            "tracking_number": self.carrier_tracking_ref or self.name,
            "status": DELIVERY_STATE_STATUS.get(self.delivery_state),
            "time": fields.Datetime.to_string(when) + "+00:00",
            "code": self.delivery_state or None,
            "description": description or None,
        }

    def _oms_delivery_state_to_events(self):
        # sudo (the three below): connectors write carrier states from their cron or for any
        # user who may validate a transfer, who may not write shipments nor events; the event
        # only mirrors the carrier state that was just written on these transfers with the
        # writer's own rights, and goes to these transfers' own shipments.
        pickings = self.sudo().filtered(
            lambda p: p.carrier_id and p.picking_type_code == "outgoing" and p.delivery_state
        )
        Shipment = self.env["oms.shipment"].sudo()
        Event = self.env["oms.shipment.event"].sudo()
        shipments = Shipment._oms_sync_pickings(pickings)
        by_picking = {shipment.picking_id: shipment for shipment in shipments}
        for picking in pickings:
            shipment = by_picking.get(picking)
            if not shipment:
                continue
            event = picking._oms_delivery_state_event()
            last = Event.search(
                [("shipment_id", "=", shipment.id), ("source", "=", "connector")],
                order="id desc",
                limit=1,
            )
            # A connector writes the same state at each poll: only a change is an event.
            if last and (last.carrier_status or None, last.description or None) == (
                event["code"],
                event["description"],
            ):
                continue
            Event._oms_ingest(picking.carrier_id, [event], source="connector", shipment=shipment)
