from odoo.tests import tagged

from .common import OmsReportsCommon


def as_table(rows, *measures):
    return [(row["label"], *(round(row[m], 2) for m in measures)) for row in rows]


@tagged("post_install", "-at_install")
class TestRankings(OmsReportsCommon):
    def test_top_products(self):
        rows = self.ranking("products")
        self.assertEqual(
            as_table(rows, "net_amount", "net_qty", "net_margin"),
            [
                ("Anvil", 200.0, 2.0, 120.0),
                ("Bolt", 150.0, 5.0, 100.0),
                ("Crate", 100.0, 3.0, 40.0),
            ],
        )

    def test_best_sellers(self):
        rows = self.ranking("best_sellers")
        self.assertEqual(
            as_table(rows, "net_qty", "order_count"),
            [("Bolt", 5.0, 2), ("Crate", 3.0, 2), ("Anvil", 2.0, 2)],
        )

    def test_top_customers_orders_countries(self):
        self.assertEqual(
            as_table(self.ranking("customers"), "net_amount", "order_count"),
            [("Beta", 230.0, 2), ("Gamma", 220.0, 2)],
        )
        self.assertEqual(
            [row["key"] for row in self.ranking("orders")],
            [self.o2.id, self.o1.id, self.o3.id, self.o4.id],
        )
        self.assertEqual(
            [(row["key"], row["net_amount"]) for row in self.ranking("countries")],
            [(self.env.ref("base.be").id, 230.0), (self.env.ref("base.fr").id, 220.0)],
        )

    def test_top_brands_categories(self):
        self.assertEqual(
            as_table(self.ranking("brands"), "net_amount", "net_qty"),
            [("Xenon", 300.0, 5.0), ("Yonder", 150.0, 5.0)],
        )
        self.assertEqual(
            as_table(self.ranking("categories"), "net_amount"),
            [("Supplies", 250.0), ("Machines", 200.0)],
        )

    def test_top_channels(self):
        self.assertEqual(
            as_table(self.ranking("teams"), "net_amount", "order_count"),
            [("T1 Shop", 230.0, 2), ("T2 Phone", 220.0, 2)],
        )
        self.assertEqual(
            [(r["key"], r["net_amount"]) for r in self.ranking("sources")],
            [(self.source.id, 450.0)],
        )

    def test_best_days(self):
        self.assertEqual(
            as_table(self.ranking("dates"), "net_amount", "order_count"),
            [("2026-01-06", 170.0, 1), ("2026-01-07", 150.0, 2), ("2026-01-05", 130.0, 1)],
        )
        self.assertEqual(
            as_table(self.ranking("weekdays"), "net_amount"),
            [("Tuesday", 170.0), ("Wednesday", 150.0), ("Monday", 130.0)],
        )
        self.assertEqual(
            as_table(self.ranking("hours"), "net_amount"),
            [("15:00", 220.0), ("10:00", 130.0), ("09:00", 100.0)],
        )

    def test_filters(self):
        Ranking = self.env["oms.report.ranking"]
        from datetime import date

        domain = Ranking._period_domain(date(2026, 1, 6), date(2026, 1, 7))
        self.assertEqual(
            as_table(self.ranking("products", domain), "net_amount"),
            [("Bolt", 120.0), ("Anvil", 100.0), ("Crate", 100.0)],
        )
        by_team = Ranking._filter_domain(teams=self.team_1)
        self.assertEqual(
            as_table(self.ranking("customers", by_team), "net_amount"), [("Beta", 230.0)]
        )
        by_country = Ranking._filter_domain(countries=self.env.ref("base.fr"))
        self.assertEqual(
            as_table(self.ranking("products", by_country), "net_amount"),
            [("Bolt", 120.0), ("Crate", 100.0)],
        )
        by_warehouse = Ranking._filter_domain(warehouses=self.warehouse)
        self.assertEqual(len(self.ranking("orders", by_warehouse)), 4)
        by_company = Ranking._filter_domain(companies=self.company)
        self.assertEqual(len(self.ranking("orders", by_company)), 4)

    def test_trend_against_previous_period(self):
        from datetime import date

        ranking = self.env.ref("oms_reports.ranking_customers")
        rows = ranking._top_with_trend([], date(2026, 1, 7), date(2026, 1, 7))
        beta = next(row for row in rows if row["label"] == "Beta")
        gamma = next(row for row in rows if row["label"] == "Gamma")
        self.assertEqual((beta["net_amount"], beta["previous"]), (100.0, 0.0))
        self.assertIsNone(beta["trend"])
        self.assertEqual((gamma["net_amount"], gamma["previous"]), (50.0, 170.0))
        self.assertAlmostEqual(gamma["trend"], (50 - 170) / 170 * 100)
