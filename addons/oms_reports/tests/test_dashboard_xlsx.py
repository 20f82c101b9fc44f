import io
from datetime import date

import openpyxl

from odoo.addons.oms_extended.tests.test_menus import oms_menu_tree
from odoo.addons.oms_reports.models.oms_report_ranking import RANKINGS
from odoo.tests import tagged

from .common import OmsReportsCommon
from .test_sales_dashboard import export_data


@tagged("post_install", "-at_install")
class TestDashboardXlsx(OmsReportsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = (
            cls.env["oms.report.dashboard"]
            .with_user(cls.oms_user)
            .create({"date_from": date(2026, 1, 6), "date_to": date(2026, 1, 7)})
        )

    def _blocks(self, dashboard=None):
        """The ranking blocks of a dashboard record, as the XLSX export reads them."""
        dashboard = dashboard or self.dashboard
        return dashboard._ranking_blocks(*dashboard._scope())

    def test_dashboard_top_and_trend(self):
        blocks = {block["key"]: block for block in self._blocks()}
        self.assertLessEqual(set(RANKINGS), set(blocks))  # bridges may add more
        customers = blocks["customers"]["rows"]
        self.assertEqual(
            [(r["label"], r["net_amount"], r["previous"]) for r in customers],
            [("Gamma", 220.0, 0.0), ("Beta", 100.0, 130.0)],
        )
        self.assertAlmostEqual(customers[1]["previous_trend"], (100 - 130) / 130 * 100)
        self.assertFalse(blocks["orders"]["comparable"])

    def test_export_is_what_the_screen_shows(self):
        """The one Sales Dashboard: the XLSX export of a record writes the blocks the
        client action shows for the same filters (issue 20: the form and its own builder
        are gone)."""
        filters = {
            "period": "custom",
            "date_from": "2026-01-06",
            "date_to": "2026-01-07",
            "company_ids": [],
            "team_ids": [self.team_1.id],
        }
        Dashboard = self.env["oms.report.dashboard"].with_user(self.oms_user)
        screen = Dashboard.get_dashboard_data(filters)["rankings"]
        action = Dashboard.action_export_filters(filters)
        exported = Dashboard._from_filters(export_data(action)["filters"])
        self.assertEqual(self._blocks(exported), screen)
        products = next(block for block in screen if block["key"] == "products")
        self.assertEqual(
            [(r["label"], r["net_amount"]) for r in products["rows"]], [("Anvil", 100.0)]
        )

    def test_old_form_dashboard_is_gone(self):
        self.assertNotIn("dashboard_html", self.env["oms.report.dashboard"]._fields)
        for xmlid in (
            "oms_reports.action_oms_report_dashboard",
            "oms_reports.oms_report_dashboard_view_form",
            "oms_reports.dashboard_content",
        ):
            self.assertFalse(self.env.ref(xmlid, raise_if_not_found=False), xmlid)

    def test_menu_opens_for_oms_user(self):
        env = self.env(user=self.oms_user)
        tree = oms_menu_tree(env)
        menu = tree["oms_reports.menu_oms_report_dashboard"]
        self.assertEqual(menu["action_model"], "ir.actions.client")
        action = self.env["ir.actions.client"].browse(menu["action_id"])
        self.assertEqual((action.name, action.tag), ("Sales Dashboard", "oms_reports.dashboard"))
        self.assertIn("kpis", env["oms.report.dashboard"].get_dashboard_data(None))

    def test_xlsx_export(self):
        content, kind = self.dashboard._render_xlsx()
        self.assertEqual(kind, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(book.sheetnames[:3], ["Filters", "Top products", "Best-selling products"])
        self.assertIn("Chart", book.sheetnames)
        self.assertEqual(len(book.chartsheets), 1)
        self.assertEqual(book["Filters"]["B3"].value, "2026-01-06 - 2026-01-07")

        sheet = book["Top products"]
        header = [cell.value for cell in sheet[1]]
        self.assertEqual(
            header,
            [
                "#",
                "Product Variant",
                "Revenue",
                "Units Sold",
                "Margin",
                "Previous: Revenue",
                "Trend",
                "Rank vs Previous",
                "Last Year: Revenue",
                "Trend vs Last Year",
                "Rank vs Last Year",
            ],
        )
        self.assertTrue(sheet["A1"].font.bold)
        self.assertEqual(sheet["A1"].fill.fgColor.rgb, "FF714B67")
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertEqual(sheet.auto_filter.ref, "A1:K4")
        rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
        # previous period 01-04 - 01-05 (o1: Anvil 100, Bolt 30); nothing last year
        self.assertEqual(
            rows,
            [
                [1, "Bolt", 120.0, 4.0, 80.0, 30.0, 3.0, 1, 0.0, None, "new"],
                [2, "Anvil", 100.0, 1.0, 60.0, 100.0, 0.0, -1, 0.0, None, "new"],
                [3, "Crate", 100.0, 3.0, 40.0, 0.0, None, "new", 0.0, None, "new"],
            ],
        )
        self.assertEqual(sheet["H2"].number_format, '"up "0;"down "0;"="')
        self.assertEqual(sheet["C2"].number_format, "#,##0.00")
        self.assertEqual(sheet["G2"].number_format, "+0.0%;-0.0%;0.0%")
        customers = book["Top customers"]
        self.assertEqual(customers["B2"].value, "Gamma")
        self.assertEqual(customers["D2"].value, 2)
        self.assertEqual(customers["D2"].number_format, "#,##0")
        # orders are not compared (UNCOMPARABLE): their comparison columns stay empty
        orders = book["Top orders"]
        self.assertEqual([cell.value for cell in orders[2]][-6:], [None] * 6)
