import hashlib
import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from .. import carrier_http

# Requests of a tracking service older than this (by the time the service put in them) are
# refused as stale; the ids seen are kept longer than this in the inbox (INBOX_KEEP), so a
# request is either remembered or too old: never accepted twice.
SERVICE_MAX_AGE = timedelta(days=1)


class DeliveryCarrier(models.Model):
    """Tracking services (AfterShip, TrackingMore, ...): which service a delivery method's
    webhook speaks, its secret and API key, and the service's code for the carrier.

    Adapter interface (the ``delivery_type`` way): a service ``xyz`` adds itself to the
    selection ``oms_tracking_service`` and defines

    * ``_oms_xyz_signed(headers)``: whether the request carries the service's signature
      header (without it, the request gets the answer of an unknown code);
    * ``_oms_xyz_authenticate(headers, body, now)``: ``(external_id, sent_at)`` of an
      authentic request, or raises :class:`WebhookRefused` (401);
    * ``_oms_xyz_parse(payload)``: a list of ``(service carrier code, event dict)`` (the
      keys of ``oms.shipment.event._oms_prepare_event``); ValidationError for a malformed
      request (it is parked);
    * ``_oms_xyz_register(shipment, number)``: registers a tracking number with the
      service's API (raises on failure; retried with back-off).

    The default ``oms`` service is this module's own signed JSON format."""

    _inherit = "delivery.carrier"

    oms_tracking_service = fields.Selection(
        [("oms", "OMS signed JSON")],
        string="Tracking Service",
        default="oms",
        required=True,
        help="The format and signature of the requests this delivery method's webhook "
        "receives, and the service its shipments are registered with.",
    )
    oms_service_carrier_code = fields.Char(
        string="Service Carrier Code",
        help="The tracking service's code (slug) for this carrier, e.g. dpd-lt, omniva, "
        "lietuvos-pastas, venipak: events of that code received on any webhook of the same "
        "service go to this delivery method; shipments are registered under it.",
    )
    oms_service_api_key = fields.Char(
        string="Service API Key",
        copy=False,
        groups="oms_extended.group_oms_manager",
        help="The tracking service's API key: shipments of this delivery method are "
        "registered with the service when they get their tracking number. Empty: not "
        "registered.",
    )

    # ------------------------------------------------------------------ dispatch

    def _oms_service_method(self, action):
        """The adapter method ``_oms_<service>_<action>`` of this carrier, or None."""
        self.ensure_one()
        return getattr(self, f"_oms_{self.oms_tracking_service}_{action}", None)

    def _oms_service_secret(self):
        self.ensure_one()
        # sudo: the secret (managers only) is read to check a signature, never returned.
        return (self.sudo().oms_webhook_secret or "").encode()

    def _oms_service_api_key(self):
        self.ensure_one()
        # sudo: the key (managers only) is sent to the service, never returned.
        return self.sudo().oms_service_api_key or ""

    @api.model
    def _oms_external_id(self, *parts):
        """A short stable id of a request from its parts (signature, body...)."""
        digest = hashlib.sha256(json.dumps([str(p) for p in parts]).encode()).hexdigest()
        return "sha256:" + digest

    def _oms_service_carriers(self, code):
        """The delivery method of the service's carrier ``code`` among those of this one's
        service (in its company, or shared), else this one."""
        self.ensure_one()
        if not code:
            return self
        domain = (
            Domain("oms_tracking_service", "=", self.oms_tracking_service)
            & Domain("oms_service_carrier_code", "=ilike", code)
            & Domain("company_id", "in", [self.company_id.id, False])
        )
        return self.search(domain, order="company_id, id", limit=1) or self

    def _oms_oms_parse(self, payload):
        """Our own format: one event, a list, or {"events": [...]}."""
        events = (
            payload.get("events") if isinstance(payload, dict) and "events" in payload else payload
        )
        if isinstance(events, dict):
            events = [events]
        if not isinstance(events, list) or not events:
            raise self._oms_malformed(
                self.env._('Send one event, a list of events or {"events": [...]}.')
            )
        return [(None, event) for event in events]

    def _oms_malformed(self, message):
        """The error of a malformed request (it is parked with this message)."""
        return ValidationError(message)

    def _oms_service_error(self, status, message=None):
        """The error of a failed registration (retried with back-off)."""
        return UserError(
            self.env._(
                "The tracking service answered HTTP %(status)s: %(message)s",
                status=status,
                message=message or "-",
            )
        )

    def _oms_service_post(self, url, data, headers):
        """POST to the service's API under carrier_http's rules (https, public address,
        bounded time and size)."""
        self.ensure_one()
        return carrier_http.post_json(url, data, self.oms_tracking_timeout, headers=headers)
