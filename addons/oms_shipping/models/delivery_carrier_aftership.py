import base64
import hashlib
import hmac
import json
import time
from datetime import datetime, timezone

from odoo import fields, models

from .delivery_carrier_tracking_service import SERVICE_MAX_AGE
from .delivery_carrier_webhook import WEBHOOK_MAX_SKEW, WebhookRefused

AFTERSHIP_SIGNATURE_HEADER = "aftership-hmac-sha256"
# AfterShip Tracking API (version in the path); tests point it to a local server.
AFTERSHIP_API_URL = "https://api.aftership.com/tracking/2024-04/trackings"
# AfterShip's meta.code for a tracking number it already follows: registered.
AFTERSHIP_ALREADY_EXISTS = 4003

# AfterShip's delivery tags (msg.tag, checkpoints[].tag) mapped to our statuses;
# Pending (no information yet) is informational. A subtag may refine its tag
# (AFTERSHIP_SUBTAGS): an Exception that is a return to sender is Returned.
AFTERSHIP_TAGS = {
    "Pending": False,
    "InfoReceived": "label_created",
    "InTransit": "in_transit",
    "OutForDelivery": "out_for_delivery",
    "AvailableForPickup": "out_for_delivery",
    "Delivered": "delivered",
    "AttemptFail": "exception",
    "Exception": "exception",
    "Expired": "exception",
}
AFTERSHIP_SUBTAGS = {
    "InTransit_002": "picked_up",  # Shipment picked up
    "Exception_010": "returned",  # Returning to sender
    "Exception_011": "returned",  # Returned to sender
}


