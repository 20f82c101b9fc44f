"""POST /oms/carrier/<code>/webhook: signed, fresh requests only, stored first (202) and
processed by the cron; a rejected request stores nothing, an unreadable one is parked, an
event sent twice is stored once."""

import time

from odoo.tests import HttpCase, tagged

from .common_shipment import body_of, event, make_order, process_inbox, setup_shipping, sign


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
        cls.Inbox = cls.env["oms.tracking.inbox"]

    def _post(self, body, headers, url=None):
        return self.url_open(url or self.url, data=body, headers=headers)

    def _count(self):
        return self.Event.search_count([("carrier_id", "=", self.carrier.id)])

    def _requests(self):
        self.env.invalidate_all()
        return self.Inbox.search([("carrier_id", "=", self.carrier.id)], order="id")

    def test_valid_event_is_stored_first_then_moves_the_shipment(self):
        body = body_of(event("WH100", "in_transit", "2026-03-01T10:00:00Z", event_id="e-1"))
        response = self._post(body, sign(body))
        self.assertEqual(response.status_code, 202, response.text)
        self.assertTrue(response.json()["accepted"])
        stored = self._requests()
        self.assertEqual(stored.id, response.json()["request_id"])
        self.assertEqual((stored.state, stored.body), ("new", body.decode()))
        # Nothing is matched nor replayed before the processor runs.
        self.assertEqual(self._count(), 0)
        self.assertEqual(self.shipment.status, "label_created")
        # The processor was woken (a trigger of its cron).
        cron = self.env.ref("oms_shipping.ir_cron_oms_process_tracking_inbox")
        self.assertTrue(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]))
        process_inbox(self.env)
        self.assertEqual(self.shipment.status, "in_transit")
        self.assertEqual(self.shipment.event_ids.source, "webhook")
        self.assertEqual((stored.state, stored.event_count, stored.stored_count), ("done", 1, 1))
        # A "sha256=" prefixed signature is accepted too.
        body = body_of({"events": [event("WH100", "delivered", "2026-03-02T10:00:00Z")]})
        headers = sign(body)
        headers["X-OMS-Signature"] = "sha256=" + headers["X-OMS-Signature"]
        self.assertEqual(self._post(body, headers).status_code, 202)
        process_inbox(self.env)
        self.assertEqual(self.shipment.status, "delivered")
        self.assertTrue(self.order.oms_delivered)

    def test_duplicate_is_stored_once(self):
        payload = [
            event("WH100", "picked_up", "2026-03-01T08:00:00Z"),
            event("WH100", "in_transit", "2026-03-01T10:00:00Z", event_id="e-2"),
        ]
        body = body_of(payload)
        now = int(time.time())
        self.assertEqual(self._post(body, sign(body, timestamp=now)).status_code, 202)
        # Sent again by the carrier (a new delivery: its own timestamp and signature), in
        # the same batch of the processor and in a later one.
        self.assertEqual(self._post(body, sign(body, timestamp=now - 5)).status_code, 202)
        process_inbox(self.env)
        self.assertEqual(self._post(body, sign(body, timestamp=now - 6)).status_code, 202)
        process_inbox(self.env)
        first, second, third = self._requests()
        self.assertEqual((first.state, first.stored_count), ("done", 2))
        self.assertEqual((second.state, second.stored_count), ("duplicate", 0))
        self.assertEqual((third.state, third.stored_count), ("duplicate", 0))
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
        self.assertFalse(self._requests())
        self.assertEqual(self.shipment.status, "label_created")

    def test_stale_timestamp_is_401(self):
        body = body_of(event("WH100", "in_transit", "2026-03-01T10:00:00Z"))
        for offset in (-310, 310, -3600):
            with self.subTest(offset=offset):
                headers = sign(body, timestamp=int(time.time()) + offset)
                response = self._post(body, headers)
                self.assertEqual(response.status_code, 401)
                self.assertIn("window", response.json()["error"]["message"])
        self.assertFalse(self._requests())

    def test_malformed_request_is_parked_never_lost_nor_blocking(self):
        # Not JSON: answered 400 at once, and kept (parked) for a manager to see.
        for body in (b'{"tracking_number": ', b"\xff\xfe"):
            with self.subTest(body=body):
                response = self._post(body, sign(body))
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json()["error"]["code"], "invalid_json")
        # JSON of the wrong shape, or one bad event in a batch: accepted (202), then parked
        # by the processor with its reason; the good request between them goes through.
        bad_batch = body_of(
            [
                event("WH100", "in_transit", "2026-03-01T10:00:00Z"),
                event("WH100", "teleported", "2026-03-01T11:00:00Z"),
            ]
        )
        good = body_of(event("WH100", "picked_up", "2026-03-01T09:00:00Z"))
        for body in (b"[]", good, b'"text"', bad_batch):
            self.assertEqual(self._post(body, sign(body)).status_code, 202)
        process_inbox(self.env)
        requests = self._requests()
        self.assertEqual(
            requests.mapped("state"), ["parked", "parked", "parked", "done", "parked", "parked"]
        )
        self.assertTrue(all(r.error for r in requests.filtered(lambda r: r.state == "parked")))
        self.assertIn("teleported", requests[-1].error)
        self.assertIn('{"events": [...]}', requests[2].error)
        self.assertEqual(requests[1].body, "\\xff\\xfe")
        self.assertEqual(self._count(), 1, "only the good request's event")
        self.assertEqual(self.shipment.status, "picked_up")

    def test_unknown_tracking_number_waits_and_is_matched_later(self):
        body = body_of(event("WH-LATER", "picked_up", "2026-03-01T10:00:00Z"))
        now = int(time.time())
        self.assertEqual(self._post(body, sign(body, timestamp=now)).status_code, 202)
        process_inbox(self.env)
        self.assertEqual(self._count(), 1)
        self.assertFalse(self.Event.search([("tracking_number", "=", "WH-LATER")]).shipment_id)
        self.assertEqual(self._post(body, sign(body, timestamp=now - 5)).status_code, 202)
        process_inbox(self.env)
        self.assertEqual(self._requests()[-1].state, "duplicate")
        self.assertEqual(self._count(), 1)
        order = make_order(self, tracking="WH-LATER")
        self.assertEqual(order.oms_shipment_ids.status, "picked_up")

    def test_unknown_carrier_answers_as_a_bad_signature(self):
        """Nothing tells whether a carrier exists: an unknown code, a carrier without secret
        and a wrong signature get the same status and body."""
        body = body_of(event("WH100", "in_transit", "2026-03-01T10:00:00Z"))
        answers = {
            "unknown carrier": self._post(body, sign(body), url="/oms/carrier/nobody/webhook"),
            "wrong signature": self._post(body, sign(body, secret="guess")),
        }
        self.carrier.oms_webhook_secret = False
        answers["carrier without secret"] = self._post(body, sign(body))
        for case, response in answers.items():
            with self.subTest(case):
                self.assertEqual(response.status_code, 401)
                self.assertEqual(
                    response.json(),
                    {
                        "error": {
                            "code": "unauthorized",
                            "message": "Invalid signature.",
                            "details": {},
                        }
                    },
                )
        self.assertFalse(self._requests())

    def test_replayed_request_is_refused(self):
        body = body_of(event("WH100", "in_transit", "2026-03-01T10:00:00Z", event_id="r-1"))
        now = int(time.time())
        headers = sign(body, timestamp=now)
        self.assertEqual(self._post(body, headers).status_code, 202)
        # The same signed request again, inside the time window: refused, nothing stored;
        # with the prefix or in capitals it is still the same signature.
        variants = [
            headers,
            dict(headers, **{"X-OMS-Signature": "sha256=" + headers["X-OMS-Signature"]}),
            dict(headers, **{"X-OMS-Signature": headers["X-OMS-Signature"].upper()}),
        ]
        for replay in variants:
            response = self._post(body, replay)
            self.assertEqual(response.status_code, 409, response.text)
            self.assertEqual(response.json()["error"]["code"], "replayed_request")
        self.assertEqual(len(self._requests()), 1)
        # Remembered in PostgreSQL (every worker sees it), not in a worker's memory.
        Seen = self.env["oms.carrier.webhook.request"]
        self.assertEqual(Seen.search_count([("carrier_id", "=", self.carrier.id)]), 1)
        # The carrier's own retry, signed anew, is a new request: accepted, the event known.
        self.assertEqual(self._post(body, sign(body, timestamp=now - 5)).status_code, 202)
        process_inbox(self.env)
        self.assertEqual(self._requests().mapped("state"), ["done", "duplicate"])
        self.assertEqual(self._count(), 1)
        # Forgotten once outside the window (they are refused as stale by then).
        Seen.search([]).write({"sent_at": "2020-01-01 00:00:00"})
        Seen._gc_oms_expired_requests()
        self.assertFalse(Seen.search_count([("carrier_id", "=", self.carrier.id)]))

    def test_non_ascii_signature_is_401(self):
        body = body_of(event("WH100", "in_transit", "2026-03-01T10:00:00Z"))
        good = sign(body)
        cases = {
            "latin-1 signature": dict(good, **{"X-OMS-Signature": "\u00e9" * 64}),
            "prefixed": dict(good, **{"X-OMS-Signature": "sha256=" + "\u00e9" * 64}),
            "raw bytes": dict(good, **{"X-OMS-Signature": b"\xc3\xa9" * 32}),
            "arabic digits timestamp": dict(good, **{"X-OMS-Timestamp": b"\xd9\xa1" * 5}),
        }
        for case, headers in cases.items():
            with self.subTest(case):
                response = self._post(body, headers)
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response.json()["error"]["code"], "unauthorized")
        self.assertFalse(self._requests())

    def test_event_without_id_nor_time_is_parked(self):
        """Such an event could only be told apart by the time it was received: sent twice,
        it would be stored twice. It is parked; with an id, or a time, it is accepted."""
        body = body_of(event("WH100", "in_transit", None))
        self.assertEqual(self._post(body, sign(body)).status_code, 202)
        body = body_of(event("WH100", "in_transit", None, event_id="no-time-1"))
        self.assertEqual(self._post(body, sign(body)).status_code, 202)
        body = body_of(event("WH100", "in_transit", None, event_id="no-time-1", description="x"))
        self.assertEqual(self._post(body, sign(body)).status_code, 202)
        process_inbox(self.env)
        parked, done, duplicate = self._requests()
        self.assertEqual(parked.state, "parked")
        self.assertIn("event_id or its time", parked.error)
        self.assertEqual((done.state, duplicate.state), ("done", "duplicate"))
        self.assertEqual(self._count(), 1)

    def test_exception_alerts_the_salesperson_once(self):
        for i, description in enumerate(("Damaged", "Still damaged")):
            body = body_of(
                event("WH100", "exception", f"2026-03-0{i + 1}T10:00:00Z", description=description)
            )
            self.assertEqual(self._post(body, sign(body)).status_code, 202)
            process_inbox(self.env)
        self.assertEqual(self.order.oms_state, "exception")
        self.assertIn("Damaged", self.order.oms_exception_reason)
        self.assertEqual(len(self.order.activity_ids), 1)
        self.assertEqual(self.order.activity_ids.user_id, self.salesperson)
        self.assertEqual(self.shipment.message_ids[:1].author_id, self.env.ref("base.partner_root"))
