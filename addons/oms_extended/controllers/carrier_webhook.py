import json
import logging

from odoo import SUPERUSER_ID, http
from odoo.exceptions import ValidationError
from odoo.http import request

from ..models.delivery_carrier import SIGNATURE_HEADER, TIMESTAMP_HEADER

_logger = logging.getLogger(__name__)


def _error(status, code, message):
    return request.make_json_response(
        {"error": {"code": code, "message": message, "details": {}}}, status=status
    )


class CarrierWebhook(http.Controller):
    @http.route(
        "/oms/carrier/<string:carrier_code>/webhook",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def oms_carrier_webhook(self, carrier_code, **_params):
        """Tracking events pushed by a carrier (JSON: one event, a list, or {"events": [...]}),
        signed with the carrier's secret. 200: stored; 202: stored, some waiting for their
        tracking number; 400: bad body; 401: bad signature or stale timestamp; 404: unknown
        carrier. A rejected request stores nothing."""
        # The carrier is not an Odoo user: it is authenticated by the signature below, then
        # its events are stored by the superuser (OdooBot: the author of what they trigger,
        # e.g. the activity of an order without salesperson), as a cron would.
        env = request.env(user=SUPERUSER_ID)
        carrier = env["delivery.carrier"].search([("oms_code", "=", carrier_code)], limit=1)
        if not carrier:
            return _error(404, "unknown_carrier", f"No carrier with tracking code {carrier_code}.")
        body = request.httprequest.get_data()
        headers = request.httprequest.headers
        problem = carrier._oms_check_webhook_request(
            headers.get(TIMESTAMP_HEADER), headers.get(SIGNATURE_HEADER), body
        )
        if problem:
            return _error(401, "unauthorized", problem)
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            return _error(400, "invalid_json", f"The body is not valid JSON: {error}")
        events = (
            payload.get("events") if isinstance(payload, dict) and "events" in payload else payload
        )
        if isinstance(events, dict):
            events = [events]
        if not isinstance(events, list) or not events:
            return _error(
                400, "invalid_events", 'Send one event, a list of events or {"events": [...]}.'
            )
        try:
            with request.env.cr.savepoint():
                result = env["oms.shipment.event"]._oms_ingest(carrier, events)
        except ValidationError as error:
            return _error(400, "invalid_event", str(error))
        return request.make_json_response(result, status=202 if result["unmatched"] else 200)
