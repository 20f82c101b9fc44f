"""A database of the one-addon layout (oms_extended holding every feature) upgrades to one
addon per feature with every record, setting and user's edit kept.

The addons of PRE_CUT_COMMIT (``git archive``) are installed in a database of their own and
filled (tests/upgrade_layout_data.py: orders, shipments and events, a reorder policy,
customer figures, log entries, users' edits of crons, the automation rule and templates).
The database is copied, then upgraded with this tree in the two ways a database meets it:

- ``-u`` of the OMS addons of the old layout (what an administrator runs);
- ``-i`` and ``-u`` of MODULES as ``make run`` (.ci/oms run) does, which marks the new
  addons *to install* before any migration runs.

Both must keep every row of the moved models (same count, same content), the edits, the XML
ids (now under the new addons), install the new addons, the suite and the bridges, leave no
module half-installed and log no error.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import psycopg2

import odoo
from odoo.tests import tagged

REPO = Path(__file__).resolve().parent.parent
ODOO_BIN = next(
    path.parent / "odoo-bin"
    for path in map(Path, odoo.__path__)
    if (path.parent / "odoo-bin").is_file()
)
CONF = REPO / "odoo.conf"
# data_dir of odoo.conf
FILESTORE = REPO / ".data" / "filestore"
DATA = REPO / "tests" / "upgrade_layout_data.py"
# The last commit of main before the cut.
PRE_CUT_COMMIT = "5e7e45b18d5bd9ec2b0e121a14ae72d6cf6a15f1"
DB = os.environ.get("OMS_TEST_UPGRADE_DB", "oms_test_upgrade")
DB_RUN = f"{DB}_run"
OLD_MODULES = "oms_extended,oms_reports,oms_mobile_api,oms_audit"
# OCA delivery_state: the old layout's bridge oms_delivery_state now depends on oms_shipping.
OLD_INSTALL = f"{OLD_MODULES},delivery_state"
# What `make run` installs and upgrades (MODULES of .ci/oms).
MODULES = re.search(r"^MODULES=(\S+)$", (REPO / ".ci" / "oms").read_text(), re.M).group(1)

FEATURES = {"oms_replenishment", "oms_shipping", "oms_customer_lifecycle"}
OMS = {"oms_extended", *FEATURES}
INSTALLED = {
    *OMS,
    "oms_reports",
    "oms_audit",
    "oms_mobile_api",
    "oms_mobile_app",
    "oms_suite",
    "oms_audit_mobile_api",
    "oms_delivery_state",
    "oms_customer_lifecycle_mobile_api",
    "oms_customer_lifecycle_stock_delivery",
}
# Tables of the moved models, and the moved columns of Odoo's tables.
TABLES = (
    "oms_reorder_policy",
    "oms_reorder_line",
    "oms_reorder_policy_res_partner_rel",
    "oms_shipment",
    "oms_shipment_event",
    "oms_carrier_webhook_request",
    "oms_customer_stat",
    "oms_customer_rfm_threshold",
    "oms_customer_segment_history",
    "oms_customer_acquisition_report",
    # and the core's, and the log
    "oms_workflow",
    "oms_document_log",
)
COLUMNS = ("stock_warehouse_orderpoint", "delivery_carrier", "res_partner", "res_company")
COLUMNS += ("crm_lead", "sale_order", "account_payment")
# XML ids that must now belong to a feature addon: {name: addon}.
MOVED = {
    "model_oms_shipment": "oms_shipping",
    "model_oms_reorder_policy": "oms_replenishment",
    "model_oms_customer_stat": "oms_customer_lifecycle",
    "model_oms_customer_rfm_threshold": "oms_customer_lifecycle",
    "field_sale_order__oms_shipment_status": "oms_shipping",
    "field_stock_warehouse_orderpoint__oms_policy_id": "oms_replenishment",
    "field_res_partner__oms_segment": "oms_customer_lifecycle",
    "selection__oms_shipment__status__delivered": "oms_shipping",
    "ir_cron_oms_poll_shipments": "oms_shipping",
    "ir_cron_oms_poll_shipments_ir_actions_server": "oms_shipping",
    "ir_cron_oms_reorder": "oms_replenishment",
    "ir_cron_oms_customer_lifecycle": "oms_customer_lifecycle",
    "mail_template_oms_shipment_problem": "oms_shipping",
    "mail_template_oms_winback": "oms_customer_lifecycle",
    "action_oms_shipment": "oms_shipping",
    "menu_oms_shipments": "oms_shipping",
    "menu_oms_purchasing": "oms_replenishment",
    "menu_oms_pipeline": "oms_customer_lifecycle",
    "access_oms_shipment_user": "oms_shipping",
    "oms_reorder_policy_rule_company": "oms_replenishment",
    "res_partner_view_form_customer_360": "oms_customer_lifecycle",
    "sale_order_portal_content_oms_shipments": "oms_shipping",
    "ir_cron_oms_apply_automation": "oms_extended",
    "oms_workflow_default": "oms_extended",
    "menu_oms_root": "oms_extended",
    "group_oms_user": "oms_extended",
}
# The records users edited, and the columns compared (tests/upgrade_layout_data.py EDITS).
EDITED = {
    "ir_cron_oms_poll_shipments": ("ir_cron", "interval_number, interval_type, active, nextcall"),
    "ir_cron_oms_reorder": ("ir_cron", "interval_number, active, nextcall"),
    "ir_cron_oms_customer_lifecycle": ("ir_cron", "interval_number, active, nextcall"),
    "ir_cron_oms_apply_automation": ("ir_cron", "interval_number, active"),
    "oms_workflow_default": ("oms_workflow", "t.name, active, confirm_policy"),
    "mail_template_oms_shipment_problem": ("mail_template", "body_html, subject"),
    "mail_template_oms_winback": ("mail_template", "subject, body_html"),
    "mail_template_oms_stock_digest": ("mail_template", "subject, body_html"),
}


def _run(*args, log):
    """Run a Python script (odoo-bin, the data script), its output in ``log``."""
    with open(log, "w") as out:
        done = subprocess.run(
            [sys.executable, *map(str, args)],
            cwd=REPO,
            timeout=1800,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if done.returncode:
        tail = "\n".join(Path(log).read_text().splitlines()[-40:])
        raise AssertionError(f"{args[0]} failed ({done.returncode}):\n{tail}")


def _odoo(db, addons, *args, log):
    _run(
        ODOO_BIN,
        "-c",
        CONF,
        "-d",
        db,
        f"--db-filter=^{db}$",
        f"--addons-path={addons}",
        "--stop-after-init",
        "--log-level=warn",
        *args,
        log=log,
    )


def _drop():
    for db in (DB, DB_RUN):
        subprocess.run(["dropdb", "--if-exists", db], check=True)
        shutil.rmtree(FILESTORE / db, ignore_errors=True)


def _query(db, sql, params=None):
    cnx = psycopg2.connect(dbname=db)
    try:
        with cnx.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall()
    finally:
        cnx.close()


def _digest(db, table, columns="*"):
    rows = _query(db, f"SELECT {columns} FROM {table} ORDER BY 1")
    return len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()


def _columns(db, table, pattern="%"):
    """The columns of ``table`` whose names match ``pattern`` (LIKE), with ``id`` first
    (where the table has one: relation tables have not)."""
    rows = _query(
        db,
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = %s "
        "AND (column_name LIKE %s OR column_name = 'id') "
        "ORDER BY column_name != 'id', column_name",
        [table, pattern],
    )
    return [name for (name,) in rows]


def _state(db, table_columns=None):
    """What the upgrade must keep, read in SQL: the rows, the edits, the XML ids. The rows
    are compared on ``table_columns`` (by default, those the tables have now): after the upgrade,
    on the columns they had before it (new columns are no loss)."""
    if table_columns is None:
        table_columns = {table: _columns(db, table) for table in TABLES}
        for table in COLUMNS:
            table_columns[f"{table} (oms columns)"] = _columns(db, table, "oms\\_%")
    tables = {
        name: _digest(db, name.split(" ")[0], ", ".join(names))
        for name, names in table_columns.items()
    }
    edits = {}
    for name, (table, columns) in EDITED.items():
        edits[name] = _query(
            db,
            f"SELECT {columns} FROM {table} t JOIN ir_model_data d ON d.res_id = t.id "
            "AND d.name = %s AND d.module LIKE 'oms%%' AND d.model = %s",
            [name, table.replace("_", ".")],
        )
    xmlids = _query(
        db,
        "SELECT name, model, res_id, module FROM ir_model_data "
        "WHERE module IN %s ORDER BY name, model",
        [tuple(OMS)],
    )
    return {"tables": tables, "columns": table_columns, "edits": edits, "xmlids": xmlids}


@tagged("post_install", "-at_install")
class TestUpgradeLayout(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory(prefix="oms_pre_cut_")
        old_addons = Path(cls.tmp.name) / "addons"
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", PRE_CUT_COMMIT, "addons"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", cls.tmp.name], input=archive, check=True)
        logs = Path(cls.tmp.name)
        _drop()
        _odoo(DB, old_addons, "-i", OLD_INSTALL, "--without-demo", log=logs / "install.log")
        _run(DATA, CONF, DB, old_addons, "fill", log=logs / "fill.log")
        cls.before = _state(DB)
        subprocess.run(["createdb", "-T", DB, DB_RUN], check=True)
        if (FILESTORE / DB).is_dir():
            shutil.copytree(FILESTORE / DB, FILESTORE / DB_RUN)
        new_addons = REPO / "addons"
        cls.logs = {db: logs / f"{db}.log" for db in (DB, DB_RUN)}
        _odoo(DB, new_addons, "-u", OLD_MODULES, log=cls.logs[DB])
        _odoo(DB_RUN, new_addons, "-i", MODULES, "-u", MODULES, log=cls.logs[DB_RUN])
        cls.after = {db: _state(db, cls.before["columns"]) for db in (DB, DB_RUN)}

    @classmethod
    def tearDownClass(cls):
        _drop()
        cls.tmp.cleanup()
        super().tearDownClass()

    def test_the_old_database_is_filled(self):
        tables = self.before["tables"]
        for table in ("oms_shipment", "oms_shipment_event", "oms_reorder_line"):
            self.assertTrue(tables[table][0], table)
        for table in ("oms_customer_stat", "oms_customer_segment_history", "oms_document_log"):
            self.assertTrue(tables[table][0], table)
        self.assertTrue(tables["crm_lead (oms columns)"][0])
        self.assertEqual(
            self.before["edits"]["ir_cron_oms_poll_shipments"][0][:3], (45, "minutes", False)
        )
        self.assertIn(
            "Our own words",
            self.before["edits"]["mail_template_oms_shipment_problem"][0][0]["en_US"],
        )

    def test_no_error_in_the_log(self):
        for db, log in self.logs.items():
            with self.subTest(db=db):
                errors = [
                    line
                    for line in log.read_text().splitlines()
                    if re.search(r"\d (ERROR|CRITICAL) ", line)
                ]
                self.assertFalse(errors, "\n".join(errors[:20]))

    def test_every_row_is_kept(self):
        for db, after in self.after.items():
            for table, digest in self.before["tables"].items():
                with self.subTest(db=db, table=table):
                    self.assertEqual(after["tables"][table], digest)

    def test_users_edits_are_kept(self):
        for db, after in self.after.items():
            for name, values in self.before["edits"].items():
                with self.subTest(db=db, record=name):
                    self.assertEqual(len(values), 1)
                    self.assertEqual(after["edits"][name], values)

    def test_xmlids_move_to_their_addon(self):
        for db, after in self.after.items():
            owner = {
                (name, model, res_id): module for name, model, res_id, module in after["xmlids"]
            }
            by_name = {name: module for name, _model, _res_id, module in after["xmlids"]}
            with self.subTest(db=db):
                lost = [
                    (name, model, res_id)
                    for name, model, res_id, _module in self.before["xmlids"]
                    if (name, model, res_id) not in owner
                ]
                self.assertFalse(lost, f"XML ids lost or pointing elsewhere: {lost[:10]}")
                for name, module in MOVED.items():
                    self.assertEqual(by_name.get(name), module, name)
                moved_models = _query(
                    db,
                    "SELECT m.model, d.module FROM ir_model m JOIN ir_model_data d "
                    "ON d.model = 'ir.model' AND d.res_id = m.id "
                    "WHERE m.model LIKE 'oms.shipment%%' OR m.model LIKE 'oms.reorder%%' "
                    "OR m.model LIKE 'oms.customer%%' OR m.model = 'oms.carrier.webhook.request'",
                )
                self.assertEqual(len(moved_models), 10, moved_models)
                self.assertNotIn("oms_extended", {module for _model, module in moved_models})
                owners = _query(
                    db,
                    "SELECT DISTINCT mm.name FROM ir_model_constraint c "
                    "JOIN ir_model m ON m.id = c.model "
                    "JOIN ir_module_module mm ON mm.id = c.module "
                    "WHERE m.model IN ('oms.shipment.event', 'oms.reorder.line', "
                    "'oms.customer.stat', 'oms.carrier.webhook.request') "
                    "UNION SELECT DISTINCT mm.name FROM ir_model_relation r "
                    "JOIN ir_module_module mm ON mm.id = r.module "
                    "WHERE r.name = 'oms_reorder_policy_res_partner_rel'",
                )
                self.assertEqual(
                    {name for (name,) in owners},
                    {"oms_shipping", "oms_replenishment", "oms_customer_lifecycle"},
                )

    def test_modules_are_installed(self):
        for db in self.after:
            with self.subTest(db=db):
                states = dict(
                    _query(db, "SELECT name, state FROM ir_module_module WHERE name LIKE 'oms%%'")
                )
                for name in INSTALLED:
                    self.assertEqual(states.get(name), "installed", name)
                pending = _query(
                    db,
                    "SELECT name, state FROM ir_module_module "
                    "WHERE state IN ('to upgrade', 'to install', 'to remove')",
                )
                self.assertFalse(pending)
                apps = dict(
                    _query(
                        db,
                        "SELECT name, application FROM ir_module_module "
                        "WHERE name IN ('oms_extended', 'oms_suite')",
                    )
                )
                self.assertEqual(apps, {"oms_extended": False, "oms_suite": True})
                self.assertFalse(
                    _query(
                        db, "SELECT 1 FROM pg_tables WHERE tablename = 'oms_cut_noupdate_snapshot'"
                    )
                )
