"""POST /oms/carrier/<code>/webhook: signed, fresh, well-formed requests only; a rejected
request stores nothing, an event sent twice is stored once."""

import time

from odoo.tests import HttpCase, tagged

from .common_shipment import body_of, event, make_order, setup_shipping, sign


@tagged("post_install", "-at_install")
class TestCarrierWebhook(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_shipping(cls)
        cls.order = make_order(cls, tracking="WH100", validate=True)
        cls.shipment = cls.order.oms_shipment_ids
        cls.url = "/oms/carrier/fastparcel/webhook"
        cls.Event = cls.env["oms.shipment.event"]

    def _post(self, body, headers, url=None):
        return self.url_open(url or self.url, data=body, headers=headers)

    def _count(self):
        return self.Event.search_count([("carrier_id", "=", self.carrier.id)])

    def test_valid_event_is_stored_and_moves_the_shipment(self):
        body = body_of(event("WH100", "in_transit", "2026-03-01T10:00:00Z", event_id="e-1"))
        response = self._post(body, sign(body))
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(
            response.json(), {"received": 1, "stored": 1, "duplicates": 0, "unmatched": 0}
        )
        self.assertEqual(self.shipment.status, "in_transit")
        self.assertEqual(self.shipment.event_ids.source, "webhook")
        # A "sha256=" prefixed signature is accepted too.
        body = body_of({"events": [event("WH100", "delivered", "2026-03-02T10:00:00Z")]})
        headers = sign(body)
        headers["X-OMS-Signature"] = "sha256=" + headers["X-OMS-Signature"]
        self.assertEqual(self._post(body, headers).status_code, 200)
        self.assertEqual(self.shipment.status, "delivered")
        self.assertTrue(self.order.oms_delivered)

    def test_duplicate_is_stored_once(self):
        payload = [
            event("WH100", "picked_up", "2026-03-01T08:00:00Z"),
            event("WH100", "in_transit", "2026-03-01T10:00:00Z", event_id="e-2"),
        ]
        body = body_of(payload)
        first = self._post(body, sign(body))
        self.assertEqual(first.json()["stored"], 2)
        again = self._post(body, sign(body))
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.json()["duplicates"], 2)
        self.assertEqual(again.json()["stored"], 0)
        self.assertEqual(self._count(), 2)

    def test_bad_signature_is_401_and_stores_nothing(self):
        body = body_of(event("WH100", "in_transit", "2026-03-01T10:00:00Z"))
        cases = {
            "wrong secret": sign(body, secret="not-the-secret"),
            "body changed": sign(body_of(event("WH100", "delivered", "2026-03-01"))),
            "no signature": {k: v for k, v in sign(body).items() if k != "X-OMS-Signature"},
            "no timestamp": {k: v for k, v in sign(body).items() if k != "X-OMS-Timestamp"},
        }
        for case, headers in cases.items():
            with self.subTest(case):
                response = self._post(body, headers)
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response.json()["error"]["code"], "unauthorized")
                self.assertTrue(response.json()["error"]["message"])
        self.assertEqual(self._count(), 0)
        self.assertEqual(self.shipment.status, "label_created")

    def test_stale_timestamp_is_401(self):
        body = body_of(event("WH100", "in_transit", "2026-03-01T10:00:00Z"))
        for offset in (-310, 310, -3600):
            with self.subTest(offset=offset):
                headers = sign(body, timestamp=int(time.time()) + offset)
                response = self._post(body, headers)
                self.assertEqual(response.status_code, 401)
                self.assertIn("window", response.json()["error"]["message"])
        self.assertEqual(self._count(), 0)

    def test_malformed_json_is_400(self):
        for body in (b'{"tracking_number": ', b"[]", b'"text"', b"\xff\xfe"):
            with self.subTest(body=body):
                response = self._post(body, sign(body))
                self.assertEqual(response.status_code, 400)
                self.assertIn(response.json()["error"]["code"], ("invalid_json", "invalid_events"))
        # One bad event in a batch: the whole request is refused, nothing stored.
        body = body_of(
            [
                event("WH100", "in_transit", "2026-03-01T10:00:00Z"),
                event("WH100", "teleported", "2026-03-01T11:00:00Z"),
            ]
        )
        response = self._post(body, sign(body))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"]["code"], "invalid_event")
        self.assertIn("teleported", response.json()["error"]["message"])
        self.assertEqual(self._count(), 0)

    def test_unknown_tracking_number_is_202_and_matched_later(self):
        body = body_of(event("WH-LATER", "picked_up", "2026-03-01T10:00:00Z"))
        response = self._post(body, sign(body))
        self.assertEqual(response.status_code, 202)
        self.assertEqual(response.json()["unmatched"], 1)
        self.assertEqual(self._count(), 1)
        again = self._post(body, sign(body))
        self.assertEqual(again.status_code, 202, "still waiting for its tracking number")
        self.assertEqual(again.json()["duplicates"], 1)
        self.assertEqual(self._count(), 1)
        order = make_order(self, tracking="WH-LATER")
        self.assertEqual(order.oms_shipment_ids.status, "picked_up")

    def test_unknown_carrier_is_404(self):
        body = body_of(event("WH100", "in_transit", "2026-03-01T10:00:00Z"))
        response = self._post(body, sign(body), url="/oms/carrier/nobody/webhook")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["error"]["code"], "unknown_carrier")

    def test_carrier_without_secret_is_401(self):
        self.carrier.oms_webhook_secret = False
        body = body_of(event("WH100", "in_transit", "2026-03-01T10:00:00Z"))
        response = self._post(body, sign(body))
        self.assertEqual(response.status_code, 401)
        self.assertEqual(self._count(), 0)

    def test_exception_alerts_the_salesperson_once(self):
        for i, description in enumerate(("Damaged", "Still damaged")):
            body = body_of(
                event("WH100", "exception", f"2026-03-0{i + 1}T10:00:00Z", description=description)
            )
            self.assertEqual(self._post(body, sign(body)).status_code, 200)
        self.assertEqual(self.order.oms_state, "exception")
        self.assertIn("Damaged", self.order.oms_exception_reason)
        self.assertEqual(len(self.order.activity_ids), 1)
        self.assertEqual(self.order.activity_ids.user_id, self.salesperson)
        self.assertEqual(self.shipment.message_ids[:1].author_id, self.env.ref("base.partner_root"))
