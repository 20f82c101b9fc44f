import logging

from odoo import api, fields, models
from odoo.fields import Domain

from ..shipment_status import CLOSED_STATUSES, PROBLEM_STATUSES, SHIPMENT_STATUSES, fold_statuses

_logger = logging.getLogger(__name__)


def split_tracking_numbers(value):
    """The tracking numbers of a picking's tracking reference (Odoo joins several with ",")."""
    return [number.strip() for number in (value or "").split(",") if number.strip()]


class OmsShipment(models.Model):
    """One outgoing picking on its way to the customer, and its tracking status."""

    _name = "oms.shipment"
    _description = "Shipment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True)
    picking_id = fields.Many2one(
        "stock.picking",
        string="Transfer",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    sale_id = fields.Many2one("sale.order", string="Sales Order", readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one(related="sale_id.user_id", string="Salesperson")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    carrier_id = fields.Many2one("delivery.carrier", string="Carrier", tracking=True)
    tracking_ref = fields.Char(
        string="Tracking Numbers",
        index="trigram",
        tracking=True,
        help="The carrier's tracking numbers, separated by commas (as on the transfer).",
    )
    status = fields.Selection(
        SHIPMENT_STATUSES,
        required=True,
        default="label_created",
        tracking=True,
        index=True,
        help="Follows the newest tracking event; never moves back to an earlier step, "
        "except to Exception or Returned.",
    )
    status_date = fields.Datetime(string="Last Event", readonly=True)
    status_description = fields.Char(string="Last Event Description", readonly=True)
    estimated_date = fields.Datetime(
        string="Estimated Delivery", help="The carrier's latest estimate."
    )
    promised_date = fields.Datetime(
        string="Promised Delivery",
        help="The date promised to the customer (the order's delivery date, or the transfer's "
        "deadline); past it, an undelivered shipment raises an alert.",
    )
    delivered_date = fields.Datetime(readonly=True)
    event_ids = fields.One2many("oms.shipment.event", "shipment_id", string="Tracking Events")
    event_count = fields.Integer(compute="_compute_event_count")
    is_late = fields.Boolean(
        compute="_compute_is_late",
        search="_search_is_late",
        help="Not delivered and past its promised date.",
    )
    late_alerted = fields.Boolean(readonly=True, copy=False)
    last_poll_date = fields.Datetime(readonly=True, copy=False)

    _picking_uniq = models.UniqueIndex(
        "(picking_id)", "A transfer has one shipment: open the existing one."
    )

    def _compute_event_count(self):
        counts = dict(
            self.env["oms.shipment.event"]._read_group(
                [("shipment_id", "in", self.ids)], ["shipment_id"], ["__count"]
            )
        )
        for shipment in self:
            shipment.event_count = counts.get(shipment, 0)

    def _compute_is_late(self):
        now = fields.Datetime.now()
        for shipment in self:
            shipment.is_late = bool(
                shipment.promised_date
                and shipment.promised_date < now
                and shipment.status not in CLOSED_STATUSES
            )

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        late = Domain("promised_date", "<", fields.Datetime.now()) & Domain(
            "status", "not in", CLOSED_STATUSES
        )
        return late if (operator == "=") == value else ~late

    # ------------------------------------------------------------------ creation

    @api.model
    def _oms_sync_pickings(self, pickings):
        """Create or update the shipments of outgoing ``pickings`` that are done or carry a
        tracking number; then attach the tracking events that waited for their numbers."""
        pickings = pickings.filtered(
            lambda p: (
                p.picking_type_code == "outgoing"
                and p.state != "cancel"
                and (p.state == "done" or p.carrier_tracking_ref)
            )
        )
        if not pickings:
            return self.browse()
        existing = self.search([("picking_id", "in", pickings.ids)])
        by_picking = {shipment.picking_id: shipment for shipment in existing}
        vals_list = []
        for picking in pickings:
            shipment = by_picking.get(picking)
            if shipment:
                vals = shipment._oms_picking_changes(picking)
                if vals:
                    shipment.write(vals)
            else:
                vals_list.append(self._oms_prepare_shipment(picking))
        shipments = existing | self.create(vals_list)
        shipments._oms_attach_waiting_events()
        return shipments

    @api.model
    def _oms_prepare_shipment(self, picking):
        order = picking.sale_id
        return {
            "name": picking.name,
            "picking_id": picking.id,
            "sale_id": order.id,
            "partner_id": picking.partner_id.id,
            "company_id": picking.company_id.id,
            "carrier_id": picking.carrier_id.id,
            "tracking_ref": picking.carrier_tracking_ref,
            "promised_date": order.commitment_date or picking.date_deadline,
        }

    def _oms_picking_changes(self, picking):
        vals = {}
        if picking.carrier_tracking_ref != self.tracking_ref:
            vals["tracking_ref"] = picking.carrier_tracking_ref
        if picking.carrier_id != self.carrier_id:
            vals["carrier_id"] = picking.carrier_id.id
        return vals

    @api.model
    def _oms_find_by_tracking(self, carrier, numbers, within=None):
        """{tracking number: shipment} among the shipments of ``carrier`` in its company (all
        companies for a carrier shared by them), or among ``within``. Never a shipment
        without a carrier; a number of a shared carrier found in several companies matches
        none (its events wait rather than go to the wrong company)."""
        numbers = set(numbers)
        if not numbers:
            return {}
        domain = Domain.OR(Domain("tracking_ref", "ilike", number) for number in numbers)
        domain &= Domain("carrier_id", "=", carrier.id)
        if carrier.company_id:
            domain &= Domain("company_id", "=", carrier.company_id.id)
        if within is not None:
            domain &= Domain("id", "in", within.ids)
        candidates = {}
        for shipment in self.search(domain, order="id"):
            for number in split_tracking_numbers(shipment.tracking_ref):
                if number in numbers:
                    candidates[number] = candidates.get(number, self.browse()) | shipment
        found = {}
        for number, shipments in candidates.items():
            if len(shipments.company_id) > 1:
                _logger.warning(
                    "Tracking number %s of carrier %s is on shipments of several companies: "
                    "its events wait for a carrier of one company",
                    number,
                    carrier.name,
                )
                continue
            found[number] = shipments[0]
        return found

    def _oms_attach_waiting_events(self):
        """Events received before their tracking number was known now find their shipment:
        the events of its carrier (in its company) only."""
        shipments = self.filtered("carrier_id")
        numbers = {
            number
            for shipment in shipments
            for number in split_tracking_numbers(shipment.tracking_ref)
        }
        if not numbers:
            return
        waiting = self.env["oms.shipment.event"].search(
            [
                ("shipment_id", "=", False),
                ("tracking_number", "in", list(numbers)),
                ("carrier_id", "in", shipments.carrier_id.ids),
            ]
        )
        touched = self.browse()
        for carrier, events in waiting.grouped("carrier_id").items():
            matches = self._oms_find_by_tracking(carrier, set(events.mapped("tracking_number")))
            for event in events:
                shipment = matches.get(event.tracking_number)
                if shipment and shipment in shipments:
                    event.shipment_id = shipment
                    touched |= shipment
        touched._oms_apply_events()

    # ------------------------------------------------------------------ status

    def _oms_apply_events(self):
        """Recompute the status from the events, oldest first (events may arrive out of
        order), and act on the transitions."""
        for shipment in self:
            events = shipment.event_ids.sorted(lambda e: (e.event_date, e.id))
            if not events:
                continue
            status = fold_statuses(events.mapped("status"), start="label_created")
            newest = events[-1]
            estimates = events.filtered("estimated_date")
            vals = {
                "status_date": newest.event_date,
                "status_description": newest.description or newest.carrier_status,
            }
            if estimates:
                vals["estimated_date"] = estimates[-1].estimated_date
            old = shipment.status
            if status != old:
                vals["status"] = status
                if status == "delivered":
                    delivered = events.filtered(lambda e: e.status == "delivered")
                    vals["delivered_date"] = delivered[-1].event_date
            shipment.write(vals)
            if status != old:
                shipment._oms_on_status_change(old)

    def _oms_on_status_change(self, old_status):
        """Hook: the status changed from ``old_status``."""
        self.ensure_one()
        order = self.sale_id
        if not order:
            return
        if self.status in PROBLEM_STATUSES:
            self._oms_raise_exception()
        elif self.status == "delivered" and not order.oms_delivered:
            # Delivered when everything is shipped (no backorder left) and has arrived.
            shipments = self.search([("sale_id", "=", order.id)])
            if order.delivery_status == "full" and all(s.status == "delivered" for s in shipments):
                order.oms_delivered = True
                order._oms_mark_for_automation()

    def _oms_raise_exception(self):
        """Put the order in exception once: one activity for the salesperson, not one per
        event (an order already in shipment exception is left as it is)."""
        self.ensure_one()
        if self.sale_id.oms_exception_type == "shipment":
            return
        label = dict(self._fields["status"]._description_selection(self.env))[self.status]
        reason = self.env._(
            "Shipment %(shipment)s (%(tracking)s): %(status)s. %(description)s",
            shipment=self.name,
            tracking=self.tracking_ref or "-",
            status=label,
            description=self.status_description or "",
        ).strip()
        self.picking_id._oms_shipment_exception(reason)
        self._oms_notify_customer()

    def _oms_notify_customer(self):
        """E-mail the customer about a problem, when the carrier is set so."""
        template = self.env.ref(
            "oms_shipping.mail_template_oms_shipment_problem", raise_if_not_found=False
        )
        for shipment in self:
            if template and shipment.carrier_id.oms_notify_customer and shipment.partner_id:
                template.send_mail(shipment.id, email_layout_xmlid="mail.mail_notification_light")

    def _oms_alert_late(self):
        """One activity per late shipment's order for its salesperson."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        summary = self.env._("Shipment late")
        for shipment in self.filtered(lambda s: not s.late_alerted):
            order = shipment.sale_id
            if order and not order.activity_ids.filtered(
                lambda a, s=summary: a.summary == s and a.activity_type_id == todo
            ):
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=summary,
                    note=self.env._(
                        "Shipment %(shipment)s (%(tracking)s) was promised for %(date)s and "
                        "is not delivered (status: %(status)s).",
                        shipment=shipment.name,
                        tracking=shipment.tracking_ref or "-",
                        date=shipment.promised_date,
                        status=dict(self._fields["status"]._description_selection(self.env))[
                            shipment.status
                        ],
                    ),
                    user_id=order.user_id.id or self.env.uid,
                )
                shipment._oms_notify_customer()
            shipment.late_alerted = True

    @api.model
    def _cron_oms_alert_late_shipments(self, batch_size=500):
        """Alert once for each shipment past its promised date, in committed batches."""
        domain = Domain("is_late", "=", True) & Domain("late_alerted", "=", False)
        remaining = self.search_count(domain)
        self.env["ir.cron"]._commit_progress(remaining=remaining)
        while remaining:
            shipments = self.search(domain, limit=batch_size, order="promised_date, id")
            if not shipments:
                break
            shipments._oms_alert_late()
            remaining = max(remaining - len(shipments), 0)
            if not self.env["ir.cron"]._commit_progress(len(shipments), remaining=remaining):
                break

    # ------------------------------------------------------------------ actions

    def action_view_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "oms_shipping.action_oms_shipment_event"
        )
        action["domain"] = [("shipment_id", "=", self.id)]
        action["context"] = {"default_shipment_id": self.id}
        return action

    def action_poll_now(self):
        """Fetch the carrier's events for these shipments now. It changes their status (and
        their orders'), so it takes the right to write them: OMS users, in their companies;
        inventory users and salespeople, who only read shipments, may not."""
        self.check_access("write")
        for carrier, shipments in self.grouped("carrier_id").items():
            if carrier:
                carrier._oms_poll_shipments(shipments, raise_errors=True)
        return True

    def _oms_poll_batch(self):
        """One polling batch run as a background job: of these shipments, those still open and
        not polled since, per carrier whose polling is not paused (a batch run late or twice
        polls nothing twice)."""
        from .delivery_carrier import POLL_INTERVAL

        now = fields.Datetime.now()
        carriers = self.env["delivery.carrier"]._oms_pollable_carriers(now)
        for carrier, shipments in self.exists().grouped("carrier_id").items():
            if carrier not in carriers:
                continue
            todo = shipments.filtered_domain(
                carrier._oms_open_shipments_domain(carrier, now - POLL_INTERVAL)
            )
            if todo:
                carrier._oms_poll_shipments(todo)
