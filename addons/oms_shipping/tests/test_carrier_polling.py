"""Polling carriers: the generic JSON adapter (HTTP and DNS mocked: no network), server
errors and timeouts backing the carrier off, the cron's time budget, and the
per-delivery_type adapter interface."""

from datetime import timedelta
from unittest.mock import patch

import requests

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common_shipment import (
    TRACKING_HOST,
    FakeCarrierHTTP,
    json_answer,
    make_order,
    setup_polling,
)

DELIVERY_CARRIER = "odoo.addons.oms_shipping.models.delivery_carrier"


class CommitRecorder:
    """Stands for ir.cron._commit_progress: records the remaining counts, never commits, and
    answers the time left that the test gives (a list, one answer per call; then inf)."""

    def __init__(self, time_left=()):
        self.calls, self.time_left = [], list(time_left)

    def __call__(self, processed=0, *, remaining=None, deactivate=False):
        self.calls.append((processed, remaining))
        return self.time_left.pop(0) if self.time_left else float("inf")


@tagged("post_install", "-at_install")
class TestCarrierPolling(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_polling(cls)
        cls.orders = [make_order(cls, tracking=f"PL{i}", validate=True) for i in range(1, 4)]
        cls.Shipment = cls.env["oms.shipment"]

    def setUp(self):
        super().setUp()
        self.events = {}
        self.mode = "ok"
        self.http = FakeCarrierHTTP(self._answer)
        self.enterContext(self.http)

    def _answer(self, url):
        if self.mode == "500":
            return 500, {}, b"boom"
        number = url.rsplit("/", 1)[-1]
        return json_answer({"events": self.events.get(number, [])})

    def _paths(self):
        return [url.split(TRACKING_HOST, 1)[1] for url in self.http.hits]

    def _run_cron(self, batch_size=2, recorder=None, **kwargs):
        recorder = recorder or CommitRecorder()
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", recorder):
            self.env["delivery.carrier"]._cron_oms_poll_shipments(batch_size=batch_size, **kwargs)
        return recorder

    def test_cron_polls_open_shipments_in_batches(self):
        self.events = {
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
        self.assertEqual(sorted(self._paths()), ["/track/PL1", "/track/PL2", "/track/PL3"])
        self.assertTrue(all(s.last_poll_date for s in shipments))
        self.assertEqual(shipments[1].event_ids.mapped("source"), ["poll", "poll"])
        # Each request is bounded: the carrier's timeout, the answer streamed.
        self.assertEqual(self.http.kwargs[0], {"stream": True, "timeout": (10, 10)})
        # Polled again in a later run: the same events are not stored twice, and the
        # delivered shipment is no longer polled.
        for shipment in shipments:
            shipment.last_poll_date = fields.Datetime.now() - timedelta(hours=1)
        self.http.hits.clear()
        self._run_cron()
        self.assertEqual(sorted(self._paths()), ["/track/PL1", "/track/PL3"])
        self.assertEqual(len(shipments[0].event_ids), 1)
        # Just polled: not again within the polling interval.
        self.http.hits.clear()
        self._run_cron()
        self.assertEqual(self.http.hits, [])

    def test_server_error_backs_the_carrier_off(self):
        self.mode = "500"
        self._run_cron(batch_size=10)
        self.assertEqual(self.carrier.oms_poll_failures, 1)
        self.assertGreater(self.carrier.oms_poll_backoff_until, fields.Datetime.now())
        self.assertIn("500", self.carrier.oms_poll_error)
        self.assertNotIn(TRACKING_HOST, self.carrier.oms_poll_error, "no URL in the error")
        self.assertEqual(len(self.http.hits), 1, "the carrier stops at its first failure")
        # Paused: the next run leaves it alone.
        self.mode = "ok"
        self.http.hits.clear()
        self._run_cron()
        self.assertEqual(self.http.hits, [])
        # Once the pause is over it is polled again, and a success resets the back-off.
        self.carrier.oms_poll_backoff_until = fields.Datetime.now() - timedelta(seconds=1)
        self._run_cron()
        self.assertEqual(len(self.http.hits), 3)
        self.assertEqual(self.carrier.oms_poll_failures, 0)
        self.assertFalse(self.carrier.oms_poll_backoff_until)

    def test_back_off_doubles(self):
        self.mode = "500"
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
        self.carrier.oms_tracking_timeout = 3

        def timeout(url):
            raise requests.ReadTimeout("Read timed out. (read timeout=3)")

        self.http.handler = timeout
        ok = self.carrier._oms_poll_shipments(self.orders[0].oms_shipment_ids)
        self.assertFalse(ok)
        self.assertEqual(self.http.kwargs[0]["timeout"], (3, 3))
        self.assertIn("timed out", self.carrier.oms_poll_error)
        self.assertEqual(self.carrier.oms_poll_failures, 1)
        self.assertFalse(self.orders[0].oms_shipment_ids.event_ids, "nothing stored")

    def test_bad_answer_backs_off_and_stores_nothing(self):
        self.events = {
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
        it wins over the URL template, and gets the cron's batches."""
        calls = []

        def fetch(carrier, shipments):
            calls.append(shipments)
            return [
                {
                    "tracking_number": s.tracking_ref,
                    "status": "out_for_delivery",
                    "time": "2026-03-01T10:00:00Z",
                }
                for s in shipments
            ]

        Carrier = type(self.env["delivery.carrier"])
        with patch.object(Carrier, "_oms_fixed_fetch_tracking_events", fetch, create=True):
            self._run_cron(batch_size=2)
        self.assertEqual([len(batch) for batch in calls], [2, 1])
        self.assertEqual(self.http.hits, [])
        self.assertEqual(
            {order.oms_shipment_ids.status for order in self.orders}, {"out_for_delivery"}
        )

    def test_carrier_without_adapter_is_not_polled(self):
        self.carrier.oms_tracking_url_template = False
        self._run_cron()
        self.assertEqual(self.http.hits, [])
        self.assertFalse(self.orders[0].oms_shipment_ids.last_poll_date)
        with self.assertRaisesRegex(UserError, "cannot be polled"):
            self.carrier._oms_fetch_tracking_events(self.orders[0].oms_shipment_ids)

    # ------------------------------------------------------------------ time budget

    def test_cron_stops_when_odoo_says_time_is_up(self):
        """_commit_progress answers the time left of the cron run: once it is 0, no new
        shipment is started and the remaining count is left for the next call."""
        recorder = self._run_cron(batch_size=50, recorder=CommitRecorder([5.0, 0.0]))
        self.assertEqual(len(self.http.hits), 1, "one shipment, then the time was up")
        self.assertEqual(recorder.calls, [(0, 3), (1, 2)])
        # The next call takes the others.
        recorder = self._run_cron(batch_size=50)
        self.assertEqual(len(self.http.hits), 3)
        self.assertEqual(recorder.calls[0], (0, 2))
        self.assertEqual(recorder.calls[-1], (0, 0))
        self.assertTrue(all(order.oms_shipment_ids.last_poll_date for order in self.orders))

    def test_cron_stops_at_its_own_budget(self):
        """Outside Odoo's cron runner (time left: inf) the cron's own budget bounds a call:
        each request here takes 40 s of a 100 s budget, so the third is not started."""
        clock = [1000.0]

        def slow(url):
            clock[0] += 40
            return json_answer([])

        self.http.handler = slow
        with patch(f"{DELIVERY_CARRIER}.monotonic", lambda: clock[0]):
            recorder = self._run_cron(batch_size=50, time_budget=100)
        self.assertEqual(len(self.http.hits), 3, "started at 0, 40 and 80 s")
        clock[0] = 1000.0
        for order in self.orders:
            order.oms_shipment_ids.last_poll_date = False
        self.http.hits.clear()
        with patch(f"{DELIVERY_CARRIER}.monotonic", lambda: clock[0]):
            recorder = self._run_cron(batch_size=50, time_budget=70)
        self.assertEqual(len(self.http.hits), 2, "started at 0 and 40 s, not at 80 s")
        self.assertEqual(recorder.calls[-1], (1, 1), "one shipment left for the next call")
