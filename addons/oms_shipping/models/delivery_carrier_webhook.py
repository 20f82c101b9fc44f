import hashlib
import hmac
import re
import secrets
import time
from datetime import datetime, timezone

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Webhook headers: the Unix time of the request and the HMAC-SHA256 of "timestamp.body".
TIMESTAMP_HEADER = "X-OMS-Timestamp"
SIGNATURE_HEADER = "X-OMS-Signature"
WEBHOOK_MAX_SKEW = 300
HEX_SIGNATURE = re.compile(r"^[0-9a-f]{64}$")
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")


class WebhookRefused(Exception):
    """A webhook request refused: answered ``status`` with the error ``code`` and
    ``message``."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class DeliveryCarrier(models.Model):
    """Carrier tracking: the webhook's code and secret, and the authentication of its
    requests (signature, time window, replays)."""

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

    def _oms_webhook_signature(self, timestamp, body):
        """HMAC-SHA256 (hex) of ``timestamp + "." + body`` with the carrier's secret."""
        self.ensure_one()
        # sudo: the secret (managers only) is read to check a signature, never returned.
        secret = self.sudo().oms_webhook_secret or ""
        message = timestamp.encode() + b"." + body
        return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()

    @api.model
    def _oms_authenticate_request(self, code, headers, body, now=None):
        """``(carrier, external id, sent at)`` of an authentic webhook request to the URL of
        tracking code ``code``, in the format of the carrier's tracking service; raises
        :class:`WebhookRefused` otherwise. An unknown code, a carrier without secret and a
        wrong signature get the same answer, whatever the service."""
        carrier = self.search([("oms_code", "=", code)], limit=1) if code else self.browse()
        # sudo: whether the carrier has a secret (managers only); it is never returned.
        has_secret = bool(carrier and carrier.sudo().oms_webhook_secret)
        service = carrier.oms_tracking_service if has_secret else "oms"
        if service != "oms" and not carrier._oms_service_method("signed")(headers):
            # Without the service's own header: the answer of an unknown code.
            service, code = "oms", None
        if service == "oms":
            timestamp = headers.get(TIMESTAMP_HEADER)
            carrier, refusal = self._oms_authenticate_webhook(
                code,
                timestamp,
                headers.get(SIGNATURE_HEADER),
                body,
                now=now,
                carrier=carrier if code else self.browse(),
            )
            if refusal:
                raise WebhookRefused(*refusal)
            sent_at = datetime.fromtimestamp(int(timestamp.strip()), timezone.utc)
            return (
                carrier,
                self._oms_external_id("oms", timestamp.strip(), body),
                sent_at.replace(tzinfo=None),
            )
        external_id, sent_at = carrier._oms_service_method("authenticate")(headers, body, now=now)
        return carrier, external_id, sent_at

    @api.model
    def _oms_authenticate_webhook(
        self, code, timestamp, signature, body, now=None, *, carrier=None
    ):
        """The carrier whose webhook request this is, and None; or no carrier and the refusal
        ``(status, code, message)``. Checked in this order, so that nothing tells whether a
        carrier exists: the headers' form, the time window, then the signature (an unknown
        code, a carrier without secret and a wrong signature get the same answer), and last
        a replay: the same signed request seen before (PostgreSQL remembers it for all
        workers; the record is part of the request's transaction)."""
        if not timestamp or not signature:
            return None, (
                401,
                "unauthorized",
                self.env._(
                    "Missing %(ts)s or %(sig)s header.", ts=TIMESTAMP_HEADER, sig=SIGNATURE_HEADER
                ),
            )
        signature = signature.strip().lower()
        if signature.startswith("sha256="):
            signature = signature[len("sha256=") :]
        timestamp = timestamp.strip()
        if not (timestamp.isascii() and timestamp.isdigit()) or not HEX_SIGNATURE.match(signature):
            return None, (
                401,
                "unauthorized",
                self.env._(
                    "%(ts)s must be a Unix time in seconds and %(sig)s the hexadecimal "
                    "HMAC-SHA256 of the request.",
                    ts=TIMESTAMP_HEADER,
                    sig=SIGNATURE_HEADER,
                ),
            )
        now = time.time() if now is None else now
        if abs(now - int(timestamp)) > WEBHOOK_MAX_SKEW:
            return None, (
                401,
                "unauthorized",
                self.env._(
                    "Timestamp outside the accepted window of %(seconds)s seconds (replay?).",
                    seconds=WEBHOOK_MAX_SKEW,
                ),
            )
        if carrier is None:
            carrier = self.search([("oms_code", "=", code)], limit=1) if code else self.browse()
        # sudo: whether the carrier has a secret (managers only); it is never returned.
        if carrier and carrier.sudo().oms_webhook_secret:
            expected = carrier._oms_webhook_signature(timestamp, body)
        else:
            # Unknown carrier or no secret: the same work and the same answer as a bad
            # signature.
            expected = hmac.new(secrets.token_bytes(32), body, hashlib.sha256).hexdigest()
            carrier = self.browse()
        if not hmac.compare_digest(expected, signature) or not carrier:
            return None, (401, "unauthorized", self.env._("Invalid signature."))
        sent_at = datetime.fromtimestamp(int(timestamp), timezone.utc).replace(tzinfo=None)
        if not self.env["oms.carrier.webhook.request"]._oms_register(carrier, signature, sent_at):
            return None, (
                409,
                "replayed_request",
                self.env._(
                    "This signed request was already received: sign each delivery with its own "
                    "timestamp."
                ),
            )
        return carrier, None
