import json

from odoo import api, fields, models


class OmsDemo(models.AbstractModel):
    """Shipments and their carrier tracking events for the demo."""

    _inherit = "oms.demo"

    @api.model
    def _oms_demo_carrier(self):
        """A fixed-price parcel carrier, created once."""
        Carrier = self.env["delivery.carrier"]
        carrier = Carrier.search([("name", "=", "Demo Parcel Service")], limit=1)
        if carrier:
            return carrier
        product = self.env["product.product"].create(
            {"name": "Parcel delivery", "type": "service", "list_price": 5.0}
        )
        return Carrier.create(
            {
                "name": "Demo Parcel Service",
                "delivery_type": "fixed",
                "fixed_price": 5.0,
                "product_id": product.id,
                "allow_cash_on_delivery": True,
            }
        )

    @api.model
    def _oms_demo_track(self, carrier, tracking_ref, steps):
        """The carrier's tracking events for ``tracking_ref``: ``steps`` are (status, hours
        ago, description); stored and applied as a webhook's would be."""
        now = fields.Datetime.now()
        events = [
            {
                "tracking_number": tracking_ref,
                "event_id": f"{tracking_ref}-{index}",
                "status": status,
                "time": fields.Datetime.subtract(now, hours=hours).isoformat(),
                "description": description,
            }
            for index, (status, hours, description) in enumerate(steps)
        ]
        return self.env["oms.shipment.event"]._oms_ingest(carrier, events, source="webhook")

    @api.model
    def _oms_demo_build_shipments(self):
        """Orders shipped with a carrier's tracking number: one on its way (*Shipped* on the
        Order Board), one delivered, one late (past its promised date), one in exception."""
        a, b, c, d, _e = self._oms_demo_customers()
        grinder, kettle, beans = self._oms_demo_products()
        carrier = self._oms_demo_carrier()
        now = fields.Datetime.now()
        # The promised delivery date: in three days, or two days ago for the late one.
        promised = {"commitment_date": fields.Datetime.add(now, days=3)}
        past = {"commitment_date": fields.Datetime.subtract(now, days=2)}
        journeys = [
            (a, [(kettle, 1)], "DEMO0001LT", promised, [("picked_up", 30, "Parcel picked up")]),
            (
                b,
                [(beans, 5)],
                "DEMO0002LT",
                promised,
                [
                    ("picked_up", 50, "Parcel picked up"),
                    ("in_transit", 30, "Arrived at the Kaunas hub"),
                    ("delivered", 4, "Delivered to the recipient"),
                ],
            ),
            (
                c,
                [(grinder, 1)],
                "DEMO0003LT",
                past,
                [
                    ("picked_up", 80, "Parcel picked up"),
                    ("in_transit", 60, "In transit to Klaipėda"),
                ],
            ),
            (
                d,
                [(kettle, 2), (beans, 3)],
                "DEMO0004LT",
                promised,
                [
                    ("picked_up", 40, "Parcel picked up"),
                    ("exception", 6, "Address not found: the courier could not deliver"),
                ],
            ),
        ]
        orders = self.env["sale.order"]
        for partner, lines, tracking_ref, vals, steps in journeys:
            order = self._oms_demo_order(partner, lines, "card", carrier_id=carrier.id, **vals)
            self._oms_demo_pay(order, "card")
            self._oms_demo_deliver(order, tracking_ref=tracking_ref)
            self._oms_demo_track(carrier, tracking_ref, steps)
            orders |= order
        # The late shipment's salesperson is told, as the nightly check does.
        orders.oms_shipment_ids.filtered("is_late")._oms_alert_late()
        self._oms_demo_parked_request(carrier)
        return orders

    @api.model
    def _oms_demo_parked_request(self, carrier):
        """A webhook request cut short in transit: the webhook stores it parked with its
        reason (as it does for a body that is not JSON), for a manager to look at."""
        body = b'{"events": [{"tracking_number": "DEMO0005LT", "status": "in_tra'
        error = None
        try:
            json.loads(body)
        except ValueError as exc:
            error = self.env._("The body is not valid JSON: %(error)s", error=exc)
        return self.env["oms.tracking.inbox"]._oms_store(
            carrier, "DEMO-REQUEST-0005", fields.Datetime.now(), body, error
        )
