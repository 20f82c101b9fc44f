import hashlib
import hmac
import time
from datetime import datetime, timezone

from odoo import fields, models

from .delivery_carrier_webhook import WEBHOOK_MAX_SKEW, WebhookRefused

# TrackingMore API v4 webhook: headers "timestamp" (Unix seconds) and "signature", the
# hexadecimal HMAC-SHA256 of the timestamp keyed with the account's webhook secret.
TRACKINGMORE_TIMESTAMP_HEADER = "timestamp"
TRACKINGMORE_SIGNATURE_HEADER = "signature"
TRACKINGMORE_API_URL = "https://api.trackingmore.com/v4/trackings/create"
# TrackingMore's meta.code for a tracking number it already follows: registered.
TRACKINGMORE_ALREADY_EXISTS = 4101

# TrackingMore's delivery_status values (and checkpoint_delivery_status) mapped to ours;
# pending and notfound carry no information yet.
TRACKINGMORE_STATUSES = {
    "pending": False,
    "notfound": False,
    "inforeceived": "label_created",
    "transit": "in_transit",
    "pickup": "out_for_delivery",
    "delivered": "delivered",
    "undelivered": "exception",
    "exception": "exception",
    "expired": "exception",
}
TRACKINGMORE_SUBSTATUSES = {
    "exception005": "returned",  # returned to sender
    "exception006": "returned",  # being returned to sender
}


class DeliveryCarrier(models.Model):
    """TrackingMore (API v4): webhook pushes of a tracking, signed over the request's
    timestamp; registration through ``POST /v4/trackings/create``.

    TrackingMore signs the timestamp, not the body: a request is authentic for its time
    only. It is accepted within 5 minutes of that time, and the same signature with the same
    body once (a replay); use an https webhook URL so that the signature cannot be read."""

    _inherit = "delivery.carrier"

    oms_tracking_service = fields.Selection(
        selection_add=[("trackingmore", "TrackingMore")],
        ondelete={"trackingmore": "set default"},
    )

    def _oms_trackingmore_signed(self, headers):
        """Whether the request carries TrackingMore's signature headers."""
        return bool(headers.get(TRACKINGMORE_SIGNATURE_HEADER))

    def _oms_trackingmore_authenticate(self, headers, body, now=None):
        self.ensure_one()
        timestamp = (headers.get(TRACKINGMORE_TIMESTAMP_HEADER) or "").strip()
        signature = (headers.get(TRACKINGMORE_SIGNATURE_HEADER) or "").strip().lower()
        expected = hmac.new(
            self._oms_service_secret(), timestamp.encode(), hashlib.sha256
        ).hexdigest()
        if (
            not (timestamp.isascii() and timestamp.isdigit())
            or not signature.isascii()
            or not hmac.compare_digest(expected, signature)
        ):
            raise WebhookRefused(401, "unauthorized", self.env._("Invalid signature."))
        now = time.time() if now is None else now
        # TrackingMore may send milliseconds.
        seconds = int(timestamp) / 1000 if len(timestamp) > 11 else int(timestamp)
        if abs(now - seconds) > WEBHOOK_MAX_SKEW:
            raise WebhookRefused(
                401,
                "unauthorized",
                self.env._(
                    "Timestamp outside the accepted window of %(seconds)s seconds (replay?).",
                    seconds=WEBHOOK_MAX_SKEW,
                ),
            )
        sent_at = datetime.fromtimestamp(int(seconds), timezone.utc).replace(tzinfo=None)
        return self._oms_external_id("trackingmore", signature, body), sent_at

    def _oms_trackingmore_parse(self, payload):
        """The events of a TrackingMore push: one per checkpoint of origin_info and
        destination_info (its own time, location, detail and status), with the scheduled
        delivery date; without checkpoints, the tracking's own status."""
        data = payload.get("data") if isinstance(payload, dict) else None
        if not isinstance(data, dict):
            raise self._oms_malformed(self.env._("A TrackingMore push needs its data object."))
        number = data.get("tracking_number")
        if not isinstance(number, str) or not number.strip():
            raise self._oms_malformed(self.env._("data.tracking_number is missing."))
        courier = data.get("courier_code") if isinstance(data.get("courier_code"), str) else None
        estimate = data.get("scheduled_delivery_date") or None
        events = []
        for side in ("origin_info", "destination_info"):
            info = data.get(side) or {}
            trackinfo = info.get("trackinfo") if isinstance(info, dict) else None
            if trackinfo in (None, ""):
                continue
            if not isinstance(trackinfo, list):
                raise self._oms_malformed(
                    self.env._("%(side)s.trackinfo must be a list.", side=side)
                )
            for checkpoint in trackinfo:
                if not isinstance(checkpoint, dict):
                    raise self._oms_malformed(self.env._("Each checkpoint must be an object."))
                events.append(
                    {
                        "tracking_number": number,
                        "status": self._oms_trackingmore_status(
                            checkpoint.get("checkpoint_delivery_status"),
                            checkpoint.get("checkpoint_delivery_substatus"),
                        ),
                        "time": checkpoint.get("checkpoint_date"),
                        "code": checkpoint.get("checkpoint_delivery_substatus")
                        or checkpoint.get("checkpoint_delivery_status"),
                        "description": checkpoint.get("tracking_detail"),
                        "location": checkpoint.get("location") or None,
                        "estimated_delivery": estimate,
                    }
                )
        if not events:
            events.append(
                {
                    "tracking_number": number,
                    "status": self._oms_trackingmore_status(
                        data.get("delivery_status"), data.get("substatus")
                    ),
                    "time": data.get("latest_checkpoint_time") or data.get("update_at"),
                    "code": data.get("substatus") or data.get("delivery_status"),
                    "description": data.get("latest_event"),
                    "estimated_delivery": estimate,
                }
            )
        return [(courier, event) for event in events]

    def _oms_trackingmore_status(self, status, substatus):
        if substatus in TRACKINGMORE_SUBSTATUSES:
            return TRACKINGMORE_SUBSTATUSES[substatus]
        if status in (None, ""):
            return None
        if status not in TRACKINGMORE_STATUSES:
            raise self._oms_malformed(
                self.env._("Unknown TrackingMore status %(status)r.", status=status)
            )
        return TRACKINGMORE_STATUSES[status] or None

    def _oms_trackingmore_register(self, shipment, number):
        self.ensure_one()
        data = {
            "tracking_number": number,
            "courier_code": self.oms_service_carrier_code or None,
            "order_number": shipment.sale_id.name or shipment.name,
        }
        status, answer = self._oms_service_post(
            TRACKINGMORE_API_URL,
            {key: value for key, value in data.items() if value},
            {"Tracking-Api-Key": self._oms_service_api_key()},
        )
        meta = (answer or {}).get("meta") if isinstance(answer, dict) else None
        code = meta.get("code") if isinstance(meta, dict) else None
        if (status == 200 and code in (200, None)) or code == TRACKINGMORE_ALREADY_EXISTS:
            return True
        raise self._oms_service_error(
            status, meta.get("message") if isinstance(meta, dict) else None
        )
