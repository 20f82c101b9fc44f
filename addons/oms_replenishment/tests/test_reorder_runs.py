"""Reorder runs under load (issue 19, item 8): a run of a warehouse's policies cannot
stack on another one (advisory lock), its statistics query runs with a bounded
``work_mem``, and its days are cut in the warehouse's time zone."""

from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.addons.oms_extended.tests.test_automation import no_commit
from odoo.exceptions import AccessError, UserError
from odoo.sql_db import Cursor, db_connect
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from ..models.oms_reorder_policy import REORDER_LOCK_CLASS, STATS_WORK_MEM, WORK_MEM_PARAM
from .common import WarehouseCommon

NOW = "2025-06-10 13:00:00"  # UTC; 2025-06-11 01:00 in Auckland (UTC+12)


@contextmanager
def logged_queries():
    """The SQL the cursors run meanwhile, with their parameters."""
    queries = []
    execute = Cursor.execute

    def logging_execute(cr, query, params=None, log_exceptions=True):
        code, args = (query.code, query.params) if isinstance(query, SQL) else (query, params)
        queries.append(cr.mogrify(code, args).decode())
        return execute(cr, query, params, log_exceptions)

    with patch.object(Cursor, "execute", logging_execute):
        yield queries


@tagged("post_install", "-at_install")
class TestReorderRuns(WarehouseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        vendor = cls.env["res.partner"].create({"name": "Tea Wholesale"})
        cls.product = cls.env["product.product"].create(
            {"name": "Green tea", "is_storable": True, "standard_price": 5.0}
        )
        cls.env["product.supplierinfo"].create(
            {"partner_id": vendor.id, "product_tmpl_id": cls.product.product_tmpl_id.id, "delay": 3}
        )
        # In Auckland: a receipt on 06-01, sales on 06-05 (2) and 06-10 at 18:00 (5); in UTC
        # the second sale is on 06-10, the day of NOW, which is not over there.
        cls._move(cls.suppliers, cls.stock, 100, "2025-06-01 00:00:00")
        cls._move(cls.stock, cls.customers, 2, "2025-06-05 00:00:00")
        cls._move(cls.stock, cls.customers, 5, "2025-06-10 06:00:00")
        cls.auckland = cls.env["res.partner"].create(
            {"name": "Auckland depot", "tz": "Pacific/Auckland"}
        )
        cls.policy = (
            cls.env(user=cls.oms_manager)["oms.reorder.policy"]
            .create({"name": "Tea", "warehouse_id": cls.warehouse.id, "demand_window_days": 14})
            .with_user(cls.env.user)
        )
        cls.storekeeper = new_test_user(
            cls.env, login="oms_storekeeper", groups="stock.group_stock_user"
        )
        cls.buyer = new_test_user(
            cls.env, login="oms_purchase_user", groups="purchase.group_purchase_user"
        )

    @classmethod
    def _move(cls, source, dest, qty, when):
        return cls._done_move(cls.product, source, dest, qty, datetime.fromisoformat(when))

    @contextmanager
    def _other_run(self):
        """Another transaction (the nightly run, another user) running the warehouse."""
        cr = db_connect(self.env.cr.dbname).cursor()
        try:
            cr.execute(
                SQL("SELECT pg_advisory_xact_lock(%s, %s)", REORDER_LOCK_CLASS, self.warehouse.id)
            )
            yield
        finally:
            cr.rollback()
            cr.close()

    def _total(self):
        with freeze_time(NOW):
            stats = self.env["oms.reorder.policy"]._oms_demand_statistics(self.warehouse, 14)
        return stats[self.product.id]["total"] if self.product.id in stats else 0.0

    # ------------------------------------------------------------------ lock

    def test_a_second_run_is_refused_not_stacked(self):
        """An OMS manager's *Compute now* while the warehouse is being computed gets a
        message; the nightly run skips the warehouse and goes on; afterwards both run."""
        policy = self.policy.with_user(self.oms_manager)
        self.startPatcher(freeze_time(NOW))
        with self._other_run():
            with self.assertRaisesRegex(UserError, "being computed right now"):
                policy.action_compute_now()
            with (
                patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit),
                self.assertLogs(
                    "odoo.addons.oms_replenishment.models.oms_reorder_policy", "WARNING"
                ) as logs,
            ):
                self.env["oms.reorder.policy"]._cron_oms_reorder()
            self.assertIn("being computed right now", logs.output[0])
            self.assertFalse(self.policy.line_ids)
        policy.action_compute_now()
        self.assertTrue(self.policy.line_ids)
        # the same transaction may run the warehouse again (the lock is its own)
        policy.action_compute_now()

    def test_who_may_run_the_policies(self):
        """Those who may edit the policies (OMS managers) run them: a storekeeper or a
        purchase user gets the web client's access error, never the lock's message."""
        with self._other_run():
            for user in (self.storekeeper, self.buyer, self.oms_user):
                with self.subTest(user=user.login), self.assertRaises(AccessError):
                    self.policy.with_user(user).action_compute_now()
        self.assertTrue(self.policy.with_user(self.buyer).name, "they read the policy")

    # ------------------------------------------------------------------ work_mem

    def test_statistics_run_with_a_bounded_work_mem(self):
        self.env.cr.execute(SQL("SHOW work_mem"))
        before = self.env.cr.fetchone()[0]
        Params = self.env["ir.config_parameter"]
        for param, expected in (
            (False, STATS_WORK_MEM),
            ("64", "64MB"),
            ("99999", "1024MB"),
            ("1", "4MB"),
            ("lots", STATS_WORK_MEM),
        ):
            with self.subTest(param=param):
                Params.set_param(WORK_MEM_PARAM, param)
                with logged_queries() as queries:
                    self._total()
                sets = [i for i, q in enumerate(queries) if q.startswith("SET LOCAL work_mem")]
                self.assertEqual(len(sets), 2)
                self.assertEqual(queries[sets[0]], f"SET LOCAL work_mem = '{expected}'")
                self.assertEqual(queries[sets[1]], f"SET LOCAL work_mem = '{before}'")
                statistics = next(i for i, q in enumerate(queries) if "GROUPING SETS" in q)
                self.assertLess(sets[0], statistics)
                self.assertGreater(sets[1], statistics)
                self.env.cr.execute(SQL("SHOW work_mem"))
                self.assertEqual(self.env.cr.fetchone()[0], before, "restored after the query")

    # ------------------------------------------------------------------ time zone

    def test_days_are_cut_in_the_warehouse_time_zone(self):
        """The warehouse's address time zone, else its company's, else UTC."""
        self.company.partner_id.tz = False
        self.warehouse.partner_id = self.auckland
        Policy = self.env["oms.reorder.policy"]
        self.assertEqual(Policy._oms_warehouse_tz(self.warehouse), "Pacific/Auckland")
        with freeze_time(NOW):
            self.assertEqual(str(Policy._oms_warehouse_today(self.warehouse)), "2025-06-11")
        # 06-10 in Auckland is over at NOW: both sales count
        self.assertEqual(self._total(), 7.0)
        self.warehouse.partner_id = self.company.partner_id
        self.assertEqual(Policy._oms_warehouse_tz(self.warehouse), "UTC")
        # in UTC, 06-10 is today and not over: only the first sale counts
        self.assertEqual(self._total(), 2.0)
        self.company.partner_id.tz = "Pacific/Auckland"
        self.assertEqual(self._total(), 7.0)
        # the run itself: the result line has the demand of Auckland's days
        with freeze_time(NOW):
            self.policy.with_user(self.oms_manager).action_compute_now()
        line = self.policy.line_ids
        self.assertAlmostEqual(line.avg_daily_demand * line.days_observed, 7.0)

    def test_window_starts_at_midnight_in_the_warehouse(self):
        """A move before the first day of the window (in the warehouse's time zone) is
        not demand of the window, even when it is on that day in UTC."""
        self.warehouse.partner_id = self.auckland
        # 2025-05-28 00:00 in Auckland = 2025-05-27 12:00 UTC: the first moment of a
        # 14-day window ending on 06-10 (today 06-11)
        self._move(self.stock, self.customers, 4, "2025-05-27 11:00:00")  # 05-27 in Auckland
        self.assertEqual(self._total(), 7.0)
        self._move(self.stock, self.customers, 3, "2025-05-27 12:30:00")  # 05-28 in Auckland
        self.assertEqual(self._total(), 10.0)
