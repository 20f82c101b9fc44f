import logging
from datetime import timedelta
from time import monotonic

import requests

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from .. import carrier_http
from .oms_shipment import split_tracking_numbers

_logger = logging.getLogger(__name__)

# Retries of a failed registration: 1 minute, doubled at each failure, at most 6 hours; given
# up (state failed, shown on the shipment) after REGISTER_MAX_ATTEMPTS.
REGISTER_BACKOFF_BASE = timedelta(minutes=1)
REGISTER_BACKOFF_MAX = timedelta(hours=6)
REGISTER_MAX_ATTEMPTS = 10
REGISTER_TIME_BUDGET = 120


class OmsShipment(models.Model):
    """Registration of the shipments' tracking numbers with their delivery method's
    tracking service (AfterShip, TrackingMore...), by a cron, retried with back-off."""

    _inherit = "oms.shipment"

    service_state = fields.Selection(
        [
            ("pending", "To Register"),
            ("done", "Registered"),
            ("failed", "Registration Failed"),
        ],
        string="Tracking Service Registration",
        readonly=True,
        copy=False,
        index=True,
    )
    service_attempts = fields.Integer(string="Registration Attempts", readonly=True, copy=False)
    service_next_try = fields.Datetime(string="Next Registration Try", readonly=True, copy=False)
    service_error = fields.Char(string="Registration Error", readonly=True, copy=False)
    service_registered_ref = fields.Char(
        string="Registered Numbers",
        readonly=True,
        copy=False,
        help="The tracking numbers already registered with the service.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        shipments = super().create(vals_list)
        shipments._oms_queue_registration()
        return shipments

    def write(self, vals):
        result = super().write(vals)
        if "tracking_ref" in vals or "carrier_id" in vals:
            self._oms_queue_registration()
        return result

    def _oms_needs_registration(self):
        self.ensure_one()
        carrier = self.carrier_id
        if not (self.tracking_ref and carrier and carrier._oms_service_method("register")):
            return False
        if not carrier._oms_service_api_key():
            return False
        registered = set(split_tracking_numbers(self.service_registered_ref))
        return bool(set(split_tracking_numbers(self.tracking_ref)) - registered)

    def _oms_queue_registration(self):
        """Shipments with a new tracking number of a delivery method with a service API key
        are queued for registration, and the cron woken."""
        todo = self.filtered(lambda s: s.service_state != "pending" and s._oms_needs_registration())
        if not todo:
            return
        # sudo: the registration state is the cron's bookkeeping, set for any user whose
        # transfer gets a tracking number (as the shipment itself is).
        todo.sudo().write(
            {
                "service_state": "pending",
                "service_attempts": 0,
                "service_next_try": fields.Datetime.now(),
                "service_error": False,
            }
        )
        cron = self.env.ref("oms_shipping.ir_cron_oms_register_shipments", False)
        if cron:
            # sudo: waking the cron, which runs as its own user.
            cron.sudo()._trigger()

    def _oms_register_with_service(self):
        """Register this shipment's new tracking numbers; on failure count the attempt
        and set the next try (doubling back-off), and give up after the last attempt."""
        self.ensure_one()
        # sudo: the service's API key is a manager-only field; it is only sent to the
        # service this shipment's own delivery method names, and never returned or shown.
        carrier = self.carrier_id.sudo()
        registered = split_tracking_numbers(self.service_registered_ref)
        try:
            for number in split_tracking_numbers(self.tracking_ref):
                if number not in registered:
                    carrier._oms_service_method("register")(self, number)
                    registered.append(number)
        except (requests.RequestException, ValueError, UserError, ValidationError) as error:
            attempts = self.service_attempts + 1
            message = (
                carrier._oms_http_error_message(error)
                if isinstance(error, carrier_http.CarrierHTTPError)
                else str(error.args[0] if error.args else error)
            )
            _logger.warning("Registering shipment %s failed: %s", self.name, message)
            delay = min(REGISTER_BACKOFF_BASE * 2 ** (attempts - 1), REGISTER_BACKOFF_MAX)
            self.write(
                {
                    "service_attempts": attempts,
                    "service_state": "failed" if attempts >= REGISTER_MAX_ATTEMPTS else "pending",
                    "service_next_try": fields.Datetime.now() + delay,
                    "service_error": message[:500],
                    "service_registered_ref": ",".join(registered) or False,
                }
            )
            return False
        self.write(
            {
                "service_state": "done",
                "service_error": False,
                "service_registered_ref": ",".join(registered),
            }
        )
        return True

    @api.model
    def _cron_oms_register_shipments(self, batch_size=20, time_budget=REGISTER_TIME_BUDGET):
        """Register the pending shipments whose next try has come, in committed batches."""
        started = monotonic()
        cron = self.env["ir.cron"]
        domain = Domain("service_state", "=", "pending") & Domain(
            "service_next_try", "<=", fields.Datetime.now()
        )
        remaining = self.search_count(domain)
        time_left = cron._commit_progress(remaining=remaining)
        done = self.browse()
        while time_left and monotonic() - started < time_budget:
            shipments = self.search(domain & Domain("id", "not in", done.ids), limit=batch_size)
            if not shipments:
                break
            for shipment in shipments:
                shipment._oms_register_with_service()
            done |= shipments
            remaining = max(remaining - len(shipments), 0)
            time_left = cron._commit_progress(len(shipments), remaining=remaining)
        else:
            return
        cron._commit_progress(remaining=0)
