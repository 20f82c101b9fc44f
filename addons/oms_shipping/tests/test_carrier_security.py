"""Who may do what with carriers and tracking, tried as each user: only system
administrators set the polling URL, only OMS managers read raw carrier payloads, only users
who may write shipments poll them (with their own rights), and tracking events stay in the
carrier's company."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common_shipment import (
    TRACKING_URL,
    FakeCarrierHTTP,
    event,
    json_answer,
    make_order,
    setup_shipping,
)


@tagged("post_install", "-at_install")
class TestCarrierSecurity(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        setup_shipping(cls)
        users = {
            "storekeeper": "stock.group_stock_user",
            "salesperson": "sales_team.group_sale_salesman",
            "oms_user": "oms_extended.group_oms_user",
            "oms_manager": "oms_extended.group_oms_manager",
            "sysadmin": "base.group_system,stock.group_stock_manager",
        }
        for name, groups in users.items():
            setattr(cls, name, new_test_user(cls.env, login=f"carrier_{name}", groups=groups))
        assert not cls.sysadmin.has_group("oms_extended.group_oms_manager")
        assert not cls.oms_manager.has_group("base.group_system")
        cls.shipment = make_order(cls, tracking="SEC1", validate=True).oms_shipment_ids
        cls.Event = cls.env["oms.shipment.event"]

    def _as(self, user, record):
        return record.with_user(user).with_context(allowed_company_ids=user.company_ids.ids)

    # ------------------------------------------------------------------ polling URL

    def test_only_administrators_set_the_polling_url(self):
        with FakeCarrierHTTP():
            for user in (self.oms_manager, self.oms_user, self.storekeeper):
                with self.subTest(user=user.login):
                    with self.assertRaises(AccessError):
                        self._as(user, self.carrier).write(
                            {"oms_tracking_url_template": TRACKING_URL}
                        )
                    # Not through code running as superuser for them either.
                    with self.assertRaises(AccessError):
                        self._as(user, self.carrier).sudo().write(
                            {"oms_tracking_url_template": TRACKING_URL}
                        )
            # An OMS manager still configures the rest of the carrier's tracking.
            self._as(self.oms_manager, self.carrier).write(
                {"oms_tracking_timeout": 5, "oms_notify_customer": True}
            )
            with self.assertRaises(AccessError):
                self._as(self.oms_manager, self.carrier).read(["oms_tracking_url_template"])
            self.assertNotIn(
                "oms_tracking_url_template",
                self._as(self.oms_manager, self.carrier).fields_get(),
            )
            # A system administrator sets it (no OMS group needed).
            self._as(self.sysadmin, self.carrier).write({"oms_tracking_url_template": TRACKING_URL})
        self.assertEqual(self.carrier.oms_tracking_url_template, TRACKING_URL)
        # A copy of the carrier does not take the URL along.
        self.assertFalse(self.carrier.copy({"oms_code": "fastparcel2"}).oms_tracking_url_template)

    def test_carrier_form_shows_each_user_their_fields(self):
        view = self.env.ref("delivery.view_delivery_carrier_form")
        forms = {
            user: self._as(user, self.env["delivery.carrier"]).get_views([(view.id, "form")])
            for user in (self.oms_manager, self.sysadmin)
        }
        manager = forms[self.oms_manager]["views"]["form"]["arch"]
        admin = forms[self.sysadmin]["views"]["form"]["arch"]
        self.assertIn('name="oms_webhook_secret"', manager)
        self.assertNotIn('name="oms_tracking_url_template"', manager)
        self.assertIn('name="oms_tracking_url_template"', admin)
        self.assertNotIn('name="oms_webhook_secret"', admin)

    # ------------------------------------------------------------------ raw payloads

    def test_only_oms_managers_read_raw_payloads(self):
        self.Event.sudo()._oms_ingest(
            self.carrier, [event("SEC1", "in_transit", "2026-03-01T10:00:00Z", secret="x1")]
        )
        stored = self.shipment.event_ids
        self.assertIn("x1", stored.raw_payload)
        for user in (self.storekeeper, self.salesperson, self.oms_user):
            with self.subTest(user=user.login):
                mine = self._as(user, stored)
                self.assertEqual(mine.read(["status"])[0]["status"], "in_transit")
                with self.assertRaises(AccessError):
                    mine.read(["raw_payload"])
                with self.assertRaises(AccessError):
                    self._as(user, self.Event).search([("raw_payload", "ilike", "x1")])
        self.assertIn(
            "x1", self._as(self.oms_manager, stored).read(["raw_payload"])[0]["raw_payload"]
        )
        event_form = self.env.ref("oms_shipping.oms_shipment_event_view_form")
        Events = self.env["oms.shipment.event"]
        user_arch = self._as(self.oms_user, Events).get_views([(event_form.id, "form")])
        manager_arch = self._as(self.oms_manager, Events).get_views([(event_form.id, "form")])
        self.assertNotIn("raw_payload", user_arch["views"]["form"]["arch"])
        self.assertIn("raw_payload", manager_arch["views"]["form"]["arch"])

    def test_oms_user_import_stores_the_payload_unread(self):
        """An OMS user's own import stores each event's payload, which they cannot read."""
        result = self._as(self.oms_user, self.Event)._oms_ingest(
            self.carrier, [event("SEC1", "picked_up", "2026-03-01T08:00:00Z")], source="import"
        )
        self.assertEqual(result["stored"], 1)
        stored = self.shipment.event_ids
        self.assertEqual(stored.create_uid, self.oms_user)
        self.assertIn("picked_up", stored.raw_payload)

    # ------------------------------------------------------------------ Fetch Tracking

    def test_fetch_tracking_takes_the_right_to_write_shipments(self):
        with FakeCarrierHTTP():
            self.carrier.oms_tracking_url_template = TRACKING_URL
        answer = json_answer([{"status": "in_transit", "time": "2026-03-01T10:00:00Z"}])
        for user in (self.storekeeper, self.salesperson):
            with self.subTest(user=user.login):
                shipment = self._as(user, self.shipment)
                self.assertEqual(shipment.status, "label_created", "they read shipments")
                with FakeCarrierHTTP(lambda url: answer) as http:
                    with self.assertRaises(AccessError):
                        shipment.action_poll_now()
                self.assertEqual(http.hits, [], "nothing requested for them")
        self.assertFalse(self.shipment.event_ids)
        self.assertFalse(self.shipment.last_poll_date)
        # An OMS user polls, with their own rights: the events are theirs, and the carrier's
        # polling state is updated although they may not edit carriers.
        with FakeCarrierHTTP(lambda url: answer) as http:
            self._as(self.oms_user, self.shipment).action_poll_now()
        self.assertEqual(len(http.hits), 1)
        self.assertEqual(self.shipment.status, "in_transit")
        self.assertEqual(self.shipment.event_ids.create_uid, self.oms_user)
        self.assertTrue(self.shipment.last_poll_date)
        with self.assertRaises(AccessError):
            self._as(self.oms_user, self.carrier).write({"oms_poll_failures": 0})
        with FakeCarrierHTTP(lambda url: (503, {}, b"down")):
            with self.assertRaises(UserError) as caught:
                self._as(self.oms_user, self.shipment).action_poll_now()
        self.assertIn("503", str(caught.exception))
        self.assertNotIn("tracking.example.com", str(caught.exception), "the URL is not shown")


@tagged("post_install", "-at_install")
class TestCarrierCompanies(TransactionCase):
    """Two companies with the same tracking numbers: events go to the carrier's company only,
    never to a shipment without a carrier, and a waiting event is its carrier's company's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        setup_shipping(cls)  # cls.carrier: shared by all companies
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Carrier Company B"})
        cls.carrier_a = cls._company_carrier(cls.company_a, "carrier-a")
        cls.carrier_b = cls._company_carrier(cls.company_b, "carrier-b")
        cls.user_a = new_test_user(
            cls.env,
            login="carrier_stock_a",
            groups="stock.group_stock_user",
            company_id=cls.company_a.id,
            company_ids=[(6, 0, cls.company_a.ids)],
        )
        cls.user_b = new_test_user(
            cls.env,
            login="carrier_stock_b",
            groups="stock.group_stock_user",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.Event = cls.env["oms.shipment.event"]

    @classmethod
    def _company_carrier(cls, company, code):
        product = cls.env["product.product"].create(
            {"name": f"Delivery {code}", "type": "service", "company_id": company.id}
        )
        return cls.env["delivery.carrier"].create(
            {"name": code, "product_id": product.id, "oms_code": code, "delivery_type": "fixed"}
        )

    def _shipment(self, company, number, carrier=None):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        picking = (
            self.env["stock.picking"]
            .with_company(company)
            .create(
                {
                    "picking_type_id": warehouse.out_type_id.id,
                    "partner_id": self.ship_customer.id,
                    "carrier_id": carrier.id if carrier else False,
                    "carrier_tracking_ref": number,
                }
            )
        )
        return picking.oms_shipment_ids

    def _ingest(self, carrier, number, status="in_transit"):
        # As the webhook does: OdooBot, for the authenticated carrier.
        return self.Event.sudo()._oms_ingest(
            carrier, [event(number, status, "2026-03-01T10:00:00Z")]
        )

    def test_same_number_in_two_companies(self):
        ship_a = self._shipment(self.company_a, "MC-1", self.carrier_a)
        ship_b = self._shipment(self.company_b, "MC-1", self.carrier_b)
        self._ingest(self.carrier_b, "MC-1")
        self.assertEqual(ship_b.status, "in_transit")
        self.assertEqual(ship_a.status, "label_created")
        self.assertEqual(ship_b.event_ids.company_id, self.company_b)
        # A carrier of all companies with the number in both: neither gets it.
        shared_a = self._shipment(self.company_a, "MC-2", self.carrier)
        shared_b = self._shipment(self.company_b, "MC-2", self.carrier)
        result = self._ingest(self.carrier, "MC-2")
        self.assertEqual(result["unmatched"], 1)
        self.assertFalse(shared_a.event_ids | shared_b.event_ids)

    def test_never_to_a_shipment_without_carrier(self):
        no_carrier = self._shipment(self.company_a, "MC-3")
        self.assertTrue(no_carrier)
        self.assertFalse(no_carrier.carrier_id)
        result = self._ingest(self.carrier_a, "MC-3")
        self.assertEqual(result["unmatched"], 1)
        self.assertFalse(no_carrier.event_ids)
        # Nor when the shipment without a carrier appears after the event.
        self._ingest(self.carrier_a, "MC-4")
        late = self._shipment(self.company_b, "MC-4")
        self.assertFalse(late.event_ids)
        self.assertEqual(late.status, "label_created")
        # The shipment of that carrier, when it comes, gets it.
        waiting = self.Event.search([("tracking_number", "=", "MC-3")])
        no_carrier.picking_id.carrier_id = self.carrier_a
        self.assertEqual(waiting.shipment_id, no_carrier)
        self.assertEqual(no_carrier.status, "in_transit")

    def test_waiting_events_belong_to_the_carriers_company(self):
        self._ingest(self.carrier_a, "MC-5")
        waiting = self.Event.search([("tracking_number", "=", "MC-5")])
        self.assertFalse(waiting.shipment_id)
        self.assertEqual(waiting.company_id, self.company_a)
        Event_a = self.Event.with_user(self.user_a)
        Event_b = self.Event.with_user(self.user_b)
        self.assertEqual(Event_a.search([("tracking_number", "=", "MC-5")]), waiting)
        self.assertFalse(Event_b.search([("tracking_number", "=", "MC-5")]))
        # Company B's shipment of its own carrier with that number does not take it.
        ship_b = self._shipment(self.company_b, "MC-5", self.carrier_b)
        self.assertFalse(ship_b.event_ids)
        self.assertFalse(waiting.shipment_id)
        # Company A's does.
        ship_a = self._shipment(self.company_a, "MC-5", self.carrier_a)
        self.assertEqual(waiting.shipment_id, ship_a)
        self.assertEqual(waiting.company_id, self.company_a)
        # A waiting event of a carrier of all companies is visible to both.
        self._ingest(self.carrier, "MC-6")
        self.assertTrue(Event_b.search([("tracking_number", "=", "MC-6")]))
