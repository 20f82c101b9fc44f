from unittest.mock import patch

from odoo.addons.oms_extended.tests.common import OmsOrderCommon
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import LockError
from odoo.tests import tagged

from ..models.oms_batch_dispatch import DISABLED_PARAM, IDENTITY_PREFIX

AUTOMATION_KEYS = f"{IDENTITY_PREFIX}:sale.order:_oms_run_automation_batch:"


def no_commit(self, processed=0, *, remaining=None, deactivate=False):
    return float("inf")


@tagged("post_install", "-at_install")
class TestQueueJobBridge(OmsOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Order = cls.env["sale.order"].with_context(oms_queue_job=True)
        cls.dispatch = cls.env["oms.batch.dispatch"].with_context(oms_queue_job=True)

    def _paid_quotations(self, count):
        orders = self.env["sale.order"]
        for _index in range(count):
            order = self._order([(self.service, 1)])
            order._oms_register_payment(order.amount_total, "bank_transfer")
            orders |= order
        return orders

    def _todo(self):
        return self.Order.search(self.Order._oms_automation_domain(), order="id")

    def _live_jobs(self):
        return self.env["queue.job"].search(
            [("identity_key", "=like", AUTOMATION_KEYS + "%"), ("state", "=", "pending")]
        )

    def _assert_processed_once(self, orders):
        for order in orders:
            self.assertEqual(order.state, "sale")
            self.assertEqual(len(order.invoice_ids), 1, "one invoice per order")
            self.assertEqual(order.invoice_ids.state, "posted")
            self.assertIn(order.invoice_ids.payment_state, ("paid", "in_payment"))
            self.assertEqual(len(order.oms_payment_ids), 1, "one payment per order")
            self.assertFalse(order.oms_needs_automation)

    def test_automation_is_queued_batch_by_batch_in_its_channel(self):
        orders = self._paid_quotations(5)
        todo = self._todo()
        self.assertLessEqual(orders, todo)
        with trap_jobs() as trap:
            self.Order._cron_oms_apply_automation(batch_size=2)
            batches = [job.args[0] for job in trap.enqueued_jobs]
            self.assertEqual(len(batches), -(-len(todo) // 2), "one job per batch of 2")
            self.assertEqual(self.Order.union(*batches), todo)
            for job in trap.enqueued_jobs:
                self.assertEqual(job.channel, "root.oms.automation")
                self.assertEqual(job.method_name, "_oms_job_run_batch")
                self.assertTrue(job.identity_key.startswith(AUTOMATION_KEYS))
                self.assertLessEqual(len(job.args[0]), 2)
            self.assertEqual(set(orders.mapped("state")), {"draft"}, "queued, not run")
            trap.perform_enqueued_jobs()
        self._assert_processed_once(orders)

    def test_a_batch_is_never_queued_twice(self):
        orders = self._paid_quotations(3)
        self.Order._cron_oms_apply_automation(batch_size=2)
        jobs = self._live_jobs()
        self.assertEqual(len(jobs), -(-len(self._todo()) // 2))
        self.assertEqual(len(set(jobs.mapped("identity_key"))), len(jobs))
        # the cron runs again before the jobs: nothing new is queued
        self.Order._cron_oms_apply_automation(batch_size=2)
        self.Order._cron_oms_apply_automation(batch_size=3)
        self.assertEqual(self._live_jobs(), jobs)
        # the same batch asked for directly: its identity key finds the pending job
        queued = self.dispatch._oms_enqueue([orders], "_oms_run_automation_batch", "oms.automation")
        self.assertEqual(queued, 0)
        self.assertEqual(self._live_jobs(), jobs)
        # a new order goes into a new batch, alone
        late = self._paid_quotations(1)
        self.Order._cron_oms_apply_automation(batch_size=2)
        new = self._live_jobs() - jobs
        self.assertEqual(len(new), 1)
        self.assertEqual(new.args[0], late)

    def test_each_order_is_processed_once_however_often_its_batch_runs(self):
        orders = self._paid_quotations(3)
        self.Order._cron_oms_apply_automation(batch_size=2)
        jobs = self._live_jobs()
        for job_record in jobs:
            Job.load(self.env, job_record.uuid).perform()
        self._assert_processed_once(orders)
        # a job run again (a worker killed after the commit, a requeue by hand) and an
        # overlapping batch do nothing more
        for job_record in jobs:
            Job.load(self.env, job_record.uuid).perform()
        self.dispatch._oms_job_run_batch(orders, "_oms_run_automation_batch")
        self._assert_processed_once(orders)
        self.assertFalse(self._todo() & orders)

    def test_concurrency_errors_are_retried(self):
        orders = self._paid_quotations(1)

        def locked(self):
            raise LockError("Cannot grab a lock on records")

        with (
            patch.object(type(self.Order), "_oms_run_automation_batch", locked),
            self.assertRaises(RetryableJobError),
        ):
            self.dispatch._oms_job_run_batch(orders, "_oms_run_automation_batch")
        self.assertEqual(orders.state, "draft")

    def test_only_order_management_methods_run_as_batches(self):
        orders = self._paid_quotations(1)
        with self.assertRaises(Exception):  # noqa: B017 UserError, translated
            self.dispatch._oms_job_run_batch(orders, "unlink")
        self.assertTrue(orders.exists())

    def test_without_the_queue_the_cron_runs_the_batches(self):
        orders = self._paid_quotations(3)
        self.env["ir.config_parameter"].set_param(DISABLED_PARAM, "1")
        with (
            trap_jobs() as trap,
            patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit),
        ):
            self.Order._cron_oms_apply_automation(batch_size=2)
            trap.assert_jobs_count(0)
        self._assert_processed_once(orders)
