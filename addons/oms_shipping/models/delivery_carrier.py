import logging
from datetime import timedelta
from time import monotonic
from urllib.parse import quote, urlsplit

import requests

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from .. import carrier_http
from ..shipment_status import CLOSED_STATUSES

_logger = logging.getLogger(__name__)

PLACEHOLDER = "{tracking_number}"
# Back-off of a failing carrier: 5 minutes, doubled at each failure, at most 6 hours.
BACKOFF_BASE = timedelta(minutes=5)
BACKOFF_MAX = timedelta(hours=6)
# The polling cron takes a shipment again at the earliest this long after its last poll.
POLL_INTERVAL = timedelta(minutes=15)
# One call of the polling cron starts no new request after this many seconds (and no later
# than the time Odoo's cron runner gives it, see ir.cron._commit_progress).
POLL_TIME_BUDGET = 120
# The channel of the polling batches when a job queue runs them (oms.batch.dispatch).
POLL_CHANNEL = "oms.carrier_poll"


class DeliveryCarrier(models.Model):
    """Carrier tracking: the polling adapters and their safety rules (the webhook is in
    delivery_carrier_webhook.py).

    Adapter interface: a carrier whose ``delivery_type`` is ``xyz`` polls through a method
    ``_oms_xyz_fetch_tracking_events(shipments)`` returning a list of event dicts (the keys of
    ``oms.shipment.event._oms_prepare_event``). Any carrier with a *Tracking API URL* uses the
    generic JSON adapter (``_oms_json_url_fetch_tracking_events``)."""

    _inherit = "delivery.carrier"

    oms_tracking_url_template = fields.Char(
        string="Tracking API URL",
        copy=False,
        groups="base.group_system",
        help="Generic JSON tracking endpoint polled for open shipments, with "
        "{tracking_number} in its path or query, e.g. "
        "https://api.example.com/track/{tracking_number}. It answers a list of events or "
        '{"events": [...]}. https to a public address only; set by administrators.',
    )
    oms_tracking_timeout = fields.Integer(
        string="Request Timeout (s)",
        default=10,
        help="Timeout of each tracking request, 1 to 30 seconds.",
    )
    oms_notify_customer = fields.Boolean(
        string="E-mail Customers about Problems",
        help="When a shipment of this carrier has an exception, is returned or is late, "
        "e-mail the customer (template: Shipment: delivery problem).",
    )
    oms_poll_failures = fields.Integer(string="Consecutive Polling Failures", readonly=True)
    oms_poll_backoff_until = fields.Datetime(string="Polling Paused Until", readonly=True)
    oms_poll_error = fields.Char(string="Last Polling Error", readonly=True)

    @api.constrains("oms_tracking_timeout")
    def _check_oms_tracking_timeout(self):
        for carrier in self:
            if not 1 <= carrier.oms_tracking_timeout <= carrier_http.MAX_TIMEOUT:
                raise ValidationError(
                    self.env._(
                        "The request timeout of %(carrier)s must be between 1 and %(max)s seconds.",
                        carrier=carrier.name,
                        max=carrier_http.MAX_TIMEOUT,
                    )
                )

    @api.constrains("oms_tracking_url_template")
    def _check_oms_tracking_url_template(self):
        # sudo: reads back the URL being saved (by an administrator) to validate it.
        for carrier in self.sudo():
            template = carrier.oms_tracking_url_template
            if not template:
                continue
            if PLACEHOLDER not in template or "{" in urlsplit(template).netloc:
                raise ValidationError(
                    self.env._(
                        "The Tracking API URL must hold %(placeholder)s in its path or query, "
                        "e.g. https://api.example.com/track/%(placeholder)s.",
                        placeholder=PLACEHOLDER,
                    )
                )
            try:
                host, port = carrier_http.check_url(template.replace(PLACEHOLDER, "X"))
                carrier_http.public_addresses(host, port)
            except carrier_http.CarrierHTTPError as error:
                raise ValidationError(self._oms_http_error_message(error)) from error

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._oms_check_url_editor(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._oms_check_url_editor(vals)
        return super().write(vals)

    @api.model
    def _oms_check_url_editor(self, vals):
        """Only system administrators set where the server sends requests, even through code
        running as superuser on a user's behalf (the field's groups stop the others)."""
        if "oms_tracking_url_template" in vals and not self.env.user._has_group(
            "base.group_system"
        ):
            raise AccessError(
                self.env._(
                    "Only administrators (Settings) may set a carrier's Tracking API URL: "
                    "ask one to enter it."
                )
            )

    # ------------------------------------------------------------------ adapters

    def _oms_adapter_method(self):
        """The polling method of this carrier, or None when it cannot be polled."""
        self.ensure_one()
        method = getattr(self, f"_oms_{self.delivery_type}_fetch_tracking_events", None)
        if method:
            return method
        # sudo: only whether an administrator set a URL; the URL is not shown to the user.
        if self.sudo().oms_tracking_url_template:
            return self._oms_json_url_fetch_tracking_events
        return None

    def _oms_poll_batch_size(self, batch_size):
        """Shipments per polling batch: the generic adapter sends one request per shipment,
        so it takes them one by one (the cron's time budget is checked between them)."""
        self.ensure_one()
        if self._oms_adapter_method() == self._oms_json_url_fetch_tracking_events:
            return 1
        return batch_size

    def _oms_fetch_tracking_events(self, shipments):
        """The carrier's tracking events of ``shipments`` (list of dicts); raises on failure."""
        self.ensure_one()
        method = self._oms_adapter_method()
        if not method:
            raise UserError(
                self.env._(
                    "Carrier %(carrier)s cannot be polled: ask an administrator to set its "
                    "Tracking API URL.",
                    carrier=self.name,
                )
            )
        return method(shipments)

    def _oms_json_url_fetch_tracking_events(self, shipments):
        """Generic JSON adapter: one GET per tracking number on the URL template, to a public
        https address only, bounded in time and size, redirects refused."""
        self.ensure_one()
        from .oms_shipment import split_tracking_numbers

        # sudo: the URL is set by an administrator and read here to send the request; it is
        # never returned to the user (error messages leave it out).
        template = self.sudo().oms_tracking_url_template
        events = []
        for shipment in shipments:
            for number in split_tracking_numbers(shipment.tracking_ref):
                url = template.replace(PLACEHOLDER, quote(number, safe=""))
                payload = carrier_http.get_json(url, self.oms_tracking_timeout)
                if isinstance(payload, dict):
                    payload = payload.get("events")
                if not isinstance(payload, list):
                    raise carrier_http.CarrierHTTPError("json")
                events.extend(
                    {"tracking_number": number, **event} if isinstance(event, dict) else event
                    for event in payload
                )
        return events

    def _oms_http_error_message(self, error):
        """A translated message for a refused URL, a failed request or a bad answer; without
        the URL, which may carry the carrier's key."""
        if isinstance(error, carrier_http.CarrierHTTPError):
            messages = {
                "scheme": self.env._("The Tracking API URL must start with https://."),
                "host": self.env._(
                    "The Tracking API URL needs a public host name (not %(host)s).",
                    host=error.detail or "-",
                ),
                "address": self.env._(
                    "The carrier's address is not public (%(address)s): loopback, private, "
                    "link-local, multicast and cloud metadata addresses are refused.",
                    address=error.detail,
                ),
                "resolve": self.env._(
                    "The host name %(host)s of the Tracking API URL cannot be resolved.",
                    host=error.detail,
                ),
                "redirect": self.env._(
                    "The carrier answered a redirect (HTTP %(status)s), which is not followed: "
                    "set the final URL.",
                    status=error.detail,
                ),
                "status": self.env._("The carrier answered HTTP %(status)s.", status=error.detail),
                "size": self.env._(
                    "The carrier's answer is larger than %(size)s bytes.", size=error.detail
                ),
                "time": self.env._(
                    "The carrier's answer took longer than the timeout of %(seconds)s s.",
                    seconds=error.detail,
                ),
                "json": self.env._(
                    'The carrier\'s answer is not a list of events or {"events": [...]}.'
                ),
            }
            return messages.get(error.reason, str(error))
        if isinstance(error, requests.Timeout):
            return self.env._(
                "The request to the carrier timed out (%(seconds)s s).",
                seconds=self.oms_tracking_timeout,
            )
        if isinstance(error, requests.RequestException):
            return self.env._(
                "The request to the carrier failed (%(kind)s).", kind=type(error).__name__
            )
        if isinstance(error, (UserError, ValidationError)):
            return error.args[0]
        return str(error)

    # ------------------------------------------------------------------ polling

    def _oms_poll_shipments(self, shipments, raise_errors=False):
        """Fetch and store the events of ``shipments``, with the rights of the caller (who
        must be able to write them); a failure backs the carrier off (returns False) and
        stores nothing of the batch."""
        self.ensure_one()
        Event = shipments.env["oms.shipment.event"]
        try:
            with self.env.cr.savepoint():
                # sudo: the adapter reads the carrier's connection settings (URL, keys) set by
                # administrators, to fetch the events of these shipments only.
                events = self.sudo()._oms_fetch_tracking_events(shipments)
                Event._oms_ingest(self.with_env(shipments.env), events, "poll", within=shipments)
        except (requests.RequestException, ValueError, UserError, ValidationError) as error:
            message = self._oms_http_error_message(error)
            self._oms_record_poll_result(message)
            _logger.warning("Polling carrier %s failed: %s", self.name, message)
            if raise_errors:
                raise UserError(
                    self.env._(
                        "Polling %(carrier)s failed: %(error)s", carrier=self.name, error=message
                    )
                ) from error
            return False
        shipments.last_poll_date = fields.Datetime.now()
        self._oms_record_poll_result()
        return True

    def _oms_record_poll_result(self, error=None):
        """Count a failure (doubling pause) or reset the count after a success."""
        self.ensure_one()
        # sudo: the polling state is the poll's own bookkeeping, not a setting chosen by the
        # user (who may poll shipments without editing carriers).
        carrier = self.sudo()
        if error:
            failures = carrier.oms_poll_failures + 1
            delay = min(BACKOFF_BASE * 2 ** (failures - 1), BACKOFF_MAX)
            carrier.write(
                {
                    "oms_poll_failures": failures,
                    "oms_poll_backoff_until": fields.Datetime.now() + delay,
                    "oms_poll_error": error[:500],
                }
            )
        elif carrier.oms_poll_failures or carrier.oms_poll_error:
            carrier.write(
                {"oms_poll_failures": 0, "oms_poll_backoff_until": False, "oms_poll_error": False}
            )

    @api.model
    def _oms_open_shipments_domain(self, carrier, polled_before):
        return (
            Domain("carrier_id", "=", carrier.id)
            & Domain("status", "not in", CLOSED_STATUSES)
            & Domain("tracking_ref", "!=", False)
            & (Domain("last_poll_date", "=", False) | Domain("last_poll_date", "<", polled_before))
        )

    @api.model
    def _oms_pollable_carriers(self, now):
        """The carriers with a polling adapter and no pause running at ``now``."""
        return self.search(
            Domain("oms_poll_backoff_until", "=", False)
            | Domain("oms_poll_backoff_until", "<=", now)
        ).filtered(lambda c: c._oms_adapter_method())

    @api.model
    def _cron_oms_poll_shipments(self, batch_size=50, time_budget=POLL_TIME_BUDGET):
        """Poll the open shipments of every pollable carrier in committed batches; a carrier
        that fails is paused (doubling back-off) and the others go on. No new batch starts
        once ``time_budget`` seconds are spent or the cron runner's time is up: the remaining
        count tells Odoo to call again soon for the rest."""
        started = monotonic()
        now = fields.Datetime.now()
        polled_before = now - POLL_INTERVAL
        carriers = self._oms_pollable_carriers(now)
        Shipment = self.env["oms.shipment"]
        cron = self.env["ir.cron"]
        dispatch = self.env["oms.batch.dispatch"]
        if dispatch._oms_queued(POLL_CHANNEL):
            batches = []
            for carrier in carriers:
                shipments = Shipment.search(
                    self._oms_open_shipments_domain(carrier, polled_before),
                    order="last_poll_date ASC NULLS FIRST, id",
                )
                batches += dispatch._oms_split(shipments, carrier._oms_poll_batch_size(batch_size))
            dispatch._oms_enqueue(
                batches,
                "_oms_poll_batch",
                POLL_CHANNEL,
                description=self.env._("Order Management: poll carriers for tracking events"),
            )
            return
        remaining = sum(
            Shipment.search_count(self._oms_open_shipments_domain(c, polled_before))
            for c in carriers
        )
        time_left = cron._commit_progress(remaining=remaining)
        for carrier in carriers:
            domain = self._oms_open_shipments_domain(carrier, polled_before)
            size = carrier._oms_poll_batch_size(batch_size)
            while True:
                if not time_left or monotonic() - started >= time_budget:
                    return  # budget spent: the rest waits for the next call
                shipments = Shipment.search(
                    domain, limit=size, order="last_poll_date ASC NULLS FIRST, id"
                )
                if not shipments:
                    break
                ok = carrier._oms_poll_shipments(shipments)
                remaining = max(remaining - len(shipments), 0)
                time_left = cron._commit_progress(len(shipments), remaining=remaining)
                if not ok:
                    break
        cron._commit_progress(remaining=0)
