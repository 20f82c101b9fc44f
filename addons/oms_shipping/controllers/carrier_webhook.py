import json
import logging

from odoo import http
from odoo.addons.oms_extended.http_errors import json_error
from odoo.http import request

from ..models.delivery_carrier_webhook import WebhookRefused

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
        """Tracking events pushed by a carrier or a tracking service, in the format and with
        the signature of the delivery method's *Tracking Service* (our signed JSON,
        AfterShip, TrackingMore). Store first, process next: the request is authenticated,
        stored raw and answered 202 in one short transaction; a cron processes it seconds
        later. 202: stored; 400: not JSON (stored, parked); 401: bad or missing signature,
        unknown code or stale timestamp (the same answer whether the carrier exists or
        not); 409: the same request again (replay)."""
        body = request.httprequest.get_data()
        headers = request.httprequest.headers
        # sudo: the caller is no Odoo user; this finds the carrier by its code, checks the
        # signature with its secret (managers only), and writes only the replay record and
        # the stored request (both for the authenticated carrier alone).
        env = request.env(su=True)
        try:
            carrier, external_id, sent_at = env["delivery.carrier"]._oms_authenticate_request(
                carrier_code, headers, body
            )
        except WebhookRefused as refusal:
            return json_error(refusal.status, refusal.code, refusal.message)
        error = None
        try:
            json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            error = env._("The body is not valid JSON: %(error)s", error=exc)
        request_id = env["oms.tracking.inbox"]._oms_store(
            carrier, external_id, sent_at, body, error
        )
        if request_id is None:
            return json_error(
                409,
                "replayed_request",
                env._("This request was already received: each delivery is accepted once."),
            )
        if error:
            return json_error(400, "invalid_json", error, details={"request_id": request_id})
        return request.make_json_response({"accepted": True, "request_id": request_id}, status=202)
