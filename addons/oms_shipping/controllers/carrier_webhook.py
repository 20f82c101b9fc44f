import json
import logging

from odoo import SUPERUSER_ID, http
from odoo.addons.oms_extended.http_errors import json_error
from odoo.exceptions import ValidationError
from odoo.http import request

from ..models.delivery_carrier_webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER

_logger = logging.getLogger(__name__)


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
        tracking number; 400: bad body; 401: bad or missing signature, unknown carrier or
        stale timestamp (the same answer whether the carrier exists or not); 409: the same
        signed request again (replay). A rejected request stores nothing."""
        body = request.httprequest.get_data()
        headers = request.httprequest.headers
        # sudo: the caller is no Odoo user; this finds the carrier by its code and checks the
        # signature with its secret (managers only), and writes only the replay record.
        carrier, refusal = (
            request.env["delivery.carrier"]
            .sudo()
            ._oms_authenticate_webhook(
                carrier_code, headers.get(TIMESTAMP_HEADER), headers.get(SIGNATURE_HEADER), body
            )
        )
        if refusal:
            return json_error(*refusal)
        # Authenticated as the carrier: its events are stored by OdooBot (the author of what
        # they trigger, e.g. the activity of an order without salesperson), as a cron would;
        # ingestion reaches only this carrier's events and shipments (its company's).
        env = request.env(user=SUPERUSER_ID)
        carrier = carrier.with_env(env)
        if carrier.company_id:
            carrier = carrier.with_company(carrier.company_id)
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            return json_error(400, "invalid_json", f"The body is not valid JSON: {error}")
        events = (
            payload.get("events") if isinstance(payload, dict) and "events" in payload else payload
        )
        if isinstance(events, dict):
            events = [events]
        if not isinstance(events, list) or not events:
            return json_error(
                400, "invalid_events", 'Send one event, a list of events or {"events": [...]}.'
            )
        try:
            with request.env.cr.savepoint():
                result = carrier.env["oms.shipment.event"]._oms_ingest(carrier, events)
        except ValidationError as error:
            return json_error(400, "invalid_event", str(error))
        return request.make_json_response(result, status=202 if result["unmatched"] else 200)
