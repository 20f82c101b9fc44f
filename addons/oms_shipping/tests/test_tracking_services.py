"""AfterShip and TrackingMore webhooks: payloads written from each service's published
documentation (its fields and example events), signed the way it documents; statuses,
checkpoints, estimated dates and the service's carrier codes mapped to ours."""

import base64
import hashlib
import hmac
import json
import time

from odoo.tests import HttpCase, tagged

from ..models.delivery_carrier_webhook import WebhookRefused
from .common_shipment import make_order, process_inbox, setup_shipping

AS_SECRET = "aftership-webhook-secret"
# TrackingMore's documented example: this secret and timestamp give this signature.
TM_DOC_SECRET = "2e55b9a3-4dd1-4416-9897-c4bd1e3d738f"
TM_DOC_TIMESTAMP = "1662371528"
TM_DOC_SIGNATURE = "a37084ab68ae16b77db1f8463f31be9fcc965e2515e03efecf8139bb1e511b06"


def aftership_payload(number, slug="dpd-lt", event_id="c1b1e2b4-4a0c-4c1e-9d3b-1b0f2a7c9e01"):
    """A ``tracking_update`` as AfterShip documents it (webhook specification: ts, event,
    event_id, is_tracking_first_tag, msg with the tracking and its checkpoints)."""
    return {
        "event": "tracking_update",
        "event_id": event_id,
        "is_tracking_first_tag": True,
        "ts": int(time.time()),
        "msg": {
            "id": "5b7658cec7c33c0e007de3c5",
            "tracking_number": number,
            "slug": slug,
            "active": True,
            "tag": "OutForDelivery",
            "subtag": "OutForDelivery_001",
            "subtag_message": "Out for Delivery",
            "expected_delivery": "2026-03-04T18:00:00+02:00",
            "aftership_estimated_delivery_date": {
                "estimated_delivery_date": "2026-03-03",
                "confidence_score": None,
                "estimated_delivery_date_min": "2026-03-02",
                "estimated_delivery_date_max": "2026-03-04",
            },
            "checkpoints": [
                {
                    "slug": slug,
                    "city": "Kaunas",
                    "country_iso3": "LTU",
                    "country_name": "Lithuania",
                    "location": "Kaunas, LTU",
                    "message": "Parcel data received",
                    "tag": "InfoReceived",
                    "subtag": "InfoReceived_001",
                    "subtag_message": "Info Received",
                    "checkpoint_time": "2026-03-01T08:00:00+02:00",
                    "created_at": "2026-03-01T06:05:00+00:00",
                    "coordinates": [],
                },
                {
                    "slug": slug,
                    "city": "Vilnius",
                    "country_iso3": "LTU",
                    "country_name": "Lithuania",
                    "location": None,
                    "message": "Parcel is out for delivery",
                    "tag": "OutForDelivery",
                    "subtag": "OutForDelivery_001",
                    "subtag_message": "Out for Delivery",
                    "checkpoint_time": "2026-03-02T09:30:00+02:00",
                    "created_at": "2026-03-02T07:35:00+00:00",
                    "coordinates": [],
                },
            ],
        },
    }


def aftership_headers(body, secret=AS_SECRET):
    signature = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    return {"aftership-hmac-sha256": signature.decode(), "Content-Type": "application/json"}


