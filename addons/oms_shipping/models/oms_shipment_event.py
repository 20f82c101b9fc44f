import hashlib
import json
import logging
from datetime import datetime, timezone

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..shipment_status import SHIPMENT_STATUSES, normalise_status

_logger = logging.getLogger(__name__)


class OmsShipmentEvent(models.Model):
    """One tracking event of a carrier. An event whose tracking number matches no shipment
    yet is kept without one (``shipment_id`` empty) and attached when the number appears."""

    _name = "oms.shipment.event"
    _description = "Shipment Tracking Event"
    _order = "event_date desc, id desc"
    _rec_name = "description"

    shipment_id = fields.Many2one("oms.shipment", ondelete="cascade", index=True, readonly=True)
    carrier_id = fields.Many2one("delivery.carrier", required=True, readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        index=True,
        readonly=True,
        help="The shipment's company; for an event waiting for its shipment, the carrier's.",
    )
    tracking_number = fields.Char(required=True, readonly=True, index=True)
    event_date = fields.Datetime(string="Time", required=True, readonly=True)
    status = fields.Selection(
        SHIPMENT_STATUSES, readonly=True, help="Empty for an informational event."
    )
    carrier_status = fields.Char(string="Carrier Code", readonly=True)
    description = fields.Char(readonly=True)
    location = fields.Char(readonly=True)
    estimated_date = fields.Datetime(string="Estimated Delivery", readonly=True)
    source = fields.Selection(
        [
            ("webhook", "Webhook"),
            ("poll", "Polling"),
            ("import", "Import"),
            ("manual", "Manual"),
            ("connector", "Carrier Connector"),
        ],
        required=True,
        default="manual",
        readonly=True,
    )
    dedup_key = fields.Char(
        required=True,
        readonly=True,
        help="The carrier's event id, or a hash of the event's content: the same event "
        "received twice is stored once.",
    )
    raw_payload = fields.Text(
        readonly=True,
        groups="oms_extended.group_oms_manager",
        help="The event as the carrier sent it (OMS managers only).",
    )

    _dedup_uniq = models.UniqueIndex(
        "(carrier_id, dedup_key)", "This carrier already reported this event."
    )

    def init(self):
        result = super().init()
        # Events that waited for their shipment before they had a company take their
        # carrier's (a carrier of all companies leaves them without one).
        self.env.cr.execute(
            SQL(
                "UPDATE %s AS event SET company_id = carrier.company_id FROM delivery_carrier "
                "AS carrier WHERE carrier.id = event.carrier_id AND event.shipment_id IS NULL "
                "AND event.company_id IS NULL AND carrier.company_id IS NOT NULL",
                SQL.identifier(self._table),
            )
        )
        return result

    @api.depends("shipment_id.company_id", "carrier_id.company_id")
    def _compute_company_id(self):
        for event in self:
            event.company_id = event.shipment_id.company_id or event.carrier_id.company_id

    # ------------------------------------------------------------------ parsing

    @api.model
    def _oms_parse_datetime(self, value, field_name):
        if value in (None, ""):
            return None
        try:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                moment = datetime.fromtimestamp(value, timezone.utc)
            elif isinstance(value, str):
                moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            else:
                raise ValueError(value)
        except (ValueError, OverflowError, OSError) as error:
            raise ValidationError(
                self.env._(
                    "%(field)s is not a date and time (ISO 8601 or a Unix timestamp): %(value)r",
                    field=field_name,
                    value=value,
                )
            ) from error
        if moment.tzinfo:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        return moment.replace(microsecond=0)

    @api.model
    def _oms_prepare_event(self, carrier, data, source):
        """Values of an event from a carrier's dict; ValidationError on bad input.

        Keys: ``tracking_number`` (required), ``status`` (ours or a known carrier word),
        ``time`` (ISO 8601 or Unix), ``event_id`` (at least one of these two: the event must
        be recognisable when it comes again, never by the time it was received), ``code``,
        ``description``, ``location``, ``estimated_delivery``."""
        if not isinstance(data, dict):
            raise ValidationError(self.env._("Each event must be a JSON object."))
        number = data.get("tracking_number")
        if not isinstance(number, str) or not number.strip():
            raise ValidationError(self.env._("Each event needs a tracking_number (a string)."))
        raw_status = data.get("status")
        status = normalise_status(raw_status)
        if raw_status not in (None, "") and not status:
            raise ValidationError(
                self.env._(
                    "Unknown status %(status)r; use one of: %(known)s.",
                    status=raw_status,
                    known=", ".join(key for key, _label in SHIPMENT_STATUSES),
                )
            )
        event_date = self._oms_parse_datetime(data.get("time"), "time")
        estimated = self._oms_parse_datetime(data.get("estimated_delivery"), "estimated_delivery")
        text = {}
        for key in ("event_id", "code", "description", "location"):
            value = data.get(key)
            if value is not None and not isinstance(value, (str, int)):
                raise ValidationError(
                    self.env._("%(key)s must be a string.", key=key),
                )
            text[key] = str(value) if value not in (None, "") else False
        if not text["event_id"] and not event_date:
            raise ValidationError(
                self.env._(
                    "Event of %(number)s: send its event_id or its time, so that the same event "
                    "sent again is recognised.",
                    number=number.strip(),
                )
            )
        # With an id and no time, the time shown is the reception's; the id deduplicates.
        event_date = event_date or fields.Datetime.now()
        raw = json.dumps(data, sort_keys=True, default=str)
        if text["event_id"]:
            dedup_key = "id:" + text["event_id"]
        else:
            content = json.dumps(
                [number.strip(), status, str(event_date), text["code"], text["description"]],
            )
            dedup_key = "sha256:" + hashlib.sha256(content.encode()).hexdigest()
        return {
            "carrier_id": carrier.id,
            "tracking_number": number.strip(),
            "status": status or False,
            "event_date": event_date,
            "estimated_date": estimated or False,
            "carrier_status": text["code"]
            or (raw_status if isinstance(raw_status, str) else False),
            "description": text["description"],
            "location": text["location"],
            "source": source,
            "dedup_key": dedup_key,
            "raw_payload": raw,
        }

    # ------------------------------------------------------------------ ingestion

    @api.model
    def _oms_ingest(
        self, carrier, events, source="webhook", shipment=None, within=None, *, created=None
    ):
        """Store a carrier's events once each and move their shipments on, with the rights
        of the environment (the webhook's is OdooBot; a user's poll or import is theirs).

        Events go to the shipment of their tracking number among the carrier's shipments of
        its company (among ``within`` when given), or all to ``shipment`` when given; an
        event that matches none waits, in the carrier's company. Every event is validated
        before anything is written (a ValidationError leaves the database as it was).
        Returns a dict with the counts ``received``, ``stored``, ``duplicates`` and
        ``unmatched`` (waiting for their tracking number); the events stored are appended to
        the list ``created`` when given."""
        vals_list = [self._oms_prepare_event(carrier, data, source) for data in events]
        # One event twice in the same batch: the first one counts.
        unique = {}
        for vals in vals_list:
            unique.setdefault(vals["dedup_key"], vals)
        known = set(
            self.search(
                [("carrier_id", "=", carrier.id), ("dedup_key", "in", list(unique))]
            ).mapped("dedup_key")
        )
        new_vals = [vals for key, vals in unique.items() if key not in known]
        numbers = {vals["tracking_number"] for vals in unique.values()}
        if shipment:
            matches = dict.fromkeys(numbers, shipment)
        else:
            matches = self.env["oms.shipment"]._oms_find_by_tracking(carrier, numbers, within)
        for vals in new_vals:
            vals["shipment_id"] = matches.get(vals["tracking_number"], self.env["oms.shipment"]).id
        stored = self._oms_create_once(new_vals)
        stored.shipment_id._oms_apply_events()
        if created is not None:
            created.extend(stored)
        return {
            "received": len(vals_list),
            "stored": len(stored),
            "duplicates": len(vals_list) - len(stored),
            # Events (new or already stored) whose tracking number matches no shipment yet.
            "unmatched": sum(
                1 for vals in unique.values() if vals["tracking_number"] not in matches
            ),
        }

    @api.model
    def _oms_create_once(self, vals_list):
        """Create the events, skipping those another transaction stored meanwhile (the
        unique index on carrier and key decides)."""
        if not vals_list:
            return self.browse()
        try:
            with self.env.cr.savepoint():
                return self._oms_create_with_payload(vals_list)
        except UniqueViolation:
            _logger.info("Tracking events stored concurrently; storing them one by one")
        created = self.browse()
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    created |= self._oms_create_with_payload([vals])
            except UniqueViolation:
                continue
        return created

    @api.model
    def _oms_create_with_payload(self, vals_list):
        """Create the events with the caller's rights; the raw payload (a field of OMS
        managers) is written apart when the caller may not write it."""
        if self._has_field_access(self._fields["raw_payload"], "write"):
            return self.create(vals_list)
        vals_list = [dict(vals) for vals in vals_list]
        payloads = [vals.pop("raw_payload", False) for vals in vals_list]
        events = self.create(vals_list)
        for event, payload in zip(events, payloads, strict=True):
            # sudo: the payload is what this user's own poll or import brought in, written on
            # the events they just created; they still cannot read it.
            event.sudo().raw_payload = payload
        return events