class DeliveryCarrier(models.Model):
    """AfterShip: webhook ``tracking_update`` / ``edd_revise`` events signed with
    ``aftership-hmac-sha256`` (base64 HMAC-SHA256 of the raw body with the webhook
    secret), and registration through ``POST /trackings``."""

    _inherit = "delivery.carrier"

    oms_tracking_service = fields.Selection(
        selection_add=[("aftership", "AfterShip")], ondelete={"aftership": "set default"}
    )

    def _oms_aftership_signed(self, headers):
        """Whether the request carries AfterShip's signature header."""
        return bool(headers.get(AFTERSHIP_SIGNATURE_HEADER))

    def _oms_aftership_authenticate(self, headers, body, now=None):
        """(external id, sent at) of an authentic AfterShip request: the signature of the
        body, then its event_id (the replay key) and ts (refused when older than a day)."""
        self.ensure_one()
        signature = (headers.get(AFTERSHIP_SIGNATURE_HEADER) or "").strip()
        expected = base64.b64encode(
            hmac.new(self._oms_service_secret(), body, hashlib.sha256).digest()
        ).decode()
        if not signature or not hmac.compare_digest(expected.encode(), signature.encode()):
            raise WebhookRefused(401, "unauthorized", self.env._("Invalid signature."))
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            payload = None
        if not isinstance(payload, dict):
            # Authentic but unreadable: stored and parked by the processor with its reason.
            return self._oms_external_id("aftership", signature), None
        sent_at = self._oms_check_service_time(payload.get("ts"), now)
        event_id = payload.get("event_id")
        if isinstance(event_id, str) and event_id.strip():
            return "aftership:" + event_id.strip()[:200], sent_at
        return self._oms_external_id("aftership", signature), sent_at

    def _oms_check_service_time(self, ts, now=None):
        """The UTC datetime of a service's Unix time ``ts``; refused when older than
        SERVICE_MAX_AGE or more than the clock skew ahead (a replay, or a wrong clock)."""
        now = time.time() if now is None else now
        if isinstance(ts, bool) or not isinstance(ts, (int, float)):
            return None
        if ts < now - SERVICE_MAX_AGE.total_seconds() or ts > now + WEBHOOK_MAX_SKEW:
            raise WebhookRefused(
                401,
                "unauthorized",
                self.env._(
                    "Timestamp outside the accepted window of %(seconds)s seconds (replay?).",
                    seconds=int(SERVICE_MAX_AGE.total_seconds()),
                ),
            )
        return datetime.fromtimestamp(int(ts), timezone.utc).replace(tzinfo=None)

    def _oms_aftership_parse(self, payload):
        """The events of an AfterShip webhook: one per checkpoint (its own time, location,
        message and tag), with the tracking's estimated delivery date; an ``edd_revise``
        without checkpoints updates the estimate only (an informational event)."""
        if not isinstance(payload, dict) or not isinstance(payload.get("msg"), dict):
            raise self._oms_malformed(self.env._("An AfterShip webhook needs its msg object."))
        msg = payload["msg"]
        number = msg.get("tracking_number")
        if not isinstance(number, str) or not number.strip():
            raise self._oms_malformed(self.env._("msg.tracking_number is missing."))
        slug = msg.get("slug") if isinstance(msg.get("slug"), str) else None
        estimate = self._oms_aftership_estimate(msg)
        checkpoints = msg.get("checkpoints") or []
        if not isinstance(checkpoints, list):
            raise self._oms_malformed(self.env._("msg.checkpoints must be a list."))
        events = []
        for checkpoint in checkpoints:
            if not isinstance(checkpoint, dict):
                raise self._oms_malformed(self.env._("Each checkpoint must be an object."))
            place = [checkpoint.get(k) for k in ("city", "state", "country_iso3", "country_name")]
            location = checkpoint.get("location") or ", ".join(
                p for p in place if isinstance(p, str) and p
            )
            events.append(
                {
                    "tracking_number": number,
                    "status": self._oms_aftership_status(
                        checkpoint.get("tag"), checkpoint.get("subtag")
                    ),
                    "time": checkpoint.get("checkpoint_time"),
                    "code": checkpoint.get("subtag") or checkpoint.get("tag"),
                    "description": checkpoint.get("message") or checkpoint.get("subtag_message"),
                    "location": location or None,
                    "estimated_delivery": estimate,
                }
            )
        if not events:
            # No checkpoint: the tracking's own tag; an estimate revised (edd_revise) is
            # informational (its tag is the one already received).
            revise = payload.get("event") == "edd_revise"
            events.append(
                {
                    "tracking_number": number,
                    "status": None
                    if revise
                    else self._oms_aftership_status(msg.get("tag"), msg.get("subtag")),
                    "time": msg.get("updated_at") or payload.get("ts"),
                    "event_id": payload.get("event_id"),
                    "code": msg.get("subtag") or msg.get("tag"),
                    "description": msg.get("subtag_message"),
                    "estimated_delivery": estimate,
                }
            )
        return [(slug, event) for event in events]

    def _oms_aftership_status(self, tag, subtag):
        if subtag in AFTERSHIP_SUBTAGS:
            return AFTERSHIP_SUBTAGS[subtag]
        if tag in (None, ""):
            return None
        if tag not in AFTERSHIP_TAGS:
            raise self._oms_malformed(self.env._("Unknown AfterShip tag %(tag)r.", tag=tag))
        return AFTERSHIP_TAGS[tag] or None

    def _oms_aftership_estimate(self, msg):
        """The newest estimate: AfterShip's own (AI) estimate, else the carrier's."""
        edd = msg.get("aftership_estimated_delivery_date")
        if isinstance(edd, dict) and edd.get("estimated_delivery_date"):
            return edd["estimated_delivery_date"]
        edd = msg.get("custom_estimated_delivery_date") or msg.get("first_estimated_delivery")
        if isinstance(edd, dict) and edd.get("datetime"):
            return edd["datetime"]
        return msg.get("expected_delivery") or None

    def _oms_aftership_register(self, shipment, number):
        """POST /trackings with the slug and the order; "already exists" counts as done."""
        self.ensure_one()
        data = {
            "tracking_number": number,
            "slug": self.oms_service_carrier_code or None,
            "order_number": shipment.sale_id.name or shipment.name,
            "title": shipment.name,
        }
        status, answer = self._oms_service_post(
            AFTERSHIP_API_URL,
            {key: value for key, value in data.items() if value},
            {"as-api-key": self._oms_service_api_key()},
        )
        code = ((answer or {}).get("meta") or {}).get("code") if isinstance(answer, dict) else None
        if status in (200, 201) or code == AFTERSHIP_ALREADY_EXISTS:
            return True
        message = ((answer or {}).get("meta") or {}).get("message") if code else None
        raise self._oms_service_error(status, message)
