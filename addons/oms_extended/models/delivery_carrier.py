import hashlib
import hmac
import logging
import re
import time
from datetime import timedelta
from urllib.parse import quote

import requests

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from ..shipment_status import CLOSED_STATUSES

_logger = logging.getLogger(__name__)

CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")
# Back-off of a failing carrier: 5 minutes, doubled at each failure, at most 6 hours.
BACKOFF_BASE = timedelta(minutes=5)
BACKOFF_MAX = timedelta(hours=6)
# Webhook headers: the Unix time of the request and the HMAC-SHA256 of "timestamp.body".
TIMESTAMP_HEADER = "X-OMS-Timestamp"
SIGNATURE_HEADER = "X-OMS-Signature"
WEBHOOK_MAX_SKEW = 300


class DeliveryCarrier(models.Model):
    """Carrier tracking: the webhook's code and secret, and the polling adapters.

    Adapter interface: a carrier whose ``delivery_type`` is ``xyz`` polls through a method
    ``_oms_xyz_fetch_tracking_events(shipments)`` returning a list of event dicts (the keys of
    ``oms.shipment.event._oms_prepare_event``). Any carrier with a *Tracking API URL* uses the
    generic JSON adapter (``_oms_json_url_fetch_tracking_events``)."""

    _inherit = "delivery.carrier"

    oms_code = fields.Char(
        string="Tracking Code",
        copy=False,
        help="Identifies the carrier in its webhook URL: /oms/carrier/<code>/webhook.",
    )
    oms_webhook_secret = fields.Char(
        string="Webhook Secret",
        copy=False,
        groups="oms_extended.group_oms_manager",
        help="Shared with the carrier: it signs each webhook request with HMAC-SHA256.",
    )
    oms_webhook_url = fields.Char(string="Webhook URL", compute="_compute_oms_webhook_url")
    oms_tracking_url_template = fields.Char(
        string="Tracking API URL",
        help="Generic JSON tracking endpoint polled for open shipments, with "
        "{tracking_number} in it, e.g. https://api.example.com/track/{tracking_number}. "
        'It answers a list of events or {"events": [...]}.',
    )
    oms_tracking_timeout = fields.Integer(
        string="Request Timeout (s)", default=10, help="Timeout of each tracking request."
    )
    oms_notify_customer = fields.Boolean(
        string="E-mail Customers about Problems",
        help="When a shipment of this carrier has an exception, is returned or is late, "
        "e-mail the customer (template: Shipment: delivery problem).",
    )
    oms_poll_failures = fields.Integer(string="Consecutive Polling Failures", readonly=True)
    oms_poll_backoff_until = fields.Datetime(string="Polling Paused Until", readonly=True)
    oms_poll_error = fields.Char(string="Last Polling Error", readonly=True)

    _oms_code_uniq = models.UniqueIndex(
        "(oms_code) WHERE oms_code IS NOT NULL", "Another carrier has this tracking code."
    )

    @api.constrains("oms_code")
    def _check_oms_code(self):
        for carrier in self:
            if carrier.oms_code and not CODE_PATTERN.match(carrier.oms_code):
                raise ValidationError(
                    self.env._(
                        "The tracking code %(code)s may only hold letters, digits, - and _.",
                        code=carrier.oms_code,
                    )
                )

    @api.depends("oms_code")
    def _compute_oms_webhook_url(self):
        base_url = self.get_base_url() if self else ""
        for carrier in self:
            carrier.oms_webhook_url = (
                f"{base_url}/oms/carrier/{carrier.oms_code}/webhook" if carrier.oms_code else False
            )

    # ------------------------------------------------------------------ adapters

    def _oms_adapter_method(self):
        """The polling method of this carrier, or None when it cannot be polled."""
        self.ensure_one()
        method = getattr(self, f"_oms_{self.delivery_type}_fetch_tracking_events", None)
        if method:
            return method
        if self.oms_tracking_url_template:
            return self._oms_json_url_fetch_tracking_events
        return None

    def _oms_fetch_tracking_events(self, shipments):
        """The carrier's tracking events of ``shipments`` (list of dicts); raises on failure."""
        self.ensure_one()
        method = self._oms_adapter_method()
        if not method:
            raise UserError(
                self.env._(
                    "Carrier %(carrier)s cannot be polled: set its Tracking API URL.",
                    carrier=self.name,
                )
            )
        return method(shipments)

    def _oms_json_url_fetch_tracking_events(self, shipments):
        """Generic JSON adapter: one GET per tracking number on the URL template."""
        self.ensure_one()
        from .oms_shipment import split_tracking_numbers

        events = []
        for shipment in shipments:
            for number in split_tracking_numbers(shipment.tracking_ref):
                url = self.oms_tracking_url_template.replace(
                    "{tracking_number}", quote(number, safe="")
                )
                response = requests.get(
                    url,
                    timeout=self.oms_tracking_timeout or 10,
                    headers={"Accept": "application/json"},
                )
                response.raise_for_status()
                payload = response.json()
                if isinstance(payload, dict):
                    payload = payload.get("events")
                if not isinstance(payload, list):
                    raise ValueError(f"{url}: expected a list of events")
                events.extend(
                    {"tracking_number": number, **event} if isinstance(event, dict) else event
                    for event in payload
                )
        return events

    # ------------------------------------------------------------------ polling

    def _oms_poll_shipments(self, shipments, raise_errors=False):
        """Fetch and store the events of ``shipments``; a failure backs the carrier off
        (returns False) and stores nothing of the batch."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                events = self._oms_fetch_tracking_events(shipments)
                self.env["oms.shipment.event"]._oms_ingest(self, events, source="poll")
        except (requests.RequestException, ValueError, UserError, ValidationError) as error:
            failures = self.oms_poll_failures + 1
            delay = min(BACKOFF_BASE * 2 ** (failures - 1), BACKOFF_MAX)
            self.write(
                {
                    "oms_poll_failures": failures,
                    "oms_poll_backoff_until": fields.Datetime.now() + delay,
                    "oms_poll_error": str(error)[:500],
                }
            )
            _logger.warning("Polling carrier %s failed (%s): %s", self.name, failures, error)
            if raise_errors:
                raise UserError(
                    self.env._(
                        "Polling %(carrier)s failed: %(error)s", carrier=self.name, error=error
                    )
                ) from error
            return False
        shipments.last_poll_date = fields.Datetime.now()
        if self.oms_poll_failures or self.oms_poll_error:
            self.write(
                {"oms_poll_failures": 0, "oms_poll_backoff_until": False, "oms_poll_error": False}
            )
        return True

    @api.model
    def _oms_open_shipments_domain(self, carrier, polled_before):
        return (
            Domain("carrier_id", "=", carrier.id)
            & Domain("status", "not in", CLOSED_STATUSES)
            & Domain("tracking_ref", "!=", False)
            & (Domain("last_poll_date", "=", False) | Domain("last_poll_date", "<", polled_before))
        )

    @api.model
    def _cron_oms_poll_shipments(self, batch_size=50):
        """Poll the open shipments of every pollable carrier in committed batches; a carrier
        that fails is paused (doubling back-off) and the others go on."""
        start = fields.Datetime.now()
        carriers = self.search(
            Domain("oms_poll_backoff_until", "=", False)
            | Domain("oms_poll_backoff_until", "<=", start)
        ).filtered(lambda c: c._oms_adapter_method())
        Shipment = self.env["oms.shipment"]
        cron = self.env["ir.cron"]
        remaining = sum(
            Shipment.search_count(self._oms_open_shipments_domain(c, start)) for c in carriers
        )
        cron._commit_progress(remaining=remaining)
        for carrier in carriers:
            domain = self._oms_open_shipments_domain(carrier, start)
            while True:
                shipments = Shipment.search(domain, limit=batch_size, order="last_poll_date, id")
                if not shipments:
                    break
                ok = carrier._oms_poll_shipments(shipments)
                remaining = max(remaining - len(shipments), 0)
                if not cron._commit_progress(len(shipments), remaining=remaining):
                    return
                if not ok:
                    break

    # ------------------------------------------------------------------ webhook

    def _oms_webhook_signature(self, timestamp, body):
        """HMAC-SHA256 (hex) of ``timestamp + "." + body`` with the carrier's secret."""
        self.ensure_one()
        secret = self.sudo().oms_webhook_secret or ""
        message = timestamp.encode() + b"." + body
        return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()

    def _oms_check_webhook_request(self, timestamp, signature, body, now=None):
        """None when the request is authentic and fresh, else a message saying why not."""
        self.ensure_one()
        if not self.sudo().oms_webhook_secret:
            return self.env._("This carrier has no webhook secret: webhooks are disabled.")
        if not timestamp or not signature:
            return self.env._(
                "Missing %(ts)s or %(sig)s header.", ts=TIMESTAMP_HEADER, sig=SIGNATURE_HEADER
            )
        signature = signature.strip()
        if signature.lower().startswith("sha256="):
            signature = signature[len("sha256=") :]
        expected = self._oms_webhook_signature(timestamp, body)
        if not hmac.compare_digest(expected, signature.lower()):
            return self.env._("Invalid signature.")
        try:
            sent = int(timestamp)
        except ValueError:
            return self.env._("%(ts)s is not a Unix timestamp.", ts=TIMESTAMP_HEADER)
        now = time.time() if now is None else now
        if abs(now - sent) > WEBHOOK_MAX_SKEW:
            return self.env._(
                "Timestamp outside the accepted window of %(seconds)s seconds (replay?).",
                seconds=WEBHOOK_MAX_SKEW,
            )
        return None