def trackingmore_payload(number, courier="omniva"):
    """A push of TrackingMore's API v4 (code, message, data: the tracking with its
    delivery_status, substatus and the checkpoints of origin_info/destination_info)."""
    return {
        "code": 200,
        "message": "Success",
        "data": {
            "id": "9a2f1bd4c3a24e6c8b1d",
            "tracking_number": number,
            "courier_code": courier,
            "order_number": "S00042",
            "delivery_status": "delivered",
            "substatus": "delivered001",
            "latest_event": "Delivered to the parcel terminal, Vilnius",
            "latest_checkpoint_time": "2026-03-03T14:10:00+02:00",
            "scheduled_delivery_date": "2026-03-03T18:00:00+02:00",
            "origin_info": {
                "courier_code": courier,
                "trackinfo": [
                    {
                        "checkpoint_date": "2026-03-03T14:10:00+02:00",
                        "tracking_detail": "Delivered to the parcel terminal",
                        "location": "Vilnius",
                        "checkpoint_delivery_status": "delivered",
                        "checkpoint_delivery_substatus": "delivered001",
                    },
                    {
                        "checkpoint_date": "2026-03-02T10:00:00+02:00",
                        "tracking_detail": "In transit",
                        "location": "Kaunas",
                        "checkpoint_delivery_status": "transit",
                        "checkpoint_delivery_substatus": "transit001",
                    },
                ],
            },
            "destination_info": {"courier_code": courier, "trackinfo": []},
        },
    }


def trackingmore_headers(secret, timestamp=None):
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = hmac.new(secret.encode(), timestamp.encode(), hashlib.sha256).hexdigest()
    return {"timestamp": timestamp, "signature": signature, "Content-Type": "application/json"}


