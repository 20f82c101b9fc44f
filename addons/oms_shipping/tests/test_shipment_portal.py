"""The customer sees the tracking timeline of their order's shipments on its portal page."""

from odoo.tests import HttpCase, new_test_user, tagged

from .common_shipment import event, make_order, setup_shipping


@tagged("post_install", "-at_install")
class TestShipmentPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_shipping(cls)
        cls.portal = new_test_user(cls.env, login="oms_ship_portal", groups="base.group_portal")
        cls.ship_customer = cls.portal.partner_id
        cls.order = make_order(cls, tracking="PT100", validate=True)
        cls.env["oms.shipment.event"].sudo()._oms_ingest(
            cls.carrier,
            [
                event("PT100", "picked_up", "2026-03-01T08:00:00Z", description="Parcel collected"),
                event("PT100", "in_transit", "2026-03-01T20:00:00Z", location="Hub Lyon"),
            ],
        )
        cls.other = new_test_user(cls.env, login="oms_ship_portal2", groups="base.group_portal")

    def test_customer_sees_the_timeline(self):
        self.authenticate(self.portal.login, self.portal.login)
        response = self.url_open(f"/my/orders/{self.order.id}")
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn('id="oms_shipment_tracking"', html)
        self.assertIn("PT100", html)
        self.assertIn("Parcel collected", html)
        self.assertIn("Hub Lyon", html)
        self.assertIn("In Transit", html)
        # Newest first.
        self.assertLess(html.index("Hub Lyon"), html.index("Parcel collected"))

    def test_other_customer_does_not(self):
        self.authenticate(self.other.login, self.other.login)
        response = self.url_open(f"/my/orders/{self.order.id}")
        self.assertNotIn("PT100", response.text)
        self.assertNotIn("oms_shipment_tracking", response.text)
