"""OCA delivery_state's carrier states become tracking events of our shipments."""

from odoo.addons.oms_shipping.tests.common_shipment import ShipmentCase, make_order
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestDeliveryStateBridge(ShipmentCase):
    storekeeper_login = "ds_storekeeper"

    def _connector_update(self, picking, state, tracking_state=None):
        """What an OCA connector's ``<type>_tracking_state_update`` writes."""
        picking.write({"delivery_state": state, "tracking_state": tracking_state})

    def test_connector_states_drive_the_shipment(self):
        order = make_order(self, tracking="DS100", validate=True)
        picking = order.picking_ids
        shipment = order.oms_shipment_ids
        self._connector_update(picking, "in_transit", "Arrived at hub")
        self.assertEqual(shipment.status, "in_transit")
        event = shipment.event_ids
        self.assertEqual(event.source, "connector")
        self.assertEqual(event.carrier_status, "in_transit")
        self.assertIn("Arrived at hub", event.description)
        # The connector's next poll writes the same state: no new event.
        self._connector_update(picking, "in_transit", "Arrived at hub")
        self.assertEqual(len(shipment.event_ids), 1)
        self._connector_update(picking, "incident", "Address not found")
        self.assertEqual(shipment.status, "exception")
        self.assertEqual(order.oms_state, "exception")
        self.assertEqual(len(order.activity_ids), 1)
        self._connector_update(picking, "in_transit", "Second attempt")
        self.assertEqual(shipment.status, "in_transit")
        self._connector_update(picking, "customer_delivered")
        self.assertEqual(shipment.status, "delivered")
        self.assertEqual(len(shipment.event_ids), 4)

    def test_warehouse_delivered_is_a_return(self):
        order = make_order(self, tracking="DS200", validate=True)
        self._connector_update(order.picking_ids, "warehouse_delivered")
        self.assertEqual(order.oms_shipment_ids.status, "returned")

    def test_state_set_by_a_plain_inventory_user(self):
        order = make_order(self, tracking="DS300", validate=True)
        picking = order.picking_ids.with_user(self.storekeeper)
        self.env.invalidate_all()
        # delivery_state's send_shipping records the shipment for whoever validates.
        picking.write({"delivery_state": "shipping_recorded_in_carrier"})
        self.assertEqual(order.oms_shipment_ids.status, "label_created")
        self.assertEqual(order.oms_shipment_ids.event_ids.source, "connector")
