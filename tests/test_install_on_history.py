"""Installing the OMS addons on a database with years of history changes none of it, even
once every cron has run.

A database of its own: Odoo's modules that the OMS extends, a history of orders in every
state with their deliveries, invoices, payments and reconciliations (bench/generate,
written as Odoo would have), every cron run once; then the OMS addons are installed, staff
move every order to a new sales team (a reorganisation: users keep working on the existing
orders), every cron runs again, and the business records must read as before.
"""

import subprocess
import sys
import unittest
from pathlib import Path

import psycopg2

import odoo
from odoo.tests import tagged

REPO = Path(__file__).resolve().parent.parent
# odoo is a namespace package (OCA addons from PyPI add to it): odoo-bin is beside the one
# that holds Odoo's own code.
ODOO_BIN = next(
    path.parent / "odoo-bin"
    for path in map(Path, odoo.__path__)
    if (path.parent / "odoo-bin").is_file()
)
CONF = REPO / "odoo.conf"
LIVE_DB = REPO / "tests" / "live_db.py"
DB = "oms_test_history"
# What the OMS addons depend on (and payment_demo for a provider), without them.
ODOO_MODULES = (
    "sale_management,sale_stock,purchase_stock,stock_delivery,crm,account,payment,"
    "account_payment,sale_margin,product_brand,report_xlsx,payment_demo"
)
OMS_MODULES = (
    "oms_extended,oms_replenishment,oms_shipping,oms_customer_lifecycle,oms_reports,oms_mobile_api"
)

# What installation and the crons must leave as it was, table by table.
SNAPSHOT = {
    "sale orders": "SELECT id, state, invoice_status, amount_total, locked FROM sale_order",
    "order lines": "SELECT id, qty_delivered, qty_invoiced, price_total FROM sale_order_line",
    "journal entries": "SELECT id, state, move_type, name, payment_state, amount_residual "
    "FROM account_move",
    "journal items": "SELECT id, reconciled, amount_residual, full_reconcile_id "
    "FROM account_move_line",
    "reconciliations": "SELECT id, debit_move_id, credit_move_id, amount "
    "FROM account_partial_reconcile",
    "payments": "SELECT id, state, is_reconciled, is_matched FROM account_payment",
    "transfers": "SELECT id, state, date_done FROM stock_picking",
    "stock moves": "SELECT id, state, quantity, picked FROM stock_move",
    "quants": "SELECT id, quantity, reserved_quantity FROM stock_quant",
    "transactions": "SELECT id, state FROM payment_transaction",
    "statement lines": "SELECT id, is_reconciled FROM account_bank_statement_line",
}


def _run(*args):
    subprocess.run([sys.executable, *map(str, args)], cwd=REPO, check=True, timeout=1800)


def _odoo(*args):
    _run(
        ODOO_BIN,
        "-c",
        CONF,
        "-d",
        DB,
        f"--db-filter=^{DB}$",
        "--stop-after-init",
        "--log-level=warn",
        *args,
    )


def _query(sql):
    cnx = psycopg2.connect(dbname=DB)
    try:
        with cnx.cursor() as cr:
            cr.execute(sql)
            return cr.fetchall()
    finally:
        cnx.close()


def _snapshot():
    return {name: sorted(_query(sql)) for name, sql in SNAPSHOT.items()}


@tagged("post_install", "-at_install")
class TestInstallOnHistory(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        subprocess.run(["dropdb", "--if-exists", DB], check=True)
        _odoo("-i", ODOO_MODULES, "--without-demo")
        _run(
            REPO / "bench" / "generate",
            "--db",
            DB,
            "--orders",
            300,
            "--paid-quotations",
            20,
            "--seed",
            11,
        )
        _run(LIVE_DB, CONF, DB, "crons")  # plain Odoo's crons settle first
        cls.before = _snapshot()
        _odoo("-i", OMS_MODULES)
        _run(LIVE_DB, CONF, DB, "reorganise")
        _run(LIVE_DB, CONF, DB, "crons")
        cls.after = _snapshot()

    @classmethod
    def tearDownClass(cls):
        subprocess.run(["dropdb", "--if-exists", DB], check=False)
        super().tearDownClass()

    def test_history_is_there(self):
        states = {row[1] for row in self.before["sale orders"]}
        self.assertTrue({"draft", "sale", "cancel"} <= states, states)
        self.assertTrue(self.before["reconciliations"])
        self.assertTrue(any(row[1] == "done" for row in self.before["transfers"]))

    def test_installing_and_running_every_cron_changes_no_record(self):
        for name in SNAPSHOT:
            with self.subTest(name):
                self.assertEqual(len(self.after[name]), len(self.before[name]), name)
                changed = sorted(set(self.after[name]) - set(self.before[name]))
                self.assertFalse(changed, f"{name} changed: {changed[:5]}")

    def test_existing_orders_are_not_the_automations(self):
        rows = _query(
            "SELECT count(*) FILTER (WHERE oms_workflow_id IS NOT NULL), "
            "count(*) FILTER (WHERE oms_needs_automation) FROM sale_order"
        )
        self.assertEqual(rows, [(0, 0)])

    def test_the_oms_crons_ran(self):
        rows = _query(
            "SELECT c.cron_name, c.lastcall IS NOT NULL FROM ir_cron c "
            "JOIN ir_model_data d ON d.model = 'ir.cron' AND d.res_id = c.id "
            "WHERE d.module LIKE 'oms_%'"
        )
        self.assertTrue(rows)
        self.assertTrue(all(ran for _name, ran in rows), rows)
