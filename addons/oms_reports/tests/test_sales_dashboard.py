import io
import json
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import openpyxl

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import OmsReportsCommon


def export_data(action):
    """The parameters of an export's download (the ``data`` of its URL)."""
    query = parse_qs(urlsplit(action["url"]).query)
    return json.loads(query["data"][0])


@tagged("post_install", "-at_install")
class TestSalesDashboard(OmsReportsCommon):
    """The Sales Dashboard's data (one server call), its click-through and the
    export of a ranking's list, on the sales of ``OmsReportsCommon`` plus two orders
    a year before the period (2026-01-06 - 2026-01-07):

    ==========  ========  ===========  =======================
    period      customer  revenue      products
    ==========  ========  ===========  =======================
    current     Gamma     220          Bolt 120, Crate 100
    current     Beta      100          Anvil 100 (salesman)
    previous    Beta      130          Anvil 100, Bolt 30
    last year   Beta      150          Crate 150
    last year   Gamma     30           Bolt 30
    ==========  ========  ===========  =======================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ly_beta = cls._order(cls.beta, cls.team_1, "2025-01-07 10:00:00", [("c", 3)])
        cls.ly_gamma = cls._order(cls.gamma, cls.team_2, "2025-01-06 10:00:00", [("b", 1)])
        cls.refresh_facts()
        cls.filters = {"period": "custom", "date_from": "2026-01-06", "date_to": "2026-01-07"}
        cls.Dashboard = cls.env["oms.report.dashboard"].with_user(cls.oms_user)

    def data(self, user=None, **filters):
        Dashboard = self.Dashboard.with_user(user) if user else self.Dashboard
        return Dashboard.get_dashboard_data({**self.filters, **filters})

    def block(self, data, key):
        [block] = [block for block in data["rankings"] if block["key"] == key]
        return block

    def test_headline_figures_and_trends(self):
        data = self.data()
        kpis = {kpi["key"]: kpi for kpi in data["kpis"]}
        self.assertEqual(list(kpis), ["revenue", "orders", "average", "customers", "margin"])
        self.assertEqual(
            {key: kpi["value"] for key, kpi in kpis.items()},
            {
                "revenue": 320.0,
                "orders": 3,
                "average": 320.0 / 3,
                "customers": 2,
                "margin": 180.0,
            },
        )
        self.assertEqual(kpis["revenue"]["previous"], 130.0)
        self.assertAlmostEqual(kpis["revenue"]["previous_trend"], (320 - 130) / 130 * 100)
        self.assertEqual(kpis["revenue"]["last_year"], 180.0)
        self.assertAlmostEqual(kpis["revenue"]["last_year_trend"], (320 - 180) / 180 * 100)
        self.assertEqual((kpis["orders"]["previous"], kpis["orders"]["last_year"]), (1, 2))
        self.assertEqual(
            data["periods"],
            {
                "current": ["2026-01-06", "2026-01-07"],
                "previous": ["2026-01-04", "2026-01-05"],
                "last_year": ["2025-01-06", "2025-01-07"],
            },
        )

    def test_headline_figures_agree_with_the_rankings(self):
        """Revenue and margin of the headline are the totals of every ranking model
        over the same period, whatever the grain."""
        data = self.data(row_limit=50)
        kpis = {kpi["key"]: kpi["value"] for kpi in data["kpis"]}
        for key in ("products", "customers", "countries", "brands", "categories", "orders"):
            with self.subTest(ranking=key):
                rows = self.block(data, key)["rows"]
                self.assertAlmostEqual(sum(row["net_amount"] for row in rows), kpis["revenue"])
        products = self.block(data, "products")["rows"]
        self.assertAlmostEqual(sum(row["net_margin"] for row in products), kpis["margin"])
        self.assertEqual(len(self.block(data, "customers")["rows"]), kpis["customers"])
        self.assertEqual(len(self.block(data, "orders")["rows"]), kpis["orders"])
        # and the report models themselves
        period = self.env["oms.report.ranking"]._period_domain(
            datetime(2026, 1, 6).date(), datetime(2026, 1, 7).date()
        )
        [(lines_total,)] = self.env["oms.report.line"]._read_group(period, [], ["net_amount:sum"])
        self.assertAlmostEqual(lines_total, kpis["revenue"])

    def test_chart_data(self):
        data = self.data()
        self.assertEqual(
            data["revenue_chart"],
            {
                "labels": ["2026-01-06", "2026-01-07"],
                "previous_labels": ["2026-01-04", "2026-01-05"],
                "current": [170.0, 150.0],
                "previous": [0.0, 130.0],
            },
        )
        customers = self.block(data, "customers")
        self.assertEqual(
            customers["measures"][0], {"name": "net_amount", "label": "Revenue", "kind": "money"}
        )
        self.assertEqual(
            [(row["label"], row["net_amount"]) for row in customers["rows"]],
            [("Gamma", 220.0), ("Beta", 100.0)],
        )

    def test_rank_changes(self):
        data = self.data()
        customers = {row["label"]: row for row in self.block(data, "customers")["rows"]}
        self.assertEqual(
            {
                label: (
                    row["rank"],
                    row["previous"],
                    row["previous_rank"],
                    row["previous_rank_change"],
                    row["last_year"],
                    row["last_year_rank"],
                    row["last_year_rank_change"],
                )
                for label, row in customers.items()
            },
            {
                # new in the previous period, up 1 against last year
                "Gamma": (1, 0.0, False, None, 30.0, 2, 1),
                # down 1 against both
                "Beta": (2, 130.0, 1, -1, 150.0, 1, -1),
            },
        )
        self.assertAlmostEqual(customers["Beta"]["previous_trend"], (100 - 130) / 130 * 100)
        self.assertIsNone(customers["Gamma"]["previous_trend"])
        products = {row["label"]: row for row in self.block(data, "products")["rows"]}
        self.assertEqual(
            {
                label: (row["rank"], row["previous_rank_change"], row["last_year_rank_change"])
                for label, row in products.items()
            },
            {"Bolt": (1, 1, 1), "Anvil": (2, -1, None), "Crate": (3, None, -2)},
        )
        # an order or a day belongs to one period: nothing to compare
        self.assertFalse(self.block(data, "orders")["comparable"])
        self.assertTrue(self.block(data, "customers")["comparable"])

    def test_click_through_domain(self):
        Dashboard = self.Dashboard
        customers = self.env.ref("oms_reports.ranking_customers")
        action = Dashboard.action_open_rows(self.filters, customers.id, self.gamma.id, "Gamma")
        self.assertEqual(
            (action["type"], action["res_model"], action["name"]),
            ("ir.actions.act_window", "oms.report.order", "Top customers: Gamma"),
        )
        rows = self.env["oms.report.order"].with_user(self.oms_user).search(action["domain"])
        self.assertEqual(rows.order_id, self.o2 | self.o4)
        self.assertIn(["partner_id", "=", self.gamma.id], action["domain"])

        products = self.env.ref("oms_reports.ranking_products")
        action = Dashboard.action_open_rows(self.filters, products.id, self.product_b.id)
        self.assertEqual(action["res_model"], "oms.report.line")
        lines = self.env["oms.report.line"].search(action["domain"])
        self.assertEqual(lines.order_id, self.o2)  # o1's bolt is the previous period
        self.assertEqual(sum(lines.mapped("net_qty")), 4)

        dates = self.env.ref("oms_reports.ranking_dates")
        action = Dashboard.action_open_rows(self.filters, dates.id, "2026-01-07")
        rows = self.env["oms.report.order"].search(action["domain"])
        self.assertEqual(rows.order_id, self.o3 | self.o4)

        # the dashboard's filters apply too
        action = Dashboard.action_open_rows(
            {**self.filters, "team_ids": [self.team_1.id]}, customers.id, self.gamma.id
        )
        self.assertFalse(self.env["oms.report.order"].search(action["domain"]))

    def test_filters_are_remembered_per_user(self):
        self.Dashboard.save_dashboard_filters(
            {**self.filters, "team_ids": [self.team_2.id], "row_limit": 3}
        )
        data = self.Dashboard.get_dashboard_data(None)
        self.assertEqual(data["filters"]["team_ids"], [self.team_2.id])
        self.assertEqual(data["filters"]["row_limit"], 3)
        self.assertEqual(data["filters"]["date_from"], "2026-01-06")
        self.assertEqual({kpi["key"]: kpi["value"] for kpi in data["kpis"]}["revenue"], 220.0)
        # another user keeps the defaults: the last 30 days
        other = self.Dashboard.with_user(self.oms_manager).get_dashboard_data(None)
        self.assertEqual(
            (other["filters"]["period"], other["filters"]["team_ids"]), ("last_30", [])
        )

    def test_company_filter(self):
        """Only the user's companies can be chosen; another company's sales stay out."""
        company_2 = self.env["res.company"].create({"name": "OMS Dashboard Co"})
        data = self.data(company_ids=[company_2.id])
        self.assertEqual(data["filters"]["company_ids"], [])  # not one of the user's
        self.oms_user.company_ids |= company_2
        data = self.data(company_ids=[company_2.id])
        self.assertEqual(data["filters"]["company_ids"], [company_2.id])
        kpis = {kpi["key"]: kpi["value"] for kpi in data["kpis"]}
        self.assertEqual((kpis["revenue"], kpis["orders"]), (0.0, 0))
        self.assertEqual(self.block(data, "customers")["rows"], [])

    def test_bad_filters(self):
        for filters, message in (
            ({"date_from": "2026-01-08"}, "start before it ends"),
            ({"date_from": "06/01/2026"}, "YYYY-MM-DD"),
            ({"row_limit": 0}, "between 1 and 50"),
            ({"period": "decade"}, "Unknown period"),
        ):
            with self.subTest(filters=filters), self.assertRaisesRegex(UserError, message):
                self.data(**filters)

    def test_salesman_sees_own_documents(self):
        data = self.data(user=self.salesman)
        kpis = {kpi["key"]: kpi["value"] for kpi in data["kpis"]}
        self.assertEqual((kpis["revenue"], kpis["orders"], kpis["customers"]), (100.0, 1, 1))
        self.assertEqual([row["label"] for row in self.block(data, "customers")["rows"]], ["Beta"])
        self.assertEqual(data["revenue_chart"]["current"], [0.0, 100.0])
        # the filters offer what the salesperson's own sales have
        options = data["options"]
        self.assertEqual([c["name"] for c in options["countries"]], ["Belgium"])
        self.assertEqual([t["id"] for t in options["teams"]], [self.team_1.id])
        # only the rankings whose report the salesperson may read (bridges add others)
        env = self.env(user=self.salesman)
        rankings = env["oms.report.ranking"].browse([b["id"] for b in data["rankings"]])
        self.assertIn("customers", rankings.mapped("key"))
        for ranking in rankings:
            self.assertTrue(env[ranking._spec()[0]].has_access("read"), ranking.key)
        customers = self.env.ref("oms_reports.ranking_customers")
        action = self.Dashboard.with_user(self.salesman).action_open_rows(
            self.filters, customers.id, self.gamma.id
        )
        self.assertFalse(
            self.env["oms.report.order"].with_user(self.salesman).search(action["domain"])
        )

    def test_dashboard_export(self):
        """The export is a download from the read-only route: nothing is written."""
        before = self.env["oms.report.dashboard"].search_count([])
        action = self.Dashboard.action_export_filters({**self.filters, "row_limit": 2})
        self.assertEqual((action["type"], action["target"]), ("ir.actions.act_url", "download"))
        self.assertTrue(action["url"].startswith("/oms_reports/export/dashboard?"))
        filters = export_data(action)["filters"]
        self.assertEqual((filters["date_from"], filters["row_limit"]), ("2026-01-06", 2))
        self.assertEqual(self.env["oms.report.dashboard"].search_count([]), before)
        content, filename = self.Dashboard._render_xlsx_filters(filters)
        self.assertEqual(filename, "Sales Dashboard 2026-01-06 2026-01-07.xlsx")
        book = openpyxl.load_workbook(io.BytesIO(content))
        customers = book[self.block(self.data(row_limit=2), "customers")["title"][:31]]
        self.assertEqual(
            [row[1].value for row in customers.iter_rows(min_row=2)], ["Gamma", "Beta"]
        )

    def test_filters_are_saved_apart(self):
        """Reading the dashboard writes nothing; the filters are saved by their own call."""
        self.data(team_ids=[self.team_2.id])
        self.assertFalse(self.oms_user.oms_dashboard_filters)
        saved = self.Dashboard.save_dashboard_filters(
            {**self.filters, "team_ids": [self.team_2.id]}
        )
        self.assertEqual(self.oms_user.oms_dashboard_filters, saved)
        self.assertEqual(saved["team_ids"], [self.team_2.id])
        with self.assertRaisesRegex(ValidationError, "dictionary"):
            self.Dashboard.save_dashboard_filters(None)

    def export(self, user, model, domain, **options):
        Ranking = self.env["oms.report.ranking"].with_user(user)
        action = Ranking.action_export_list(model, domain, options)
        self.assertEqual((action["type"], action["target"]), ("ir.actions.act_url", "download"))
        self.assertTrue(action["url"].startswith("/oms_reports/export/list?"))
        content, filename = Ranking._render_xlsx_list(export_data(action))
        self.assertTrue(filename.endswith(".xlsx"))
        book = openpyxl.load_workbook(io.BytesIO(content))
        return book.worksheets[0]

    def test_ranking_list_export_grouped(self):
        """What is on screen: filters, the grouping, the order and the columns."""
        period = [("date", ">=", "2026-01-06 00:00:00"), ("date", "<", "2026-01-08 00:00:00")]
        columns = [
            "date",
            "order_id",
            "partner_id",
            "product_id",
            "currency_id",
            "net_amount",
            "net_qty",
        ]
        sheet = self.export(
            self.oms_user,
            "oms.report.line",
            period,
            groupby=["product_id", "partner_id"],
            order="net_qty desc",
            columns=columns,
            title="Best-Selling Products",
        )
        self.assertEqual(sheet.title, "Best-Selling Products")
        self.assertEqual(
            [cell.value for cell in sheet[1]],
            [
                "#",
                "Product Variant",
                "Revenue",
                "Units Sold",
                # the period filtered on is compared, ranked by the measure sorted on
                "Previous: Units Sold",
                "Trend",
                "Rank vs Previous",
                "Last Year: Units Sold",
                "Trend vs Last Year",
                "Rank vs Last Year",
            ],
        )
        rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
        # units: previous period (01-04 - 01-05) Anvil 1, Bolt 1; last year Crate 3, Bolt 1
        self.assertEqual(
            rows,
            [
                [1, "Bolt", 120.0, 4.0, 1.0, 3.0, 1, 1.0, 3.0, 1],
                [2, "Crate", 100.0, 3.0, 0.0, None, "new", 3.0, 0.0, -1],
                [3, "Anvil", 100.0, 1.0, 1.0, 0.0, -2, 0.0, None, "new"],
            ],
        )
        self.assertEqual(sheet["G2"].number_format, '"up "0;"down "0;"="')
        self.assertEqual(sheet["F2"].number_format, "+0.0%;-0.0%;0.0%")
        # the dashboard workbook's formatting
        self.assertTrue(sheet["A1"].font.bold)
        self.assertEqual(sheet["A1"].fill.fgColor.rgb, "FF714B67")
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertEqual(sheet.auto_filter.ref, "A1:J4")
        self.assertEqual(sheet["C2"].number_format, "#,##0.00")
        self.assertEqual(sheet["A2"].number_format, "#,##0")

    def test_ranking_list_export_as_salesman(self):
        period = [("date", ">=", "2026-01-06 00:00:00"), ("date", "<", "2026-01-08 00:00:00")]
        sheet = self.export(
            self.salesman,
            "oms.report.order",
            period,
            groupby=["partner_id"],
            columns=["date", "order_id", "partner_id", "net_amount", "order_count"],
        )
        rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
        # the salesperson's own orders only, in every period
        self.assertEqual(rows, [[1, "Beta", 100.0, 1, 0.0, None, "new", 0.0, None, "new"]])
        # ungrouped: one row per order, the columns on screen, in the list's order
        sheet = self.export(
            self.salesman,
            "oms.report.order",
            [],
            order="net_amount desc",
            columns=["date", "order_id", "partner_id", "net_amount"],
        )
        self.assertEqual(
            [cell.value for cell in sheet[1]], ["Order Date", "Order", "Customer", "Revenue"]
        )
        rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
        self.assertEqual(rows, [[datetime(2026, 1, 7, 9, 0), self.o3.display_name, "Beta", 100.0]])
        self.assertEqual(sheet["A2"].number_format, "yyyy-mm-dd hh:mm")

    def test_ranking_list_export_bad_input(self):
        Ranking = self.env["oms.report.ranking"].with_user(self.oms_user)
        with self.assertRaisesRegex(UserError, "sales report lists"):
            Ranking.action_export_list("res.partner", [])
        with self.assertRaisesRegex(UserError, "no field nope"):
            Ranking.action_export_list("oms.report.line", [], {"columns": ["nope"]})

    def compare(self, user, model, domain, **options):
        Ranking = self.env["oms.report.ranking"].with_user(user)
        return Ranking.get_list_comparison(model, domain, options)

    def test_compare_periods_of_a_ranking(self):
        """Compare Periods on a ranking's screen: the period the screen filters,
        against the previous one and last year, with the change in rank."""
        period = [("date", ">=", "2026-01-06 00:00:00"), ("date", "<=", "2026-01-07 23:59:59")]
        data = self.compare(
            self.oms_user,
            "oms.report.order",
            [*period, ("company_id", "in", [self.company.id])],
            groupby=["partner_id"],
            order="net_amount desc",
        )
        self.assertEqual(
            data["periods"],
            {
                "current": ["2026-01-06", "2026-01-07"],
                "previous": ["2026-01-04", "2026-01-05"],
                "last_year": ["2025-01-06", "2025-01-07"],
            },
        )
        self.assertFalse(data["default_period"])
        self.assertEqual(
            (data["group"], data["measure"], data["kind"], data["total"]),
            ("Customer", "net_amount", "money", 2),
        )
        rows = {row["label"]: row for row in data["rows"]}
        self.assertEqual([row["label"] for row in data["rows"]], ["Gamma", "Beta"])
        gamma, beta = rows["Gamma"], rows["Beta"]
        self.assertEqual((gamma["rank"], gamma["value"]), (1, 220.0))
        # Gamma: new against the previous period, up 1 against last year (30, rank 2)
        self.assertEqual(
            gamma["previous"], {"value": 0.0, "trend": None, "rank_change": None, "change": "new"}
        )
        self.assertEqual(
            (gamma["last_year"]["value"], gamma["last_year"]["change"]), (30.0, "up 1")
        )
        self.assertAlmostEqual(gamma["last_year"]["trend"], (220 - 30) / 30 * 100)
        # Beta: down 1 against both (130 and 150, first then)
        self.assertEqual((beta["previous"]["change"], beta["last_year"]["change"]), ("down 1",) * 2)
        self.assertEqual((beta["previous"]["value"], beta["last_year"]["value"]), (130.0, 150.0))
        self.assertAlmostEqual(beta["previous"]["trend"], (100 - 130) / 130 * 100)
        # ranked by the measure the screen sorts on: units of the products
        data = self.compare(
            self.oms_user, "oms.report.line", period, groupby=["product_id"], order="net_qty desc"
        )
        self.assertEqual(data["measure_label"], "Units Sold")
        self.assertEqual(
            [
                (row["label"], row["value"], row["previous"]["change"], row["last_year"]["change"])
                for row in data["rows"]
            ],
            [
                ("Bolt", 4.0, "up 1", "up 1"),
                ("Crate", 3.0, "new", "down 1"),
                ("Anvil", 1.0, "down 2", "new"),
            ],
        )
        # the same as the dashboard's ranking and the list's export
        products = self.block(self.data(), "products")["rows"]
        data = self.compare(self.oms_user, "oms.report.line", period, groupby=["product_id"])
        self.assertEqual(
            [(row["label"], row["previous"]["rank_change"]) for row in data["rows"]],
            [(row["label"], row["previous_rank_change"]) for row in products],
        )
        data = self.compare(
            self.oms_user, "oms.report.line", period, groupby=["product_id"], limit=1
        )
        self.assertEqual((len(data["rows"]), data["total"]), (1, 3))

    def test_compare_periods_default_period_and_salesman(self):
        # no Order Date filter: the last 30 days
        data = self.compare(self.oms_user, "oms.report.order", [], groupby=["country_id"])
        self.assertTrue(data["default_period"])
        today = fields.Date.context_today(self.env["oms.report.ranking"])
        self.assertEqual(
            data["periods"]["current"],
            [fields.Date.to_string(today - timedelta(days=29)), fields.Date.to_string(today)],
        )
        # a salesperson restricted to own documents compares their own sales only
        period = [("date", ">=", "2026-01-06 00:00:00"), ("date", "<", "2026-01-08 00:00:00")]
        data = self.compare(self.salesman, "oms.report.order", period, groupby=["partner_id"])
        self.assertEqual(
            [
                (row["rank"], row["label"], row["value"], row["previous"]["change"])
                for row in data["rows"]
            ],
            [(1, "Beta", 100.0, "new")],
        )
        with self.assertRaisesRegex(UserError, "Group the ranking"):
            self.compare(self.oms_user, "oms.report.order", period)
        with self.assertRaisesRegex(UserError, "belongs to one period"):
            self.compare(self.oms_user, "oms.report.order", period, groupby=["order_id"])
        with self.assertRaisesRegex(UserError, "belongs to one period"):
            self.compare(self.oms_user, "oms.report.order", period, groupby=["date:month"])
        with self.assertRaisesRegex(UserError, "sales reports"):
            self.compare(self.oms_user, "res.partner", period, groupby=["name"])
