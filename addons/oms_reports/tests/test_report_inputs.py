"""Bounded inputs of the report calls (issue 19, item 7): the periods, the numbers of
rows and the filters the dashboard, the comparisons and the scheduled e-mails accept, as
the users who call them (OMS user, plain salesperson, staff without sales rights)."""

from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.sql_db import Cursor
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import OmsReportsCommon

PERIOD = (("date", ">=", "2026-01-06 00:00:00"), ("date", "<", "2026-01-08 00:00:00"))


@contextmanager
def captured_queries():
    """The SQL the cursor runs meanwhile (text of each query)."""
    queries = []
    execute = Cursor.execute

    def logging_execute(cr, query, params=None, log_exceptions=True):
        queries.append(query.code if isinstance(query, SQL) else str(query))
        return execute(cr, query, params, log_exceptions)

    with patch.object(Cursor, "execute", logging_execute):
        yield queries


@tagged("post_install", "-at_install")
class TestReportInputs(OmsReportsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.filters = {"period": "custom", "date_from": "2026-01-06", "date_to": "2026-01-07"}
        # staff who may not read the sales reports in the web client
        cls.storekeeper = new_test_user(
            cls.env, login="oms_report_storekeeper", groups="stock.group_stock_user"
        )

    def dashboard(self, user, **filters):
        Dashboard = self.env["oms.report.dashboard"].with_user(user)
        return Dashboard.get_dashboard_data({**self.filters, **filters})

    def compare(self, user, domain=None, **options):
        Ranking = self.env["oms.report.ranking"].with_user(user)
        domain = list(PERIOD) if domain is None else domain
        return Ranking.get_list_comparison("oms.report.order", domain, options)

    # ------------------------------------------------------------------ dashboard

    def test_dashboard_period_at_most_two_years(self):
        for user in (self.oms_user, self.salesman):
            with self.subTest(user=user.login):
                data = self.dashboard(user, date_from="2024-01-08", date_to="2026-01-07")
                self.assertEqual(data["filters"]["date_from"], "2024-01-08")  # 731 days
                self.assertEqual(len(data["revenue_chart"]["labels"]), 731)
                with self.assertRaisesRegex(UserError, "at most 731 days"):
                    self.dashboard(user, date_from="2024-01-07", date_to="2026-01-07")
                with self.assertRaisesRegex(UserError, "at most 731 days"):
                    self.dashboard(user, date_from="1900-01-01", date_to="9998-12-31")

    def test_dashboard_bad_values_give_a_message(self):
        """Values a client may send that are not what the screen sends: a message that
        says what to change, never a server error."""
        for filters, message in (
            ({"date_from": 20260106}, "YYYY-MM-DD"),
            ({"date_from": ["2026-01-06"]}, "YYYY-MM-DD"),
            ({"date_from": "0001-01-01", "date_to": "0001-01-02"}, "between 1900-01-01"),
            ({"date_from": None}, "first and the last day"),
            ({"row_limit": "ten"}, "must be a number"),
            ({"row_limit": 2.5}, "must be a number"),
            ({"row_limit": 51}, "between 1 and 50"),
            ({"row_limit": -1}, "between 1 and 50"),
            ({"period": ["last_7"]}, "Unknown period"),
            ({"warehouse_ids": "1,2"}, "list of ids"),
            ({"team_ids": list(range(1, 1000))}, "at most 200"),
        ):
            with self.subTest(filters=filters), self.assertRaisesRegex(ValidationError, message):
                self.dashboard(self.oms_user, **filters)
        with self.assertRaisesRegex(UserError, "dictionary"):
            self.env["oms.report.dashboard"].with_user(self.oms_user).get_dashboard_data("last_7")
        # ids out of range are left out (as records that no longer exist)
        data = self.dashboard(self.oms_user, country_ids=[2**40, "x", -3])
        self.assertEqual(data["filters"]["country_ids"], [])

    def test_dashboard_saved_filters_outside_the_bounds(self):
        """Filters remembered before the bounds open the dashboard on the defaults."""
        self.salesman.oms_dashboard_filters = {
            "period": "custom",
            "date_from": "2015-01-01",
            "date_to": "2026-01-07",
            "row_limit": 1000,
        }
        Dashboard = self.env["oms.report.dashboard"].with_user(self.salesman)
        data = Dashboard.get_dashboard_data()
        self.assertEqual((data["filters"]["period"], data["filters"]["row_limit"]), ("last_30", 10))

    def test_click_through_and_export_are_checked(self):
        Dashboard = self.env["oms.report.dashboard"].with_user(self.oms_user)
        customers = self.env.ref("oms_reports.ranking_customers")
        too_long = {**self.filters, "date_from": "2020-01-01"}
        with self.assertRaisesRegex(UserError, "at most 731 days"):
            Dashboard.action_open_rows(too_long, customers.id, self.beta.id)
        with self.assertRaisesRegex(UserError, "at most 731 days"):
            Dashboard.action_export_filters(too_long)
        with self.assertRaisesRegex(UserError, "no longer exists"):
            Dashboard.action_open_rows(self.filters, "customers")
        dates = self.env.ref("oms_reports.ranking_dates")
        with self.assertRaisesRegex(UserError, "YYYY-MM-DD"):
            Dashboard.action_open_rows(self.filters, dates.id, "yesterday")

    def test_dashboard_records_and_schedules_have_the_same_bounds(self):
        """The XLSX workbook and the scheduled e-mails render a dashboard record."""
        Dashboard = self.env["oms.report.dashboard"].with_user(self.oms_user)
        with self.assertRaisesRegex(ValidationError, "at most 731 days"):
            Dashboard.create({"date_from": date(2020, 1, 1), "date_to": date(2026, 1, 7)})
        with self.assertRaisesRegex(ValidationError, "between 1 and 500"):
            Dashboard.create(
                {"date_from": date(2026, 1, 1), "date_to": date(2026, 1, 7), "row_limit": 5000}
            )
        Schedule = self.env["oms.report.schedule"].with_user(self.oms_manager)
        values = {"name": "Weekly", "user_ids": [(6, 0, self.oms_user.ids)]}
        with self.assertRaisesRegex(ValidationError, "at most 731 days"):
            Schedule.create({**values, "period_days": 3650})
        with self.assertRaisesRegex(ValidationError, "between 1 and 500"):
            Schedule.create({**values, "row_limit": 501})
        self.assertTrue(Schedule.create({**values, "period_days": 731, "row_limit": 500}))

    # ------------------------------------------------------------------ comparisons

    def test_comparison_limit_and_period_are_checked(self):
        for user in (self.oms_user, self.salesman):
            with self.subTest(user=user.login):
                for limit, message in (
                    (0, "between 1 and 500"),
                    (-5, "between 1 and 500"),
                    (501, "between 1 and 500"),
                    ("all", "must be a number"),
                    ([10], "must be a number"),
                ):
                    with self.assertRaisesRegex(ValidationError, message):
                        self.compare(user, groupby=["partner_id"], limit=limit)
                long_period = [
                    ("date", ">=", "2020-01-01 00:00:00"),
                    ("date", "<", "2026-01-08 00:00:00"),
                ]
                with self.assertRaisesRegex(ValidationError, "at most 731 days"):
                    self.compare(user, long_period, groupby=["partner_id"])
                two_years = [
                    ("date", ">=", "2024-01-08 00:00:00"),
                    ("date", "<", "2026-01-08 00:00:00"),
                ]
                self.assertTrue(self.compare(user, two_years, groupby=["partner_id"])["rows"])
        with self.assertRaisesRegex(UserError, "dictionary"):
            self.env["oms.report.ranking"].with_user(self.oms_user).get_list_comparison(
                "oms.report.order", PERIOD, ["partner_id"]
            )

    def test_comparison_limit_is_in_the_query(self):
        """The top rows come from a LIMIT in SQL, and the total from a count: the
        groups are not all read to keep the first ones."""
        with captured_queries() as queries:
            data = self.compare(self.oms_user, groupby=["partner_id"], limit=1)
        self.assertEqual([row["label"] for row in data["rows"]], ["Gamma"])
        self.assertEqual(data["total"], 2)
        grouped = [q for q in queries if "GROUP BY" in q and "oms_report_order" in q]
        self.assertTrue(grouped)
        self.assertTrue(any("LIMIT" in query for query in grouped), grouped)
        self.assertTrue(any("COUNT(DISTINCT" in query for query in queries))
        # all the rows fit: no count
        with captured_queries() as queries:
            data = self.compare(self.oms_user, groupby=["partner_id"], limit=5)
        self.assertEqual((len(data["rows"]), data["total"]), (2, 2))
        self.assertFalse(any("COUNT(DISTINCT" in query for query in queries))

    def test_salesperson_counts_only_own_groups(self):
        data = self.compare(self.salesman, groupby=["partner_id"], limit=1)
        self.assertEqual(([row["label"] for row in data["rows"]], data["total"]), (["Beta"], 1))
        data = self.compare(self.salesman, [], groupby=["country_id"], limit=1)
        self.assertTrue(data["default_period"])

    def test_top_of_a_ranking_is_limited_in_sql(self):
        """The dashboard's rankings ask SQL for the rows they show."""
        ranking = self.env.ref("oms_reports.ranking_customers").with_user(self.oms_user)
        with captured_queries() as queries:
            rows = ranking._top(PERIOD, limit=1)
        self.assertEqual([row["label"] for row in rows], ["Gamma"])
        grouped = [q for q in queries if "GROUP BY" in q and "oms_report_order" in q]
        self.assertTrue(any("LIMIT" in q and "IS NOT NULL" in q for q in grouped), grouped)

    # ------------------------------------------------------------------ access

    def test_staff_without_sales_rights_get_the_access_error(self):
        """As in the web client: no sales report, no dashboard and no comparison."""
        Dashboard = self.env["oms.report.dashboard"].with_user(self.storekeeper)
        customers = self.env.ref("oms_reports.ranking_customers")
        with self.assertRaises(AccessError):
            Dashboard.get_dashboard_data(self.filters)
        with self.assertRaises(AccessError):
            Dashboard.get_dashboard_data({"row_limit": 10**6})  # access comes first
        with self.assertRaises(AccessError):
            Dashboard.action_open_rows(self.filters, customers.id, self.beta.id)
        with self.assertRaises(AccessError):
            Dashboard.action_export_filters(self.filters)
        with self.assertRaises(AccessError):
            self.compare(self.storekeeper, groupby=["partner_id"], limit=10**6)
        with self.assertRaises(AccessError):
            Dashboard.save_dashboard_filters(self.filters)
        with self.assertRaises(AccessError):
            Dashboard._render_xlsx_filters(self.filters)
        with self.assertRaises(AccessError):
            self.env["oms.report.ranking"].with_user(self.storekeeper)._render_xlsx_list(
                {"model": "oms.report.order", "domain": []}
            )
        self.assertFalse(self.storekeeper.oms_dashboard_filters)
