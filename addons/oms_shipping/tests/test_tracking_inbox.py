"""The stored webhook requests: managers only (storekeepers, OMS users and portal users
neither read nor change them), parked requests retried after a fix, processed ones
forgotten after a week, and the processor batch by batch."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_shipment import ShipmentCase, body_of, event, make_order, process_inbox


@tagged("post_install", "-at_install")
class TestTrackingInbox(ShipmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Inbox = cls.env["oms.tracking.inbox"]
        cls.oms_user = new_test_user(
            cls.env, login="inbox_oms_user", groups="oms_extended.group_oms_user"
        )
        cls.manager = new_test_user(
            cls.env, login="inbox_manager", groups="oms_extended.group_oms_manager"
        )
        cls.portal = new_test_user(cls.env, login="inbox_portal", groups="base.group_portal")
        cls.shipment = make_order(cls, tracking="IN100", validate=True).oms_shipment_ids

    def _store(self, payload, external_id):
        body = body_of(payload) if not isinstance(payload, bytes) else payload
        request_id = self.Inbox._oms_store(self.carrier, external_id, None, body)
        return self.Inbox.browse(request_id)

    def test_managers_only(self):
        stored = self._store(event("IN100", "in_transit", "2026-03-01T10:00:00Z"), "a-1")
        for user in (self.storekeeper, self.oms_user, self.portal):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.Inbox.with_user(user).search([])
                with self.assertRaises(AccessError):
                    stored.with_user(user).read(["body"])
                with self.assertRaises(AccessError):
                    stored.with_user(user).action_retry()
        self.assertEqual(self.Inbox.with_user(self.manager).search([]), stored)
        with self.assertRaises(AccessError):
            self.Inbox.with_user(self.manager).create(
                {"carrier_id": self.carrier.id, "external_id": "x", "received_at": "2026-03-01"}
            )
        menu = self.env.ref("oms_shipping.menu_oms_tracking_inbox")
        self.assertEqual(menu.group_ids, self.env.ref("oms_extended.group_oms_manager"))

    def test_replay_key_and_parked_retry(self):
        stored = self._store(event("IN100", "picked_up", "2026-03-01T10:00:00Z"), "a-1")
        self.assertFalse(self._store(b"{}", "a-1"), "the same request id is a replay")
        # The delivery method is set to the wrong service: its requests cannot be read.
        self.carrier.oms_tracking_service = "aftership"
        bad = self._store(event("IN100", "in_transit", "2026-03-01T11:00:00Z"), "a-2")
        process_inbox(self.env)
        self.assertEqual((stored.state, bad.state), ("parked", "parked"))
        self.assertIn("msg", bad.error)
        # The manager fixes the delivery method and retries: nothing was lost.
        self.carrier.oms_tracking_service = "oms"
        (stored | bad).with_user(self.manager).action_retry()
        self.assertEqual((stored.state, bad.state), ("done", "done"))
        self.assertFalse(bad.error)
        self.assertEqual(self.shipment.status, "in_transit")

    def test_batches_and_vacuum(self):
        for i in range(5):
            self._store(event("IN100", "in_transit", f"2026-03-01T1{i}:00:00Z"), f"b-{i}")
        calls = []

        def progress(cron, processed=0, remaining=None, deactivate=False):
            calls.append((processed, remaining))
            return float("inf")

        with patch.object(type(self.env["ir.cron"]), "_commit_progress", progress):
            self.Inbox._cron_oms_process_inbox(batch_size=2)
        self.assertEqual(calls, [(0, 5), (2, 3), (2, 1), (1, 0), (0, 0)])
        self.assertEqual(len(self.shipment.event_ids), 5)
        requests = self.Inbox.search([("carrier_id", "=", self.carrier.id)])
        self.assertEqual(set(requests.mapped("state")), {"done"})
        parked = self._store(b"[]", "b-parked")
        process_inbox(self.env)
        self.assertEqual(parked.state, "parked")
        (requests | parked).write({"received_at": fields.Datetime.now() - timedelta(days=8)})
        self.Inbox._gc_oms_processed_requests()
        self.assertEqual(self.Inbox.search([]), parked, "a parked request is never lost")
