"""Registering shipments with their tracking service, against a local HTTP server that
answers as AfterShip and TrackingMore document (POST /trackings, POST /trackings/create).

The server listens on http://127.0.0.1: the test points the services' URLs to it and lifts,
for its duration only, carrier_http's https-and-public-address check (``check_url``,
``public_addresses`` and the https-only transport are patched); everything else (timeouts,
size limit, JSON decoding, the adapters' answers handling) runs as in production."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch
from urllib.parse import urlsplit

from requests.adapters import HTTPAdapter

from odoo import fields
from odoo.tests import tagged

from .. import carrier_http
from ..models import delivery_carrier_aftership, delivery_carrier_trackingmore
from .common_shipment import ShipmentCase, make_order


class ServiceServer:
    """A tracking service's API on 127.0.0.1: ``answers`` is a list of (status, body)
    served in turn (the last one repeats); ``requests`` records (path, headers, body)."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                server.requests.append((self.path, dict(self.headers), body))
                status, answer = (
                    server.answers.pop(0) if len(server.answers) > 1 else server.answers[0]
                )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        self.patches = [
            patch.object(
                delivery_carrier_aftership,
                "AFTERSHIP_API_URL",
                f"{self.base}/tracking/2024-04/trackings",
            ),
            patch.object(
                delivery_carrier_trackingmore,
                "TRACKINGMORE_API_URL",
                f"{self.base}/v4/trackings/create",
            ),
            # Test only: the local server is http on a loopback address.
            patch.object(
                carrier_http,
                "check_url",
                lambda url: (urlsplit(url).hostname, urlsplit(url).port),
            ),
            patch.object(carrier_http, "public_addresses", lambda host, port: [host]),
            patch.object(carrier_http, "PublicHTTPSAdapter", HTTPAdapter),
        ]
        for one in self.patches:
            one.start()
        return self

    def __exit__(self, *exc):
        for one in reversed(self.patches):
            one.stop()
        self.httpd.shutdown()
        self.httpd.server_close()


AFTERSHIP_CREATED = (
    201,
    {
        "meta": {"code": 201},
        "data": {"id": "5b7658cec7c33c0e007de3c5", "tracking_number": "DPD0001", "slug": "dpd-lt"},
    },
)
AFTERSHIP_EXISTS = (
    400,
    {"meta": {"code": 4003, "message": "Tracking already exists.", "type": "BadRequest"}},
)


@tagged("post_install", "-at_install")
class TestServiceRegistration(ShipmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.carrier.write(
            {
                "oms_tracking_service": "aftership",
                "oms_service_carrier_code": "dpd-lt",
                "oms_service_api_key": "as-key-123",
            }
        )

    def _run_cron(self):
        with patch.object(
            type(self.env["ir.cron"]), "_commit_progress", lambda self, *a, **k: float("inf")
        ):
            self.env["oms.shipment"]._cron_oms_register_shipments()

    def test_registered_when_the_shipment_gets_its_tracking_number(self):
        order = make_order(self)
        shipment_count = len(order.oms_shipment_ids)
        self.assertFalse(shipment_count, "no tracking number yet: nothing to register")
        order.picking_ids.carrier_tracking_ref = "DPD0001"
        shipment = order.oms_shipment_ids
        self.assertEqual(shipment.service_state, "pending")
        cron = self.env.ref("oms_shipping.ir_cron_oms_register_shipments")
        self.assertTrue(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]))
        with ServiceServer([AFTERSHIP_CREATED]) as server:
            self._run_cron()
        self.assertEqual(shipment.service_state, "done")
        self.assertEqual(shipment.service_registered_ref, "DPD0001")
        ((path, headers, body),) = server.requests
        self.assertEqual(path, "/tracking/2024-04/trackings")
        self.assertEqual(headers["as-api-key"], "as-key-123")
        self.assertEqual(body["tracking_number"], "DPD0001")
        self.assertEqual(body["slug"], "dpd-lt")
        self.assertEqual(body["order_number"], order.name)
        # A second number on the transfer: only the new one is registered.
        order.picking_ids.carrier_tracking_ref = "DPD0001,DPD0002"
        self.assertEqual(shipment.service_state, "pending")
        with ServiceServer([AFTERSHIP_EXISTS]) as server:
            self._run_cron()
        self.assertEqual([r[2]["tracking_number"] for r in server.requests], ["DPD0002"])
        self.assertEqual(shipment.service_state, "done", "already followed counts as done")
        self.assertEqual(shipment.service_registered_ref, "DPD0001,DPD0002")

    def test_failures_are_retried_with_back_off(self):
        shipment = make_order(self, tracking="DPD0003").oms_shipment_ids
        error = (503, {"meta": {"code": 503, "message": "Service unavailable"}})
        with ServiceServer([error, error, AFTERSHIP_CREATED]) as server:
            before = fields.Datetime.now()
            self._run_cron()
            self.assertEqual((shipment.service_state, shipment.service_attempts), ("pending", 1))
            self.assertIn("503", shipment.service_error)
            self.assertGreaterEqual(shipment.service_next_try, before + timedelta(minutes=1))
            # Not before its next try.
            self._run_cron()
            self.assertEqual(len(server.requests), 1)
            shipment.service_next_try = before
            self._run_cron()
            self.assertEqual(shipment.service_attempts, 2)
            self.assertGreaterEqual(shipment.service_next_try, before + timedelta(minutes=2))
            shipment.service_next_try = before
            self._run_cron()
        self.assertEqual(shipment.service_state, "done")
        self.assertEqual(len(server.requests), 3)

    def test_gives_up_after_the_last_attempt_and_no_key_no_registration(self):
        shipment = make_order(self, tracking="DPD0004").oms_shipment_ids
        shipment.service_attempts = 9
        with ServiceServer([(500, {"meta": {"code": 500}})]):
            self._run_cron()
        self.assertEqual(shipment.service_state, "failed")
        self.carrier.oms_service_api_key = False
        self.assertFalse(make_order(self, tracking="DPD0005").oms_shipment_ids.service_state)

    def test_trackingmore_registration(self):
        self.carrier.write(
            {"oms_tracking_service": "trackingmore", "oms_service_carrier_code": "omniva"}
        )
        shipment = make_order(self, tracking="CC123456789EE").oms_shipment_ids
        created = (
            200,
            {
                "meta": {"code": 200, "message": "Request response is successful"},
                "data": {"tracking_number": "CC123456789EE", "courier_code": "omniva"},
            },
        )
        with ServiceServer([created]) as server:
            self._run_cron()
        self.assertEqual(shipment.service_state, "done")
        ((path, headers, body),) = server.requests
        self.assertEqual(path, "/v4/trackings/create")
        self.assertEqual(headers["Tracking-Api-Key"], "as-key-123")
        self.assertEqual(body["courier_code"], "omniva")

    def test_real_addresses_stay_refused(self):
        """Without the test's patches, the service URL must be https to a public address."""
        with self.assertRaises(carrier_http.CarrierHTTPError):
            carrier_http.post_json("http://127.0.0.1:9/x", {}, 2)
