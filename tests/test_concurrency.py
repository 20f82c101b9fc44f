"""Two transactions at once, on two real database connections, as two Odoo workers.

The data is committed for the test (other connections cannot see the test cursor's) and
removed afterwards. Each worker runs its work through ``odoo.service.model.retrying``, as
Odoo's HTTP layer does: a serialization failure is rolled back and the work is tried again.
"""

import threading
import unittest
from contextlib import contextmanager
from unittest.mock import patch

from psycopg2.errors import LockNotAvailable

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import get_db_name, tagged
from odoo.tools import SQL

TIMEOUT = 20  # seconds: a worker that waits longer than this has deadlocked


@tagged("post_install", "-at_install")
class TestConcurrency(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dbname = get_db_name()
        cls.registry = Registry(cls.dbname)
        with cls._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            provider = env.ref("payment.payment_provider_demo")
            cls.provider_state = (provider.state, provider.journal_id.id)
            journal = env["account.journal"].search(
                [("company_id", "=", env.company.id), ("type", "=", "bank")], limit=1
            )
            provider.write({"state": "test", "journal_id": journal.id})
            cls.provider_id = provider.id
            cls.method_id = provider.payment_method_ids[:1].id
            cls.customer_id = env["res.partner"].create({"name": "Concurrent customer"}).id
            cls.service_id = (
                env["product.product"]
                .create(
                    {
                        "name": "Concurrent service",
                        "type": "service",
                        "list_price": 100.0,
                        "taxes_id": [],
                        "invoice_policy": "order",
                    }
                )
                .id
            )
            # The rule of the test's orders: payments only, nothing else happens to them.
            cls.rule_id = (
                env["oms.workflow"]
                .create(
                    {
                        "name": "Concurrency test: never confirm",
                        "sequence": 0,
                        "company_id": env.company.id,
                        "payment_method": "other",
                        "confirm_policy": "never",
                        "invoice_policy": "never",
                    }
                )
                .id
            )

    @classmethod
    def tearDownClass(cls):
        with cls._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            provider = env["payment.provider"].browse(cls.provider_id)
            provider.write({"state": cls.provider_state[0], "journal_id": cls.provider_state[1]})
            env["oms.workflow"].browse(cls.rule_id).unlink()
            env["product.product"].browse(cls.service_id).unlink()
            env["res.partner"].browse(cls.customer_id).unlink()
        super().tearDownClass()

    @classmethod
    def _cursor(cls):
        """A cursor on a connection of its own: another transaction than the test's."""
        return sql_db.db_connect(cls.dbname).cursor()

    @contextmanager
    def _committed_order(self):
        """A quotation of 100.00, committed, and everything hung on it removed after."""
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["sale.order"].create(
                {
                    "partner_id": self.customer_id,
                    "oms_payment_method": "other",
                    "order_line": [Command.create({"product_id": self.service_id})],
                }
            )
            order_id = order.id
        try:
            yield order_id
        finally:
            with self._cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                order = env["sale.order"].browse(order_id)
                payments = env["account.payment"].search([("oms_sale_order_id", "=", order_id)])
                payments.action_draft()
                payments.unlink()
                order.transaction_ids.unlink()
                order.action_cancel()
                order.unlink()

    def _workers(self, *works):
        """Run each ``work(env)`` in its own thread, on its own connection, retried on
        concurrency errors and committed as a request; return the exception each raised
        (None for success)."""
        errors = [None] * len(works)

        def run(index, work):
            threading.current_thread().dbname = self.dbname
            try:
                with self._cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    retrying(lambda: work(env), env)
            except Exception as error:  # reported to the test
                errors[index] = error

        threads = [
            threading.Thread(target=run, args=(index, work)) for index, work in enumerate(works)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT * 2)
            self.assertFalse(thread.is_alive(), "a worker deadlocked")
        return errors

    @staticmethod
    def _gate(model_class, method, barrier):
        """Make the first call of ``method`` in each thread wait for the other thread's."""
        original = getattr(model_class, method)
        arrived = set()

        def gated(self, *args, **kwargs):
            if threading.get_ident() not in arrived:
                arrived.add(threading.get_ident())
                barrier.wait(TIMEOUT)
            return original(self, *args, **kwargs)

        return patch.object(model_class, method, gated)

    def test_two_notifications_of_one_payment_record_one_payment(self):
        """The provider's notification and the customer's status poll post-process the
        same transaction at the same time, both up to the creation of the payment."""
        with self._committed_order() as order_id:
            with self._cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                order = env["sale.order"].browse(order_id)
                tx = order._oms_create_transaction(
                    env["payment.provider"].browse(self.provider_id),
                    env["payment.method"].browse(self.method_id),
                    order.amount_total,
                )
                tx._process("demo", {"reference": tx.reference, "simulated_state": "done"})
                tx_id = tx.id

            def notification(env):
                tx = env["payment.transaction"].browse(tx_id)
                if not tx.is_post_processed:  # as Odoo's poll route and cron do
                    tx._post_process()

            Transaction = self.registry["payment.transaction"]
            with self._gate(Transaction, "_create_payment", threading.Barrier(2)):
                errors = self._workers(notification, notification)
            self.assertEqual(errors, [None, None], "both requests commit")
            with self._cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                payments = env["account.payment"].search([("payment_transaction_id", "=", tx_id)])
                self.assertEqual(len(payments), 1)
                self.assertEqual(payments.oms_sale_order_id.id, order_id)
                self.assertEqual(env["sale.order"].browse(order_id).oms_payment_state, "paid")

    def test_payment_checks_the_amount_due_with_the_order_locked(self):
        with self._committed_order() as order_id:
            checked, release = threading.Event(), threading.Event()
            Payment = self.registry["account.payment"]
            original_create = Payment.create

            def create_after_the_check(self, vals_list):
                checked.set()
                release.wait(TIMEOUT)
                return original_create(self, vals_list)

            def pay(env):
                env["sale.order"].browse(order_id)._oms_register_payment(100.0, "bank_transfer")

            locked = []

            def try_lock():
                checked.wait(TIMEOUT)
                with self._cursor() as cr:
                    try:
                        cr.execute(
                            SQL(
                                "SELECT id FROM sale_order WHERE id = %s FOR UPDATE NOWAIT",
                                order_id,
                            )
                        )
                    except LockNotAvailable:
                        locked.append(True)
                    cr.rollback()
                release.set()

            prober = threading.Thread(target=try_lock)
            prober.start()
            with patch.object(Payment, "create", create_after_the_check):
                errors = self._workers(pay)
            prober.join(TIMEOUT * 2)
            self.assertEqual(errors, [None])
            self.assertEqual(locked, [True], "the order is locked from the check to the payment")

            # Two payments of the full amount at once: the second waits, is retried, and is
            # refused as an over-payment; one payment is recorded.
        with self._committed_order() as order_id:

            def pay_all(env):
                env["sale.order"].browse(order_id)._oms_register_payment(100.0, "bank_transfer")

            SaleOrder = self.registry["sale.order"]
            with self._gate(SaleOrder, "_oms_register_payment", threading.Barrier(2)):
                errors = self._workers(pay_all, pay_all)
            self.assertEqual(errors.count(None), 1, errors)
            refused = next(error for error in errors if error)
            self.assertIsInstance(refused, UserError)
            self.assertIn("more than the", str(refused))
            with self._cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                order = env["sale.order"].browse(order_id)
                self.assertEqual(len(order.oms_payment_ids), 1)
                self.assertEqual(order.oms_payment_state, "paid")
