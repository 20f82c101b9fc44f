"""Polling carriers: the generic JSON adapter against a real local HTTP server, timeouts and
server errors backing the carrier off, and the per-delivery_type adapter interface."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch

import requests

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common_shipment import make_order, setup_shipping


def no_commit(self, processed=0, *, remaining=None, deactivate=False):
    return float("inf")


class TrackingHandler(BaseHTTPRequestHandler):
    """GET /track/<number>: the events the test put in ``server.events``; ``server.mode``
    "500" answers a server error."""

    def do_GET(self):
        server = self.server
        server.hits.append(self.path)
        if server.mode == "500":
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"boom")
            return
        number = self.path.rsplit("/", 1)[-1]
        body = json.dumps({"events": server.events.get(number, [])}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # quiet
        pass


@tagged("post_install", "-at_install")
class TestCarrierPolling(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        setup_shipping(cls)
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), TrackingHandler)
        cls.server.daemon_threads = True
        cls.server.events, cls.server.hits, cls.server.mode = {}, [], "ok"
        thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        thread.start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        port = cls.server.server_address[1]
        cls.carrier.write(
            {
                "oms_tracking_url_template": f"http://127.0.0.1:{port}/track/{{tracking_number}}",
                "oms_tracking_timeout": 1,
            }
        )
        cls.orders = [make_order(cls, tracking=f"PL{i}", validate=True) for i in range(1, 4)]
        cls.Shipment = cls.env["oms.shipment"]

    def setUp(self):
        super().setUp()
        self.server.events, self.server.hits, self.server.mode = {}, [], "ok"

    def _run_cron(self, batch_size=2):
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit):
            self.env["delivery.carrier"]._cron_oms_poll_shipments(batch_size=batch_size)

    def test_cron_polls_open_shipments_in_batches(self):
        self.server.events = {
            "PL1": [{"status": "in_transit", "time": "2026-03-01T10:00:00Z", "id": 1}],
            "PL2": [
                {"status": "picked_up", "time": "2026-03-01T08:00:00Z", "event_id": "a"},
                {"status": "delivered", "time": "2026-03-02T08:00:00Z", "event_id": "b"},
            ],
        }
        self._run_cron(batch_size=2)
        shipments = [order.oms_shipment_ids for order in self.orders]
        self.assertEqual(
            [s.status for s in shipments], ["in_transit", "delivered", "label_created"]
        )
        self.assertEqual(sorted(self.server.hits), ["/track/PL1", "/track/PL2", "/track/PL3"])
        self.assertTrue(all(s.last_poll_date for s in shipments))
        self.assertEqual(shipments[1].event_ids.mapped("source"), ["poll", "poll"])
        # Polled again in a later run: the same events are not stored twice, and the
        # delivered shipment is no longer polled.
        for shipment in shipments:
            shipment.last_poll_date = fields.Datetime.now() - timedelta(hours=1)
        self.server.hits = []
        self._run_cron()
        self.assertEqual(sorted(self.server.hits), ["/track/PL1", "/track/PL3"])
        self.assertEqual(len(shipments[0].event_ids), 1)

    def test_server_error_backs_the_carrier_off(self):
        self.server.mode = "500"
        self._run_cron(batch_size=10)
        self.assertEqual(self.carrier.oms_poll_failures, 1)
        self.assertGreater(self.carrier.oms_poll_backoff_until, fields.Datetime.now())
        self.assertIn("500", self.carrier.oms_poll_error)
        self.assertEqual(len(self.server.hits), 1, "the carrier stops at its first failure")
        # Paused: the next run leaves it alone.
        self.server.mode, self.server.hits = "ok", []
        self._run_cron()
        self.assertEqual(self.server.hits, [])
        # Once the pause is over it is polled again, and a success resets the back-off.
        self.carrier.oms_poll_backoff_until = fields.Datetime.now() - timedelta(seconds=1)
        self._run_cron()
        self.assertEqual(len(self.server.hits), 3)
        self.assertEqual(self.carrier.oms_poll_failures, 0)
        self.assertFalse(self.carrier.oms_poll_backoff_until)

    def test_back_off_doubles(self):
        self.server.mode = "500"
        shipment = self.orders[0].oms_shipment_ids
        before = fields.Datetime.now()
        self.assertFalse(self.carrier._oms_poll_shipments(shipment))
        first = self.carrier.oms_poll_backoff_until - before
        self.assertFalse(self.carrier._oms_poll_shipments(shipment))
        second = self.carrier.oms_poll_backoff_until - before
        self.assertEqual(self.carrier.oms_poll_failures, 2)
        self.assertAlmostEqual(first.total_seconds(), 300, delta=5)
        self.assertAlmostEqual(second.total_seconds(), 600, delta=5)
        with self.assertRaisesRegex(UserError, "Polling Fast Parcel failed"):
            shipment.action_poll_now()

    def test_timeout_per_request(self):
        # (Odoo's test harness raises any timeout under 10 s to 10 s, so the timeout is
        # checked at the boundary: the adapter passes the carrier's timeout to each request,
        # and a timed-out request backs the carrier off.)
        calls = []

        def get(url, **kwargs):
            calls.append(kwargs.get("timeout"))
            raise requests.ReadTimeout(f"Read timed out. (read timeout={kwargs.get('timeout')})")

        with patch("odoo.addons.oms_extended.models.delivery_carrier.requests.get", get):
            ok = self.carrier._oms_poll_shipments(self.orders[0].oms_shipment_ids)
        self.assertFalse(ok)
        self.assertEqual(calls, [1])
        self.assertIn("timed out", self.carrier.oms_poll_error)
        self.assertEqual(self.carrier.oms_poll_failures, 1)
        self.assertFalse(self.orders[0].oms_shipment_ids.event_ids, "nothing stored")

    def test_bad_answer_backs_off_and_stores_nothing(self):
        self.server.events = {
            "PL1": [
                {"status": "in_transit", "time": "2026-03-01T10:00:00Z"},
                {"status": "warp speed", "time": "2026-03-01T11:00:00Z"},
            ]
        }
        self.assertFalse(self.carrier._oms_poll_shipments(self.orders[0].oms_shipment_ids))
        self.assertFalse(self.orders[0].oms_shipment_ids.event_ids)
        self.assertEqual(self.carrier.oms_poll_failures, 1)

    def test_adapter_per_delivery_type(self):
        """A connector for delivery_type "fixed" only defines _oms_fixed_fetch_tracking_events;
        it wins over the URL template."""
        calls = []

        def fetch(carrier, shipments):
            calls.append(shipments)
            return [
                {"tracking_number": s.tracking_ref, "status": "out_for_delivery"} for s in shipments
            ]

        Carrier = type(self.env["delivery.carrier"])
        with patch.object(Carrier, "_oms_fixed_fetch_tracking_events", fetch, create=True):
            self._run_cron(batch_size=2)
        self.assertEqual([len(batch) for batch in calls], [2, 1])
        self.assertEqual(self.server.hits, [])
        self.assertEqual(
            {order.oms_shipment_ids.status for order in self.orders}, {"out_for_delivery"}
        )

    def test_carrier_without_adapter_is_not_polled(self):
        self.carrier.oms_tracking_url_template = False
        self._run_cron()
        self.assertEqual(self.server.hits, [])
        self.assertFalse(self.orders[0].oms_shipment_ids.last_poll_date)
        with self.assertRaisesRegex(UserError, "cannot be polled"):
            self.carrier._oms_fetch_tracking_events(self.orders[0].oms_shipment_ids)
