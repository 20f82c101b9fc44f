"""Shipments: created with the delivery (as a plain inventory user too), status machine over
out-of-order and duplicate events, waiting events, order status and alerts."""

import base64
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from ..shipment_status import fold_statuses, normalise_status
from .common_shipment import ShipmentCase, event, make_order


def no_commit(self, processed=0, *, remaining=None, deactivate=False):
    return float("inf")


@tagged("post_install", "-at_install")
class TestShipment(ShipmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        assert not cls.storekeeper.has_group("oms_extended.group_oms_user")
        cls.Event = cls.env["oms.shipment.event"]

    def _ingest(self, *events, carrier=None):
        return self.Event.sudo()._oms_ingest(carrier or self.carrier, list(events))

    def test_status_rules(self):
        self.assertEqual(fold_statuses(["in_transit", "picked_up"]), "in_transit")
        self.assertEqual(fold_statuses(["delivered", "in_transit"]), "delivered")
        self.assertEqual(fold_statuses(["delivered", "exception"]), "exception")
        self.assertEqual(fold_statuses(["exception", "out_for_delivery"]), "out_for_delivery")
        self.assertEqual(
            fold_statuses(["in_transit", "exception", "picked_up"]),
            "exception",
            "an older step after an exception does not clear it",
        )
        self.assertEqual(fold_statuses(["returned", "delivered"]), "returned")
        self.assertEqual(fold_statuses([None, "picked_up", None]), "picked_up")
        self.assertEqual(normalise_status("Out for delivery"), "out_for_delivery")
        self.assertEqual(normalise_status("RETURN_TO_SENDER"), "returned")
        self.assertIsNone(normalise_status("teleported"))

    def test_storekeeper_outside_oms_validates_and_gets_a_shipment(self):
        order = make_order(self, tracking=None)
        picking = order.picking_ids.with_user(self.storekeeper)
        self.env.invalidate_all()
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        self.assertIs(picking.button_validate(), True)
        self.assertEqual(picking.state, "done")
        shipment = order.oms_shipment_ids
        self.assertEqual(len(shipment), 1)
        self.assertEqual(shipment.picking_id, order.picking_ids)
        self.assertEqual(shipment.status, "label_created")
        self.assertEqual(shipment.carrier_id, self.carrier)
        self.assertEqual(shipment.company_id, order.company_id)
        # The storekeeper adds the tracking number afterwards: the same shipment gets it.
        picking.carrier_tracking_ref = "FP100"
        self.assertEqual(order.oms_shipment_ids, shipment)
        self.assertEqual(shipment.tracking_ref, "FP100")
        # ...and can read it (Inventory users read shipments).
        self.assertEqual(shipment.with_user(self.storekeeper).status, "label_created")

    def test_tracking_number_creates_the_shipment_before_validation(self):
        order = make_order(self, tracking="FP200")
        self.assertEqual(order.picking_ids.state, "assigned")
        self.assertEqual(order.oms_shipment_ids.tracking_ref, "FP200")
        self.assertEqual(order.oms_shipment_count, 1)
        self.assertEqual(order.oms_shipment_status, "label_created")

    def test_incoming_and_unshipped_transfers_get_no_shipment(self):
        order = make_order(self)
        self.assertFalse(order.oms_shipment_ids, "not done, no tracking number")
        receipt_type = self.warehouse.in_type_id
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": receipt_type.id,
                "carrier_tracking_ref": "IN-1",
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.warehouse.lot_stock_id.id,
            }
        )
        self.assertFalse(self.env["oms.shipment"].search([("picking_id", "=", receipt.id)]))

    def test_out_of_order_events_follow_the_newest(self):
        order = make_order(self, tracking="FP300", validate=True)
        shipment = order.oms_shipment_ids
        self._ingest(event("FP300", "in_transit", "2026-03-02T10:00:00Z"))
        self._ingest(event("FP300", "picked_up", "2026-03-01T10:00:00Z"))
        self.assertEqual(shipment.status, "in_transit", "a late scan of an older step")
        self._ingest(
            event(
                "FP300",
                "OUT_FOR_DELIVERY",
                "2026-03-03T08:00:00+02:00",
                description="With the driver",
                estimated_delivery="2026-03-03T18:00:00Z",
            )
        )
        self.assertEqual(shipment.status, "out_for_delivery")
        self.assertEqual(shipment.status_date, fields.Datetime.to_datetime("2026-03-03 06:00:00"))
        self.assertEqual(shipment.status_description, "With the driver")
        self.assertEqual(
            shipment.estimated_date, fields.Datetime.to_datetime("2026-03-03 18:00:00")
        )
        self.assertEqual(shipment.event_count, 3)

    def test_duplicate_events_are_stored_once(self):
        order = make_order(self, tracking="FP400", validate=True)
        with_id = event("FP400", "in_transit", "2026-03-02T10:00:00Z", event_id="E1")
        result = self._ingest(with_id, dict(with_id))
        self.assertEqual((result["stored"], result["duplicates"]), (1, 1))
        # Same event id, other content (a carrier re-sending): still the same event.
        result = self._ingest(dict(with_id, description="again"))
        self.assertEqual((result["stored"], result["duplicates"]), (0, 1))
        # Without an id, the content decides.
        no_id = event("FP400", "delivered", "2026-03-03T10:00:00Z", description="Front door")
        self.assertEqual(self._ingest(no_id)["stored"], 1)
        self.assertEqual(self._ingest(dict(no_id))["stored"], 0)
        self.assertEqual(self.Event.search_count([("tracking_number", "=", "FP400")]), 2)
        self.assertEqual(order.oms_shipment_ids.event_count, 2)
        # Another carrier may use the same event id.
        other = self.carrier.copy({"oms_code": "otherparcel"})
        self.assertEqual(self._ingest(with_id, carrier=other)["stored"], 1)

    def test_event_waits_for_its_tracking_number(self):
        result = self._ingest(event("FP500", "picked_up", "2026-03-01T10:00:00Z"))
        self.assertEqual(result["unmatched"], 1)
        waiting = self.Event.search([("tracking_number", "=", "FP500")])
        self.assertFalse(waiting.shipment_id)
        order = make_order(self, tracking="FP500")
        self.assertEqual(waiting.shipment_id, order.oms_shipment_ids)
        self.assertEqual(order.oms_shipment_ids.status, "picked_up")

    def test_several_tracking_numbers_on_one_picking(self):
        order = make_order(self, tracking="FP601,FP602", validate=True)
        result = self._ingest(event("FP602", "in_transit", "2026-03-01T10:00:00Z"))
        self.assertEqual(result["unmatched"], 0)
        self.assertEqual(order.oms_shipment_ids.status, "in_transit")

    def test_bad_events_store_nothing(self):
        make_order(self, tracking="FP700", validate=True)
        good = event("FP700", "in_transit", "2026-03-01T10:00:00Z")
        for bad in (
            event("FP700", "teleported", "2026-03-01T10:00:00Z"),
            event("FP700", "in_transit", "yesterday"),
            {"status": "in_transit"},
            "not an object",
        ):
            with self.assertRaises(UserError):
                self._ingest(good, bad)
        self.assertFalse(self.Event.search([("tracking_number", "=", "FP700")]))

    def test_exception_alerts_once_and_puts_the_order_in_exception(self):
        order = make_order(self, tracking="FP800", validate=True)
        self._ingest(event("FP800", "exception", "2026-03-01T10:00:00Z", description="Damaged"))
        self._ingest(event("FP800", "exception", "2026-03-01T12:00:00Z", description="Still"))
        self._ingest(event("FP800", "returned", "2026-03-02T12:00:00Z"))
        self.assertEqual(order.oms_shipment_ids.status, "returned")
        self.assertEqual(order.oms_state, "exception")
        self.assertEqual(order.oms_exception_type, "shipment")
        self.assertIn("FP800", order.oms_exception_reason)
        activities = order.activity_ids
        self.assertEqual(len(activities), 1, "one activity, not one per event")
        self.assertEqual(activities.user_id, self.salesperson)
        self.assertEqual(order.oms_shipment_status, "returned")

    def test_delivered_shipments_mark_the_order_delivered(self):
        order = make_order(self, tracking="FP900", validate=True)
        self.assertEqual(order.oms_state, "shipped")
        self._ingest(event("FP900", "in_transit", "2026-03-01T10:00:00Z"))
        self.assertFalse(order.oms_delivered)
        self._ingest(event("FP900", "delivered", "2026-03-02T10:00:00Z"))
        self.assertTrue(order.oms_delivered)
        self.assertEqual(order.oms_state, "delivered")
        shipment = order.oms_shipment_ids
        self.assertEqual(shipment.delivered_date, fields.Datetime.to_datetime("2026-03-02 10:00"))
        self.assertEqual(order.oms_shipment_status, "delivered")

    def test_late_shipment_alerts_once(self):
        promised = fields.Datetime.now() - timedelta(days=1)
        order = make_order(self, tracking="FP1000", validate=True, commitment_date=promised)
        shipment = order.oms_shipment_ids
        self.assertEqual(shipment.promised_date, promised)
        self.assertTrue(shipment.is_late)
        Shipment = self.env["oms.shipment"]
        self.assertEqual(Shipment.search([("is_late", "=", True)]), shipment)
        self.assertIn(shipment, Shipment.search([("is_late", "=", False)]) | shipment)
        self.assertNotIn(shipment, Shipment.search([("is_late", "=", False)]))
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit):
            Shipment._cron_oms_alert_late_shipments()
            Shipment._cron_oms_alert_late_shipments()
        self.assertTrue(shipment.late_alerted)
        late = order.activity_ids.filtered(lambda a: a.summary == "Shipment late")
        self.assertEqual(len(late), 1)
        self.assertEqual(late.user_id, self.salesperson)
        problems = self.env.ref("oms_shipping.action_oms_shipment_problems")
        self.assertIn("problems", problems.context)

    def test_csv_import_of_events(self):
        order = make_order(self, tracking="FP1100", validate=True)
        csv_text = (
            "tracking_number,status,time,description,location\n"
            "FP1100,picked_up,2026-03-01T09:00:00Z,Picked up,Lyon\n"
            "FP1100,in_transit,2026-03-01T18:00:00Z,Hub,Paris\n"
            "UNKNOWN1,in_transit,2026-03-01T18:00:00Z,Hub,Paris\n"
        )
        oms_user = new_test_user(
            self.env, login="ship_oms_user", groups="oms_extended.group_oms_user"
        )
        Wizard = self.env["oms.shipment.event.import"].with_user(oms_user)
        for _round in range(2):
            wizard = Wizard.create(
                {
                    "carrier_id": self.carrier.id,
                    "file": base64.b64encode(csv_text.encode()),
                }
            )
            wizard.action_import()
        self.assertIn("0 events stored, 3 already known", wizard.result)
        self.assertEqual(order.oms_shipment_ids.status, "in_transit")
        self.assertEqual(order.oms_shipment_ids.event_ids.mapped("location"), ["Paris", "Lyon"])
        bad = Wizard.create(
            {
                "carrier_id": self.carrier.id,
                "file": base64.b64encode(b"tracking_number,status\nFP1100,lost in space\n"),
            }
        )
        with self.assertRaisesRegex(UserError, "Line 2"):
            bad.action_import()

    def test_shipments_of_other_companies_are_hidden(self):
        order = make_order(self, tracking="FP1200", validate=True)
        other_company = self.env["res.company"].create({"name": "Other Shipping Co"})
        outsider = new_test_user(
            self.env,
            login="ship_outsider",
            groups="stock.group_stock_user",
            company_id=other_company.id,
            company_ids=[(6, 0, other_company.ids)],
        )
        shipment = order.oms_shipment_ids
        self._ingest(event("FP1200", "in_transit", "2026-03-01T10:00:00Z"))
        Shipment = self.env["oms.shipment"].with_user(outsider)
        self.assertFalse(Shipment.search([("id", "=", shipment.id)]))
        Event = self.Event.with_user(outsider)
        self.assertFalse(Event.search([("shipment_id", "=", shipment.id)]))
        self.assertTrue(
            self.env["oms.shipment"].with_user(self.storekeeper).search([("id", "=", shipment.id)])
        )

    def test_oms_user_fetches_tracking_now(self):
        order = make_order(self, tracking="FP1300", validate=True)
        oms_user = new_test_user(
            self.env, login="ship_oms_user2", groups="oms_extended.group_oms_user"
        )

        def fetch(carrier, shipments):
            return [{"tracking_number": "FP1300", "status": "picked_up", "event_id": "x1"}]

        Carrier = type(self.env["delivery.carrier"])
        with patch.object(Carrier, "_oms_fixed_fetch_tracking_events", fetch, create=True):
            order.oms_shipment_ids.with_user(oms_user).action_poll_now()
        self.assertEqual(order.oms_shipment_ids.status, "picked_up")
        self.assertTrue(order.oms_shipment_ids.last_poll_date)

    def test_partial_delivery_is_not_marked_delivered(self):
        order = make_order(self, tracking="FP1400")
        order.order_line.product_uom_qty = 2
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        wizard_action = picking.button_validate()
        wizard = self.env[wizard_action["res_model"]].with_context(**wizard_action["context"])
        wizard.create({}).process()
        self.assertEqual(order.delivery_status, "partial")
        self._ingest(event("FP1400", "delivered", "2026-03-02T10:00:00Z"))
        self.assertEqual(order.oms_shipment_ids.status, "delivered")
        self.assertFalse(order.oms_delivered, "a backorder is still to ship")

    def test_customer_email_once_when_enabled(self):
        Mail = self.env["mail.mail"]
        order = make_order(self, tracking="FP1500", validate=True)
        shipment = order.oms_shipment_ids
        self._ingest(event("FP1500", "exception", "2026-03-01T10:00:00Z", description="Lost"))
        self.assertFalse(
            Mail.search([("model", "=", "oms.shipment"), ("res_id", "=", shipment.id)])
        )
        order.action_oms_clear_exception()
        self.carrier.oms_notify_customer = True
        self._ingest(event("FP1500", "in_transit", "2026-03-02T10:00:00Z"))
        self._ingest(event("FP1500", "exception", "2026-03-03T10:00:00Z", description="Damaged"))
        self._ingest(event("FP1500", "exception", "2026-03-03T11:00:00Z", description="Still"))
        mails = Mail.search([("model", "=", "oms.shipment"), ("res_id", "=", shipment.id)])
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, self.ship_customer)
        self.assertIn("Damaged", mails.body_html)
        self.assertIn("FP1500", mails.body_html)

    def test_transfer_created_with_a_tracking_number(self):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "partner_id": self.ship_customer.id,
                "carrier_id": self.carrier.id,
                "carrier_tracking_ref": "FP1600",
            }
        )
        shipment = picking.oms_shipment_ids
        self.assertEqual(shipment.tracking_ref, "FP1600")
        self.assertFalse(shipment.sale_id)
        self._ingest(event("FP1600", "delivered", "2026-03-01T10:00:00Z"))
        self.assertEqual(shipment.status, "delivered")
