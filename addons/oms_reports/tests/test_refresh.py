from odoo.tests import tagged
from odoo.tools import SQL

from .common import OmsReportsCommon


@tagged("post_install", "-at_install")
class TestFactRefresh(OmsReportsCommon):
    def facts(self):
        self.env.cr.execute(
            SQL("SELECT id, net_amount, country_id FROM oms_sale_order_fact ORDER BY id")
        )
        return self.env.cr.fetchall()

    def test_order_changes_show_at_commit(self):
        line = self.o2.order_line.filtered(lambda line: line.product_id == self.product_b)
        line.product_uom_qty = 5
        self.env.cr.flush()  # what a commit does first
        self.assertEqual(self.ranking("orders")[0]["net_amount"], 200.0)
        self.o2._action_cancel()
        self.env.cr.flush()
        self.assertNotIn(self.o2.id, [row["key"] for row in self.ranking("orders")])
        self.draft.action_confirm()
        self.env.cr.flush()
        self.assertIn(self.draft.id, [row["key"] for row in self.ranking("orders")])

    def test_customer_and_product_changes(self):
        self.gamma.country_id = self.env.ref("base.de")
        self.product_b.product_brand_id = self.brand_x
        self.env.cr.flush()
        countries = {row["key"] for row in self.ranking("countries")}
        self.assertEqual(countries, {self.env.ref("base.be").id, self.env.ref("base.de").id})
        self.assertEqual(
            [(row["label"], row["net_amount"]) for row in self.ranking("brands")],
            [("Xenon", 450.0)],
        )

    def test_refund_cancelled(self):
        self.refund.button_draft()
        self.env.cr.flush()
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
