"""The crons of the feature addons (reorder, lifecycle, carrier polling) queue their batches
through the bridge. This bridge does not depend on those addons: the test database of the suite
(oms_suite) has them all."""

from unittest.mock import patch

from odoo.addons.oms_extended.tests.common import OmsOrderCommon
from odoo.addons.oms_shipping.tests.common_shipment import (
    FakeCarrierHTTP,
    json_answer,
    make_order,
    setup_polling,
)
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.fields import Command
from odoo.tests import TransactionCase, tagged

QUEUE = {"oms_queue_job": True}


def no_commit(self, processed=0, *, remaining=None, deactivate=False):
    return float("inf")


@tagged("post_install", "-at_install")
class TestFeatureCronsQueued(OmsOrderCommon):
    def _confirmed(self, name):
        customer = self.env["res.partner"].create({"name": name})
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [Command.create({"product_id": self.service.id, "price_unit": 50})],
            }
        )
        order.action_confirm()
        return customer

    def test_lifecycle_batches_are_jobs_of_their_channel(self):
        customers = self._confirmed("Ana") | self._confirmed("Ben") | self._confirmed("Cy")
        Stat = self.env["oms.customer.stat"].with_context(**QUEUE)
        self.startPatcher(patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit))
        with trap_jobs() as trap:
            Stat._cron_oms_customer_lifecycle(batch_size=2)
            self.assertTrue(trap.enqueued_jobs)
            ranked = self.env["res.partner"].union(*(job.args[0] for job in trap.enqueued_jobs))
            self.assertLessEqual(customers, ranked)
            for job in trap.enqueued_jobs:
                self.assertEqual(job.channel, "root.oms.lifecycle")
                self.assertEqual(job.args[1], "_oms_lifecycle_rank_batch")
                self.assertLessEqual(len(job.args[0]), 2)
            scored = []
            original = type(Stat)._oms_compute_lifecycle

            def compute(model, company, partner_ids=None, today=None):
                scored.extend(partner_ids)
                return original(model, company, partner_ids, today=today)

            with patch.object(type(Stat), "_oms_compute_lifecycle", compute):
                trap.perform_enqueued_jobs()
        self.assertEqual(sorted(scored), sorted(ranked.ids), "each customer scored once")
        stats = Stat.search([("partner_id", "in", customers.ids)])
        self.assertEqual(stats.partner_id, customers)
        self.assertEqual(set(stats.mapped("order_count")), {1})
        # the day's run is queued already: the cron queues nothing more today
        with trap_jobs() as trap:
            Stat._cron_oms_customer_lifecycle(batch_size=2)
            trap.assert_jobs_count(0)

    def test_reorder_runs_one_job_per_warehouse(self):
        Policy = self.env["oms.reorder.policy"].with_context(**QUEUE)
        policy = Policy.create({"name": "Bridge", "warehouse_id": self.warehouse.id})
        computed = []
        original = type(Policy)._oms_compute_warehouse

        def compute(model, warehouse, today=None):
            computed.append(warehouse)
            return original(model, warehouse, today)

        with trap_jobs() as trap:
            Policy._cron_oms_reorder()
            jobs = [job for job in trap.enqueued_jobs if policy in job.args[0]]
            self.assertEqual(len(jobs), 1)
            self.assertEqual(jobs[0].channel, "root.oms.reorder")
            self.assertEqual(jobs[0].args[0].warehouse_id, self.warehouse)
            with patch.object(type(Policy), "_oms_compute_warehouse", compute):
                trap.perform_enqueued_jobs()
        self.assertIn(self.warehouse, computed)


@tagged("post_install", "-at_install")
class TestCarrierPollingQueued(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_polling(cls)
        orders = [make_order(cls, tracking=f"QJ{i}", validate=True) for i in range(1, 4)]
        cls.shipments = cls.env["oms.shipment"].union(*(o.oms_shipment_ids for o in orders))

    def _answer(self, url):
        number = url.rsplit("/", 1)[-1]
        event = {"status": "in_transit", "time": "2026-03-01T10:00:00Z", "id": number}
        return json_answer({"events": [event]})

    def test_carrier_polling_batches_are_jobs_of_their_channel(self):
        """The cron polls nothing itself: it queues the open shipments, batch by batch, in
        root.oms.carrier_poll; the jobs poll each shipment once."""
        http = self.enterContext(FakeCarrierHTTP(self._answer))
        Carrier = self.env["delivery.carrier"].with_context(**QUEUE)
        with trap_jobs() as trap:
            Carrier._cron_oms_poll_shipments(batch_size=2)
            jobs = [job for job in trap.enqueued_jobs if job.args[0] & self.shipments]
            # the generic JSON adapter sends one request per shipment: batches of one
            self.assertEqual(len(jobs), 3)
            self.assertEqual(
                self.env["oms.shipment"].union(*(j.args[0] for j in jobs)), self.shipments
            )
            for job in jobs:
                self.assertEqual(job.channel, "root.oms.carrier_poll")
                self.assertEqual(job.args[1], "_oms_poll_batch")
                self.assertEqual(len(job.args[0]), 1)
                self.assertTrue(
                    job.identity_key.startswith("oms-batch:oms.shipment:_oms_poll_batch:")
                )
            self.assertEqual(http.hits, [], "queuing polls nothing")
            trap.perform_enqueued_jobs()
        self.assertEqual(set(self.shipments.mapped("status")), {"in_transit"})
        self.assertEqual(sorted(url.rsplit("/", 1)[-1] for url in http.hits), ["QJ1", "QJ2", "QJ3"])
        # a batch run late or twice polls nothing twice (just polled: within the interval)
        http.hits.clear()
        self.env["oms.batch.dispatch"]._oms_job_run_batch(self.shipments, "_oms_poll_batch")
        self.assertEqual(http.hits, [])
