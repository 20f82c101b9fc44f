import json
import logging
from collections import defaultdict
from datetime import timedelta
from time import monotonic

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Processed requests are kept this long (the replay key of a tracking service's event id
# must outlive the service's accepted age of a request: a day).
INBOX_KEEP = timedelta(days=7)
# One call of the processor starts no new batch after this many seconds.
PROCESS_TIME_BUDGET = 120


class OmsTrackingInbox(models.Model):
    """A webhook request of a carrier or tracking service, stored raw as soon as it is
    authenticated (the webhook answers 202), then processed by a cron: its events are
    deduplicated, matched to shipments and replayed. A request that cannot be read is
    parked with its reason for a manager; it never blocks the others."""

    _name = "oms.tracking.inbox"
    _description = "Tracking Webhook Request"
    _order = "id desc"
    _log_access = False
    _rec_name = "external_id"

    carrier_id = fields.Many2one(
        "delivery.carrier",
        string="Delivery Method",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    service = fields.Selection(
        selection="_selection_service", string="Tracking Service", readonly=True
    )
    external_id = fields.Char(
        string="Request Id",
        required=True,
        readonly=True,
        help="The service's id of the request (or a hash of its signature and body): the "
        "same request again is refused as a replay.",
    )
    received_at = fields.Datetime(string="Received", required=True, readonly=True, index=True)
    sent_at = fields.Datetime(string="Sent", readonly=True, help="The request's own time.")
    body = fields.Text(string="Raw Body", readonly=True)
    state = fields.Selection(
        [
            ("new", "To Process"),
            ("done", "Processed"),
            ("duplicate", "Duplicate"),
            ("parked", "Parked"),
        ],
        required=True,
        default="new",
        readonly=True,
        index=True,
    )
    error = fields.Text(string="Reason Parked", readonly=True)
    event_count = fields.Integer(string="Events", readonly=True)
    stored_count = fields.Integer(string="New Events", readonly=True)
    processed_at = fields.Datetime(string="Processed", readonly=True)

    _external_uniq = models.UniqueIndex(
        "(carrier_id, external_id)", "This request was already received."
    )
    _state_new_idx = models.Index("(id) WHERE state = 'new'")

    @api.model
    def _selection_service(self):
        return (
            self.env["delivery.carrier"]
            ._fields["oms_tracking_service"]
            ._description_selection(self.env)
        )

    # ------------------------------------------------------------------ reception

    @api.model
    def _oms_store(self, carrier, external_id, sent_at, body, error=None):
        """Store an authenticated request; its id, or None when it was received before (a
        replay). One INSERT, in the request's transaction; then the processor is woken."""
        text = body.decode("utf-8", "backslashreplace")
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (carrier_id, company_id, service, external_id, received_at, "
                "sent_at, body, state, error) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (carrier_id, external_id) DO NOTHING RETURNING id",
                SQL.identifier(self._table),
                carrier.id,
                carrier.company_id.id or None,
                carrier.oms_tracking_service,
                external_id,
                fields.Datetime.now(),
                sent_at,
                text,
                "parked" if error else "new",
                error,
            )
        )
        row = self.env.cr.fetchone()
        if row and not error:
            self._oms_wake_processor()
        return row[0] if row else None

    @api.model
    def _oms_wake_processor(self):
        """Trigger the processor now, unless a trigger is already waiting for it (one row
        per burst of requests, not one per request)."""
        cron = self.env.ref("oms_shipping.ir_cron_oms_process_tracking_inbox", False)
        if not cron:
            return
        self.env.cr.execute(
            SQL("SELECT 1 FROM ir_cron_trigger WHERE cron_id = %s LIMIT 1", cron.id)
        )
        if not self.env.cr.fetchone():
            # sudo: the webhook's caller wakes the processor, which runs as its own user.
            cron.sudo()._trigger()

    # ------------------------------------------------------------------ processing

    @api.model
    def _cron_oms_process_inbox(self, batch_size=200, time_budget=PROCESS_TIME_BUDGET):
        """Process the stored requests oldest first, in committed batches, until none is
        left or the time is up (the remaining count makes Odoo call again at once)."""
        started = monotonic()
        cron = self.env["ir.cron"]
        domain = Domain("state", "=", "new")
        remaining = self.search_count(domain)
        time_left = cron._commit_progress(remaining=remaining)
        while time_left and monotonic() - started < time_budget:
            rows = self.search(domain, limit=batch_size, order="id")
            if not rows:
                break
            rows._oms_process()
            remaining = max(remaining - len(rows), 0)
            time_left = cron._commit_progress(len(rows), remaining=remaining)
        else:
            return
        cron._commit_progress(remaining=0)

    def _oms_process(self):
        """Process these requests: read each with its service's adapter (an unreadable one
        is parked), then ingest the events of the batch per delivery method at once; should
        that fail, request by request, parking the failing ones."""
        groups = defaultdict(list)  # carrier -> [(row, events, dedup keys)]
        counts = {}
        for row in self:
            try:
                read = row._oms_read_events()
            except (ValueError, ValidationError, UserError) as error:
                row._oms_park(error)
                continue
            counts[row] = sum(len(events) for events, _keys in read.values())
            for carrier, (events, keys) in read.items():
                groups[carrier].append((row, events, keys))
        Event = self.env["oms.shipment.event"]
        stored = defaultdict(int)
        for target, items in groups.items():
            carrier = target.with_company(target.company_id) if target.company_id else target
            try:
                with self.env.cr.savepoint():
                    created = []
                    events = [event for _row, events, _keys in items for event in events]
                    Event._oms_ingest(carrier, events, created=created)
            except (ValueError, ValidationError, UserError):
                created = []
                for row, events, _keys in items:
                    try:
                        with self.env.cr.savepoint():
                            Event._oms_ingest(carrier, events, created=created)
                    except (ValueError, ValidationError, UserError) as error:
                        row._oms_park(error)
            # Each new event is credited to the first request of the batch that brought it.
            new_keys = {event.dedup_key for event in created}
            for row, _events, keys in items:
                for key in keys:
                    if key in new_keys:
                        stored[row] += 1
                        new_keys.discard(key)
        now = fields.Datetime.now()
        for row in self.filtered(lambda r: r.state == "new"):
            row.write(
                {
                    "state": "done" if stored[row] else "duplicate",
                    "event_count": counts.get(row, 0),
                    "stored_count": stored[row],
                    "processed_at": now,
                }
            )

    def _oms_read_events(self):
        """{delivery method: ([event dict], [dedup key])} of this request, by its service's
        adapter (the service's carrier code picks the delivery method); ValueError or
        ValidationError when it cannot be read (every event is checked)."""
        self.ensure_one()
        try:
            payload = json.loads(self.body or "")
        except ValueError as error:
            raise ValidationError(
                self.env._("The body is not valid JSON: %(error)s", error=error)
            ) from error
        carrier = self.carrier_id
        method = carrier._oms_service_method("parse")
        if not method:
            raise ValidationError(
                self.env._("No adapter for the tracking service %(service)s.", service=self.service)
            )
        Event = self.env["oms.shipment.event"]
        result = {}
        targets = {}
        for code, event in method(payload):
            if code not in targets:
                targets[code] = carrier._oms_service_carriers(code)
            events, keys = result.setdefault(targets[code], ([], []))
            keys.append(Event._oms_prepare_event(targets[code], event, "webhook")["dedup_key"])
            events.append(event)
        return result

    def _oms_park(self, error):
        message = error.args[0] if getattr(error, "args", None) else str(error)
        _logger.warning("Tracking request %s parked: %s", self.id, message)
        self.write(
            {"state": "parked", "error": str(message), "processed_at": fields.Datetime.now()}
        )

    # ------------------------------------------------------------------ actions

    def action_retry(self):
        """Process parked requests again (after their delivery method was fixed)."""
        self.check_access("write")
        parked = self.filtered(lambda r: r.state == "parked")
        parked.write({"state": "new", "error": False, "processed_at": False})
        # sudo: processed as the processor cron does (OdooBot, the author of what the events
        # trigger), once the manager's right to write these requests is checked; it reaches
        # only the requests' own delivery methods and their shipments.
        parked.sudo()._oms_process()
        return True

    @api.autovacuum
    def _gc_oms_processed_requests(self):
        """Forget processed requests after INBOX_KEEP (parked ones stay until deleted)."""
        limit = fields.Datetime.now() - INBOX_KEEP
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "DELETE FROM %s WHERE state IN ('done', 'duplicate') AND received_at < %s",
                SQL.identifier(self._table),
                limit,
            )
        )
        self.invalidate_model()
