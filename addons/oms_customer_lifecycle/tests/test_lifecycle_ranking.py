"""Customer lifecycle under load (issue 19, item 8): a confirmed order scores its customer
against the stored quintile thresholds instead of re-ranking the company's customers, and
the nightly run re-ranks everyone in committed batches that survive concurrent
confirmations."""

from datetime import date
from unittest.mock import Mock, patch

import psycopg2.errors
from freezegun import freeze_time

from odoo.addons.oms_extended.tests.test_automation import no_commit
from odoo.exceptions import AccessError, ConcurrencyError, LockError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import SQL

from ..models import oms_customer_stat_nightly
from ..models.oms_customer_stat_nightly import BATCH_TRIES
from .test_customer_lifecycle import TODAY, LifecycleCommon

FIELDS = ["order_count", "revenue", "rfm_score", "segment", "clv", "write_date"]
# The scores of test_customer_lifecycle's six customers, ranked together (see
# TestCustomerFigures.test_quintiles_with_ties).
SCORES = {
    "Sleeper": "111",
    "Newcomer": "411",
    "Lost": "121",
    "Regular": "323",
    "At Risk": "244",
    "Champion": "555",
}


@tagged("post_install", "-at_install")
class TestLifecycleRanking(LifecycleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._six_customers(user_id=cls.salesman.id)
        cls.Stat = type(cls.stats)

    def _thresholds(self, company=None):
        return self.env["oms.customer.rfm.threshold"].search(
            [("company_id", "=", (company or self.company).id)]
        )

    def _scores(self):
        return {p.name: self._stat(p).rfm_score for p in self.customers}

    def _confirm(self, partner, amount, user):
        with freeze_time(TODAY):
            order = self.env(user=user)["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create({"product_id": self.service.id, "price_unit": amount})
                    ],
                }
            )
            order.action_confirm()
        return order

    def _cron(self, batch_size=2, commit=no_commit, day=TODAY):
        with (
            patch.object(type(self.env["ir.cron"]), "_commit_progress", commit),
            freeze_time(day),
        ):
            self.stats._cron_oms_customer_lifecycle(batch_size=batch_size)

    # ------------------------------------------------------------------ confirmation

    def test_confirmation_scores_against_the_stored_thresholds(self):
        """A salesperson confirms: their customer is scored against last night's
        thresholds; the other customers' figures are neither re-ranked nor written."""
        self._compute()
        thresholds = self._thresholds()
        self.assertEqual(thresholds.customer_count, 6)
        self.assertEqual(thresholds.computed_date, TODAY)
        # R from the last order dates, F 1,1 | 2,2 | 3 | 4 orders, M 80 | 100,100 | 200 ...
        self.assertEqual(
            (thresholds.recency_2, thresholds.recency_5), (date(2025, 2, 15), date(2025, 6, 20))
        )
        self.assertEqual(
            [thresholds[f"frequency_{k}"] for k in range(2, 6)], [2, 3, 3, 4], "ties: lower"
        )
        self.assertEqual([thresholds[f"monetary_{k}"] for k in range(2, 6)], [200, 200, 300, 2000])
        others = self.customers - self.sleeper
        before = {p.name: self._stat(p).read(FIELDS)[0] for p in others}
        self._confirm(self.sleeper, 900.0, self.salesman)
        stat = self._stat(self.sleeper).with_user(self.salesman)
        # 2 orders (F 2: the threshold of F3 is 3), 980 (M 4: under 2000), today (R 5)
        self.assertEqual((stat.order_count, stat.rfm_score, stat.segment), (2, "524", "active"))
        self.assertEqual({p.name: self._stat(p).read(FIELDS)[0] for p in others}, before)
        self.assertEqual(self._thresholds(), thresholds)
        self.assertEqual(thresholds.customer_count, 6, "thresholds are the nightly run's")
        # The next nightly run re-ranks everyone with the new figures: Sleeper's 2 orders
        # tie with two others on the lowest tile (F 1), its 980 is the 5th revenue (M 4).
        self._cron(day=date(2025, 7, 1))
        self.assertEqual(self._stat(self.sleeper).rfm_score, "514")
        self.assertEqual(self._thresholds().computed_date, date(2025, 7, 1))

    def test_confirmation_reads_no_other_customer(self):
        """The score does not depend on the other customers' stored figures (the old
        way ranked the customer among them at each confirmation)."""
        self._compute()
        self.env.cr.execute(
            SQL(
                "DELETE FROM oms_customer_stat WHERE company_id = %s AND partner_id != %s",
                self.company.id,
                self.sleeper.id,
            )
        )
        self.stats.invalidate_model()
        self._confirm(self.sleeper, 900.0, self.salesman)
        self.assertEqual(self._stat(self.sleeper).rfm_score, "524")
        self.assertEqual(self.stats.search_count([("company_id", "=", self.company.id)]), 1)
        # thresholds changed by hand: the next confirmation follows them
        self.env.cr.execute(
            SQL(
                "UPDATE oms_customer_rfm_threshold SET monetary_4 = 5000, monetary_5 = 9000 "
                "WHERE company_id = %s",
                self.company.id,
            )
        )
        self._confirm(self.sleeper, 10.0, self.oms_user)
        stat = self._stat(self.sleeper)
        # 3 orders: F 4 (thresholds 2, 3, 3, 4); 990: M 3 (under 5000)
        self.assertEqual((stat.rfm_score, stat.segment), ("543", "loyal"))

    def test_first_confirmations_before_any_nightly_run(self):
        """Until the first nightly run, the thresholds come from the figures stored so
        far (as the nightly run would rank them)."""
        self._compute(partners=self.customers - self.sleeper)
        self.assertFalse(self._thresholds())
        self._confirm(self.sleeper, 900.0, self.salesman)
        self.assertEqual(self._stat(self.sleeper).rfm_score, "514")
        self.assertFalse(self._thresholds(), "only the nightly run stores thresholds")

    def test_refresh_button_needs_the_figures(self):
        """*Refresh Figures* writes as superuser: only for users who may read the figures
        and the customer (as the Customer 360 tab)."""
        self._compute()
        self.sleeper.with_user(self.salesman).action_oms_recompute_lifecycle()
        with self.assertRaises(AccessError):
            self.sleeper.with_user(self.employee).action_oms_recompute_lifecycle()

    # ------------------------------------------------------------------ nightly run

    def test_nightly_run_in_batches(self):
        """Batches of two customers: the same scores as one statement over all, and the
        run notes where it is."""
        progress = []

        def commit(model, processed=0, *, remaining=None, deactivate=False):
            progress.append((processed, remaining))
            return float("inf")

        self._cron(batch_size=2, commit=commit)
        self.assertEqual(self._scores(), SCORES)
        thresholds = self._thresholds()
        self.assertTrue(thresholds.ranked_done)
        self.assertEqual(thresholds.ranked_partner_id, max(self.customers.ids))
        self.assertIn((0, 6), progress)  # thresholds committed, 6 customers to go
        self.assertEqual([done for done, __ in progress if done], [2, 2, 2])
        # the same day again: nothing to do
        with patch.object(self.Stat, "_oms_compute_lifecycle") as compute:
            self._cron()
        compute.assert_not_called()

    def test_nightly_run_goes_on_where_it_stopped(self):
        """The cron's time is up after the first batch: its next start goes on with the
        same thresholds, from the next customer."""
        calls = []

        def out_of_time(model, processed=0, *, remaining=None, deactivate=False):
            calls.append(processed)
            return 0.0 if processed else float("inf")

        self._cron(batch_size=2, commit=out_of_time)
        ranked = self.customers.sorted("id")
        self.assertTrue(self._stat(ranked[0]) and self._stat(ranked[1]))
        self.assertFalse(self._stat(ranked[2]))
        thresholds = self._thresholds()
        self.assertEqual(
            (thresholds.ranked_partner_id, thresholds.ranked_done), (ranked[1].id, False)
        )
        original = self.Stat._oms_threshold_query
        with patch.object(self.Stat, "_oms_threshold_query", autospec=True) as query:
            query.side_effect = original
            self._cron(batch_size=2)
        query.assert_not_called()
        self.assertEqual(self._scores(), SCORES)
        self.assertTrue(self._thresholds().ranked_done)

    def test_nightly_batch_retried_after_a_concurrent_confirmation(self):
        """A batch meets a row a concurrent confirmation updated (serialization failure):
        it is rolled back and tried again in a new transaction, not logged as a failure
        of the company; the run completes."""
        original = self.Stat._oms_compute_lifecycle
        failures = [psycopg2.errors.SerializationFailure("could not serialize access")]

        def conflicting(model, company, partner_ids=None, today=None):
            if partner_ids and failures:
                raise failures.pop()
            return original(model, company, partner_ids, today=today)

        rollback = Mock()
        with (
            patch.object(self.Stat, "_oms_compute_lifecycle", conflicting),
            patch.object(self.env.cr, "rollback", rollback),
            patch.object(oms_customer_stat_nightly.time, "sleep") as sleep,
            self.assertLogs(
                "odoo.addons.oms_customer_lifecycle.models.oms_customer_stat_nightly"
            ) as logs,
        ):
            self._cron(batch_size=4)
        rollback.assert_called_once_with()
        sleep.assert_called_once()
        self.assertFalse([line for line in logs.output if line.startswith("ERROR")])
        self.assertIn("concurrent update", logs.output[0])
        self.assertEqual(self._scores(), SCORES)
        self.assertTrue(self._thresholds().ranked_done)

    def test_nightly_batch_gives_up_after_its_tries(self):
        """Still conflicting after BATCH_TRIES: the error propagates (the cron starts
        again later); it is never swallowed as a failure of the company. Every one of the
        suite's RETRYABLE_ERRORS counts, Odoo's own ones included (issue 20)."""
        for error in (
            psycopg2.errors.SerializationFailure("could not serialize access"),
            psycopg2.errors.LockNotAvailable("lock not available"),
            ConcurrencyError("concurrent insert"),
            LockError("Cannot grab a lock on records"),
        ):
            with self.subTest(error=type(error).__name__):
                rollback = Mock()
                with (
                    patch.object(self.Stat, "_oms_compute_lifecycle", side_effect=error),
                    patch.object(self.env.cr, "rollback", rollback),
                    patch.object(oms_customer_stat_nightly.time, "sleep"),
                    self.assertRaises(type(error)),
                ):
                    self._cron()
                self.assertEqual(rollback.call_count, BATCH_TRIES - 1)
                self.assertFalse(self._thresholds().ranked_partner_id)


@tagged("post_install", "-at_install")
class TestLifecycleConcurrency(LifecycleCommon):
    def test_cron_lets_concurrency_errors_through(self):
        """A serialization failure is retried (a few times per batch, then by the next
        run), never logged and skipped."""
        Stat = type(self.stats)
        self._sale(self._customer("Conflicting"), 100.0, date(2025, 6, 1))

        def conflicting(model, company, today, partner_ids=None):
            raise psycopg2.errors.SerializationFailure("concurrent update")

        with (
            patch.object(Stat, "_oms_lifecycle_query", conflicting),
            patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit),
            patch.object(self.env.cr, "rollback"),
            patch("time.sleep"),
            self.assertRaises(psycopg2.errors.SerializationFailure),
        ):
            self.stats._cron_oms_customer_lifecycle()
