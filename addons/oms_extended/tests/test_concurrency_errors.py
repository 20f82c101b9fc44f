"""A concurrency error (another transaction holds the lock, or changed the row first) is
re-raised for Odoo to retry: never an order exception, never a log line."""

from contextlib import contextmanager
from unittest.mock import patch

from psycopg2.errors import LockNotAvailable

from odoo import sql_db
from odoo.tests import tagged
from odoo.tools import SQL

from .common import OmsOrderCommon
from .test_automation import no_commit


@tagged("post_install", "-at_install")
class TestConcurrencyErrors(OmsOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A committed row this test's transaction never writes (SaleCommon writes the
        # company's, which the other connection would then wait for).
        cls.locked_row = cls.env.ref("base.lu")

    @contextmanager
    def _row_locked_elsewhere(self):
        """Another connection (another transaction, as another worker's) locks a row;
        taking it here raises a real LockNotAvailable. (NO KEY: the foreign key checks of
        this transaction's inserts still pass; a time-out on each side, should anything
        wait for the other connection, fails the test instead of hanging it.)"""
        self.env.cr.execute("SET LOCAL lock_timeout = '10s'")
        with sql_db.db_connect(self.env.cr.dbname).cursor() as other:
            other.execute("SET LOCAL lock_timeout = '10s'")
            other.execute(
                SQL(
                    "SELECT id FROM res_country WHERE id = %s FOR NO KEY UPDATE", self.locked_row.id
                )
            )
            try:
                yield
            finally:
                other.rollback()
                self.env.cr.execute("SET LOCAL lock_timeout = 0")

    def _take_locked_row(self, *args, **kwargs):
        self.env.cr.execute(
            SQL("SELECT id FROM res_country WHERE id = %s FOR UPDATE NOWAIT", self.locked_row.id)
        )

    def test_automation_step_hitting_a_lock_is_retried_not_an_exception(self):
        order = self._order([(self.service, 1)])
        order._oms_register_payment(order.amount_total, "cash")
        SaleOrder = type(self.env["sale.order"])
        cron = patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit)
        locked_step = patch.object(SaleOrder, "_oms_step_confirm", self._take_locked_row)
        with self._row_locked_elsewhere(), cron, locked_step:
            # (the savepoints stand for the rollback of the cron job and of the request)
            with self.assertRaises(LockNotAvailable), self.env.cr.savepoint():
                self.env["sale.order"]._cron_oms_apply_automation()
            with self.assertRaises(LockNotAvailable), self.env.cr.savepoint():
                order.action_oms_run_automation()
        order.invalidate_recordset()
        self.assertFalse(order.oms_exception_type)
        self.assertNotEqual(order.oms_state, "exception")
        self.assertFalse(order.activity_ids)
        self.assertTrue(order.oms_needs_automation, "the cron takes it again at its next run")
        # Once the other transaction is gone, the next run does the work.
        with cron:
            self.env["sale.order"]._cron_oms_apply_automation()
        self.assertEqual(order.state, "sale")

    def test_bank_statement_match_hitting_a_lock_is_retried(self):
        order = self._order([(self.service, 1)])
        Line = type(self.env["account.bank.statement.line"])
        vals = {
            "journal_id": self.bank_journal.id,
            "amount": 50.0,
            "date": "2025-01-10",
            "payment_ref": order.oms_payment_reference,
        }
        with self._row_locked_elsewhere():
            with patch.object(Line, "_oms_pay_order", self._take_locked_row):
                with self.assertRaises(LockNotAvailable), self.env.cr.savepoint():
                    self.env["account.bank.statement.line"].create(vals)
        self.assertFalse(order.oms_payment_ids)
        line = self.env["account.bank.statement.line"].create(vals)
        self.assertEqual(line.oms_sale_order_id, order)
        self.assertEqual(order.oms_payment_state, "paid")

    def test_portal_links_leave_the_customers_row_alone(self):
        """A notification with a portal link prepares the recipient's signup; when the
        type is that already, the partner's row is not written (two job workers notifying
        the same customer would fail on it), and a new type is still written."""
        partner = self.customer.sudo()
        partner.signup_prepare()
        self.env.flush_all()
        self.env.cr.execute(
            SQL("UPDATE res_partner SET write_date = '2020-01-01' WHERE id = %s", partner.id)
        )
        self.env.invalidate_all()
        partner.signup_prepare()
        partner.with_context(signup_valid=True)._get_signup_url_for_action()  # a notification
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(str(partner.write_date), "2020-01-01 00:00:00")
        partner.signup_prepare("reset")
        self.env.flush_all()
        self.assertEqual(partner.signup_type, "reset")
        self.assertNotEqual(str(partner.write_date), "2020-01-01 00:00:00")
