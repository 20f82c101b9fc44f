from unittest.mock import patch

import odoo
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from .common import OmsReportsCommon

CRON = "oms_reports.ir_cron_refresh_sale_facts_queue"


@tagged("post_install", "-at_install")
class TestFactRefresh(OmsReportsCommon):
    def facts(self):
        self.env.cr.execute(
            SQL("SELECT id, net_amount, country_id FROM oms_sale_order_fact ORDER BY id")
        )
        return self.env.cr.fetchall()

    def test_order_changes_show_after_the_refresh(self):
        line = self.o2.order_line.filtered(lambda line: line.product_id == self.product_b)
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search_count([("cron_id", "=", self.env.ref(CRON).id)])
        line.product_uom_qty = 5
        self.env.cr.flush()  # what a commit does first: the pre-commit hooks
        # The user's transaction only queued the order and woke the refresh cron up.
        self.assertEqual(self.ranking("orders")[0]["net_amount"], 170.0)
        self.assertGreater(
            Trigger.search_count([("cron_id", "=", self.env.ref(CRON).id)]), triggers
        )
        self.refresh_facts()
        self.assertEqual(self.ranking("orders")[0]["net_amount"], 200.0)
        self.o2._action_cancel()
        self.refresh_facts()
        self.assertNotIn(self.o2.id, [row["key"] for row in self.ranking("orders")])
        self.draft.action_confirm()
        self.refresh_facts()
        self.assertIn(self.draft.id, [row["key"] for row in self.ranking("orders")])

    def test_hourly_cron_takes_the_queue(self):
        self.o3.order_line.product_uom_qty = 3
        self.env.ref(CRON).unlink()  # the hook never fails the user's transaction
        self.env.cr.flush()
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", return_value=60.0):
            self.env["oms.sale.fact"]._cron_refresh()
        rows = {row["key"]: row["net_amount"] for row in self.ranking("orders")}
        self.assertEqual(rows[self.o3.id], 300.0)
        self.env.cr.execute(SQL("SELECT count(*) FROM oms_sale_fact_queue"))
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_customer_and_product_changes(self):
        self.gamma.country_id = self.env.ref("base.de")
        self.product_b.product_brand_id = self.brand_x
        self.refresh_facts()
        countries = {row["key"] for row in self.ranking("countries")}
        self.assertEqual(countries, {self.env.ref("base.be").id, self.env.ref("base.de").id})
        self.assertEqual(
            [(row["label"], row["net_amount"]) for row in self.ranking("brands")],
            [("Xenon", 450.0)],
        )

    def test_refund_cancelled(self):
        self.refund.button_draft()
        self.refresh_facts()
        rows = {row["key"]: row["net_amount"] for row in self.ranking("orders")}
        self.assertEqual(rows[self.o1.id], 230.0)

    def test_cron_catches_changes_made_in_sql(self):
        Fact = self.env["oms.sale.fact"]
        before = self.facts()
        self.env.cr.execute(
            SQL(
                "UPDATE sale_order_line SET price_subtotal = price_subtotal * 2, "
                "write_date = now() WHERE order_id = %s",
                self.o3.id,
            )
        )
        stale = Fact._stale_order_ids("2000-01-01")
        self.assertIn(self.o3.id, stale)
        self.env.cr.execute(SQL("DELETE FROM oms_sale_order_fact WHERE id = %s", self.o2.id))
        self.assertIn(self.o2.id, Fact._stale_order_ids("2999-01-01"))
        Fact._refresh(Fact._stale_order_ids("2000-01-01"))
        after = {row[0]: row[1] for row in self.facts()}
        self.assertEqual(after[self.o3.id], 200.0)
        self.assertEqual(len(after), len(before))
        # A full rebuild gives the same rows as the incremental refresh.
        incremental = self.facts()
        Fact._refresh()
        self.assertEqual(self.facts(), incremental)


@tagged("post_install", "-at_install")
class TestConcurrentTransactions(TransactionCase):
    """Two real transactions (their own connections, not the test cursor) touch the same
    confirmed order at once. The order, its customer and its product are committed for
    the test and removed afterwards."""

    def cursor(self):
        cr = odoo.sql_db.db_connect(self.env.cr.dbname).cursor()
        self.addCleanup(cr.close)
        return cr, odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})

    def setUp(self):
        super().setUp()
        cr, env = self.cursor()
        product = env["product.product"].create(
            {"name": "OMS concurrency", "type": "service", "list_price": 10.0, "taxes_id": []}
        )
        partner = env["res.partner"].create({"name": "OMS concurrency"})
        order = env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": qty}) for qty in (1, 2)
                ],
            }
        )
        order.action_confirm()
        cr.commit()
        self.addCleanup(self.remove, order.id, product.id, partner.id)
        env["oms.sale.fact"]._refresh(order.ids)  # its facts exist, as after the cron
        cr.commit()
        self.order_id, self.line_ids = order.id, order.order_line.ids

    def remove(self, order_id, product_id, partner_id):
        cr, env = self.cursor()
        order = env["sale.order"].browse(order_id)
        order._action_cancel()
        order.unlink()
        env["product.product"].browse(product_id).unlink()
        env["res.partner"].browse(partner_id).unlink()
        cr.flush()
        for table, column in (
            ("oms_sale_fact", "order_id"),
            ("oms_sale_order_fact", "order_id"),
            ("oms_sale_fact_queue", "res_id"),
        ):
            cr.execute(
                SQL(
                    "DELETE FROM %s WHERE %s = %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    order_id,
                )
            )
        cr.commit()

    def test_two_transactions_on_the_same_order_both_commit(self):
        (cr1, env1), (cr2, env2) = self.cursor(), self.cursor()
        line_1, line_2 = self.line_ids
        env1["sale.order.line"].browse(line_1).name = "first"
        env1.flush_all()
        env2["sale.order.line"].browse(line_2).name = "second"
        env2.flush_all()
        cr1.commit()
        cr2.commit()  # the refresh in the pre-commit hook failed here
        __, env = self.cursor()
        order = env["sale.order"].browse(self.order_id)
        self.assertEqual(order.order_line.mapped("name"), ["first", "second"])
        # the refresh cron rewrites the order's facts
        env["oms.sale.fact"]._process_queue()
        env.cr.execute(SQL("SELECT amount FROM oms_sale_order_fact WHERE id = %s", order.id))
        self.assertEqual(env.cr.fetchall(), [(30.0,)])