@tagged("post_install", "-at_install")
class TestTrackingServices(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_shipping(cls)
        # One AfterShip account (its webhook on the DPD delivery method) following DPD and
        # Omniva parcels: the slug of each tracking picks the delivery method.
        cls.carrier.write(
            {
                "name": "DPD Lithuania",
                "oms_code": "aftership",
                "oms_tracking_service": "aftership",
                "oms_webhook_secret": AS_SECRET,
                "oms_service_carrier_code": "dpd-lt",
            }
        )
        cls.dpd = cls.carrier
        cls.omniva = cls.dpd.copy(
            {"name": "Omniva", "oms_code": False, "oms_service_carrier_code": "omniva"}
        )
        cls.dpd_order = make_order(cls, tracking="DPD0001", validate=True)
        cls.carrier = cls.omniva
        cls.omniva_order = make_order(cls, tracking="CC123456789EE", validate=True)
        cls.carrier = cls.dpd

    def _post(self, code, body, headers):
        return self.url_open(f"/oms/carrier/{code}/webhook", data=body, headers=headers)

    def _inbox(self):
        self.env.invalidate_all()
        return self.env["oms.tracking.inbox"].search([], order="id")

    # ------------------------------------------------------------------ AfterShip

    def test_aftership_documented_update(self):
        body = json.dumps(aftership_payload("DPD0001")).encode()
        response = self._post("aftership", body, aftership_headers(body))
        self.assertEqual(response.status_code, 202, response.text)
        process_inbox(self.env)
        shipment = self.dpd_order.oms_shipment_ids
        self.assertEqual(shipment.status, "out_for_delivery")
        events = shipment.event_ids.sorted("event_date")
        self.assertEqual(
            [(str(e.event_date), e.status, e.location, e.description) for e in events],
            [
                ("2026-03-01 06:00:00", "label_created", "Kaunas, LTU", "Parcel data received"),
                (
                    "2026-03-02 07:30:00",
                    "out_for_delivery",
                    "Vilnius, LTU, Lithuania",
                    "Parcel is out for delivery",
                ),
            ],
        )
        self.assertEqual(
            events.mapped("carrier_status"), ["InfoReceived_001", "OutForDelivery_001"]
        )
        # AfterShip's own estimate wins over the carrier's expected_delivery.
        self.assertEqual(str(shipment.estimated_date), "2026-03-03 00:00:00")
        self.assertEqual(self._inbox().state, "done")

    def test_aftership_slug_picks_the_delivery_method(self):
        body = json.dumps(
            aftership_payload("CC123456789EE", slug="omniva", event_id="e-omniva")
        ).encode()
        self.assertEqual(self._post("aftership", body, aftership_headers(body)).status_code, 202)
        process_inbox(self.env)
        shipment = self.omniva_order.oms_shipment_ids
        self.assertEqual(shipment.status, "out_for_delivery")
        self.assertEqual(shipment.event_ids.carrier_id, self.omniva)
        # An unknown slug stays with the webhook's delivery method (its events wait).
        body = json.dumps(aftership_payload("ZZ1", slug="unknown", event_id="e-unknown")).encode()
        self.assertEqual(self._post("aftership", body, aftership_headers(body)).status_code, 202)
        process_inbox(self.env)
        waiting = self.env["oms.shipment.event"].search([("tracking_number", "=", "ZZ1")])
        self.assertEqual((waiting.carrier_id, waiting.shipment_id.id), (self.dpd, False))

    def test_aftership_tags_map_to_our_statuses(self):
        expected = {
            "InfoReceived": "label_created",
            "InTransit": "in_transit",
            "OutForDelivery": "out_for_delivery",
            "AvailableForPickup": "out_for_delivery",
            "Delivered": "delivered",
            "AttemptFail": "exception",
            "Exception": "exception",
            "Expired": "exception",
            "Pending": None,
        }
        for tag, status in expected.items():
            with self.subTest(tag=tag):
                self.assertEqual(self.dpd._oms_aftership_status(tag, f"{tag}_001"), status)
        self.assertEqual(self.dpd._oms_aftership_status("Exception", "Exception_011"), "returned")
        self.assertEqual(self.dpd._oms_aftership_status("InTransit", "InTransit_002"), "picked_up")

    def test_aftership_delivered_and_estimate_revision(self):
        payload = aftership_payload("DPD0001", event_id="e-1")
        delivered = dict(payload["msg"]["checkpoints"][1])
        delivered.update(
            tag="Delivered",
            subtag="Delivered_001",
            message="Delivered",
            checkpoint_time="2026-03-02T15:00:00+02:00",
        )
        payload["msg"]["checkpoints"].append(delivered)
        body = json.dumps(payload).encode()
        self._post("aftership", body, aftership_headers(body))
        # edd_revise: no checkpoint, a new estimate only.
        revise = {
            "event": "edd_revise",
            "event_id": "e-2",
            "ts": int(time.time()),
            "msg": {
                "tracking_number": "DPD0001",
                "slug": "dpd-lt",
                "tag": "Delivered",
                "updated_at": "2026-03-02T16:00:00+02:00",
                "aftership_estimated_delivery_date": {"estimated_delivery_date": "2026-03-05"},
            },
        }
        body = json.dumps(revise).encode()
        self.assertEqual(self._post("aftership", body, aftership_headers(body)).status_code, 202)
        process_inbox(self.env)
        shipment = self.dpd_order.oms_shipment_ids
        self.assertEqual(shipment.status, "delivered")
        self.assertEqual(str(shipment.delivered_date), "2026-03-02 13:00:00")
        self.assertEqual(str(shipment.estimated_date), "2026-03-05 00:00:00")
        self.assertTrue(self.dpd_order.oms_delivered)

    def test_aftership_signature_replay_and_age(self):
        body = json.dumps(aftership_payload("DPD0001")).encode()
        headers = aftership_headers(body)
        refused = {
            "wrong secret": aftership_headers(body, secret="guess"),
            "body changed": aftership_headers(body + b" "),
            "hex instead of base64": {
                "aftership-hmac-sha256": hmac.new(AS_SECRET.encode(), body, "sha256").hexdigest()
            },
        }
        for case, bad in refused.items():
            with self.subTest(case):
                response = self._post("aftership", body, bad)
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response.json()["error"]["message"], "Invalid signature.")
        self.assertEqual(self._post("aftership", body, headers).status_code, 202)
        # The same event_id again (replayed, or re-signed): refused.
        again = json.dumps(aftership_payload("DPD0001")).encode()
        response = self._post("aftership", again, aftership_headers(again))
        self.assertEqual(response.status_code, 409)
        # An event older than a day: refused as stale.
        old = aftership_payload("DPD0001", event_id="e-old")
        old["ts"] = int(time.time()) - 2 * 86400
        old = json.dumps(old).encode()
        response = self._post("aftership", old, aftership_headers(old))
        self.assertEqual(response.status_code, 401)
        self.assertIn("window", response.json()["error"]["message"])
        # Without AfterShip's header: the answer of an unknown code.
        self.assertEqual(
            self._post("aftership", body, {}).json(),
            self._post("nobody", body, {}).json(),
        )
        self.assertEqual(len(self._inbox()), 1)

    def test_aftership_unknown_tag_is_parked(self):
        payload = aftership_payload("DPD0001")
        payload["msg"]["checkpoints"][0]["tag"] = "Teleported"
        body = json.dumps(payload).encode()
        self.assertEqual(self._post("aftership", body, aftership_headers(body)).status_code, 202)
        process_inbox(self.env)
        self.assertEqual(self._inbox().state, "parked")
        self.assertIn("Teleported", self._inbox().error)
        self.assertFalse(self.dpd_order.oms_shipment_ids.event_ids)

    # ------------------------------------------------------------------ TrackingMore

    def test_trackingmore_documented_signature(self):
        """TrackingMore's documented example: the HMAC-SHA256 (hex) of the timestamp."""
        self.omniva.write(
            {"oms_tracking_service": "trackingmore", "oms_webhook_secret": TM_DOC_SECRET}
        )
        headers = {"timestamp": TM_DOC_TIMESTAMP, "signature": TM_DOC_SIGNATURE}
        now = int(TM_DOC_TIMESTAMP) + 10
        external_id, sent_at = self.omniva._oms_trackingmore_authenticate(headers, b"{}", now=now)
        self.assertTrue(external_id.startswith("sha256:"))
        self.assertEqual(str(sent_at), "2022-09-05 09:52:08")
        for bad in (
            dict(headers, signature=TM_DOC_SIGNATURE[:-1] + "0"),
            dict(headers, timestamp=str(now)),
        ):
            with self.assertRaises(WebhookRefused):
                self.omniva._oms_trackingmore_authenticate(bad, b"{}", now=now)
        with self.assertRaises(WebhookRefused):
            self.omniva._oms_trackingmore_authenticate(headers, b"{}", now=now + 3600)

    def test_trackingmore_push(self):
        self.omniva.write(
            {
                "oms_code": "trackingmore",
                "oms_tracking_service": "trackingmore",
                "oms_webhook_secret": TM_DOC_SECRET,
            }
        )
        body = json.dumps(trackingmore_payload("CC123456789EE")).encode()
        headers = trackingmore_headers(TM_DOC_SECRET)
        response = self._post("trackingmore", body, headers)
        self.assertEqual(response.status_code, 202, response.text)
        self.assertEqual(self._post("trackingmore", body, headers).status_code, 409)
        for bad in (
            trackingmore_headers("guess"),
            trackingmore_headers(TM_DOC_SECRET, timestamp=int(time.time()) - 400),
            {"timestamp": TM_DOC_TIMESTAMP, "signature": TM_DOC_SIGNATURE},  # stale
        ):
            self.assertEqual(self._post("trackingmore", body, bad).status_code, 401)
        process_inbox(self.env)
        shipment = self.omniva_order.oms_shipment_ids
        self.assertEqual(shipment.status, "delivered")
        events = shipment.event_ids.sorted("event_date")
        self.assertEqual(events.mapped("location"), ["Kaunas", "Vilnius"])
        self.assertEqual(events.mapped("status"), ["in_transit", "delivered"])
        self.assertEqual(str(shipment.delivered_date), "2026-03-03 12:10:00")
        self.assertEqual(str(shipment.estimated_date), "2026-03-03 16:00:00")

    def test_trackingmore_statuses(self):
        expected = {
            "pending": None,
            "notfound": None,
            "inforeceived": "label_created",
            "transit": "in_transit",
            "pickup": "out_for_delivery",
            "delivered": "delivered",
            "undelivered": "exception",
            "exception": "exception",
            "expired": "exception",
        }
        for status, ours in expected.items():
            self.assertEqual(self.dpd._oms_trackingmore_status(status, None), ours)
        self.assertEqual(self.dpd._oms_trackingmore_status("exception", "exception005"), "returned")
