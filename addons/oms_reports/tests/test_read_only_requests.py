import io
import json
from unittest.mock import patch
from urllib.parse import unquote

import openpyxl

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import OmsReportsCommon
from .test_sales_dashboard import export_data

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@tagged("post_install", "-at_install")
class TestReadOnlyRequests(HttpCase, OmsReportsCommon):
    """With a read replica (``db_replica_host``) Odoo serves read-only requests on the
    replica. The dashboard, the comparison of periods, the click-through and the XLSX
    exports only read: the web client's calls and the downloads are served on a
    read-only cursor (Odoo's test cursor refuses writes as a replica would), none is
    retried on the primary. Saving the dashboard's filters is a call of its own, on the
    primary."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.filters = {"period": "custom", "date_from": "2026-01-06", "date_to": "2026-01-07"}

    def setUp(self):
        super().setUp()
        self.authenticate(self.oms_user.login, self.oms_user.login)
        self.cursors = []
        Report = type(self.env["oms.report.order"])
        check_access = Report.check_access
        cursors = self.cursors

        def recording_check_access(records, operation):
            # every call below checks the sales report's access first
            cursors.append(records.env.cr.readonly)
            return check_access(records, operation)

        patcher = patch.object(Report, "check_access", recording_check_access)
        patcher.start()
        self.addCleanup(patcher.stop)

    def call(self, model, method, *args):
        self.cursors.clear()
        with self.assertNoLogs("odoo.http", "WARNING"):  # no "retrying with a read/write cursor"
            result = self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {"model": model, "method": method, "args": list(args), "kwargs": {}},
            )
        return result, set(self.cursors)

    def test_dashboard_is_read_only(self):
        data, cursors = self.call("oms.report.dashboard", "get_dashboard_data", self.filters)
        self.assertEqual(cursors, {True})
        block = next(block for block in data["rankings"] if block["key"] == "customers")
        self.assertEqual([row["label"] for row in block["rows"]], ["Gamma", "Beta"])
        self.assertFalse(self.oms_user.oms_dashboard_filters)

    def test_saving_the_filters_uses_the_primary(self):
        saved, cursors = self.call(
            "oms.report.dashboard", "save_dashboard_filters", {**self.filters, "row_limit": 3}
        )
        self.assertEqual(cursors, {False})
        self.assertEqual(self.oms_user.oms_dashboard_filters, saved)
        data, cursors = self.call("oms.report.dashboard", "get_dashboard_data", None)
        self.assertEqual((cursors, data["filters"]["row_limit"]), ({True}, 3))

    def test_comparison_and_click_through_are_read_only(self):
        rows, cursors = self.call(
            "oms.report.ranking",
            "get_list_comparison",
            "oms.report.order",
            [("date", ">=", "2026-01-06 00:00:00"), ("date", "<", "2026-01-08 00:00:00")],
            {"groupby": ["partner_id"]},
        )
        self.assertEqual(cursors, {True})
        self.assertEqual([row["label"] for row in rows["rows"]], ["Gamma", "Beta"])
        customers = self.env.ref("oms_reports.ranking_customers")
        action, cursors = self.call(
            "oms.report.dashboard", "action_open_rows", self.filters, customers.id, self.gamma.id
        )
        self.assertEqual((cursors, action["res_model"]), ({True}, "oms.report.order"))

    def download(self, action, post=False):
        """The download of an export, as the web client makes it (a POST with the CSRF
        token) or as a link (a GET)."""
        self.cursors.clear()
        with self.assertNoLogs("odoo.http", "WARNING"):
            if post:
                data = {
                    "data": json.dumps(export_data(action)),
                    "csrf_token": http.Request.csrf_token(self),
                }
                response = self.url_open(action["url"].split("?")[0], data=data)
            else:
                response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.assertEqual(response.headers["Content-Type"], XLSX)
        self.assertEqual(set(self.cursors), {True})
        return response

    def test_exports_are_read_only(self):
        action, cursors = self.call(
            "oms.report.dashboard", "action_export_filters", {**self.filters, "row_limit": 2}
        )
        self.assertEqual(cursors, {True})
        for post in (False, True):
            response = self.download(action, post=post)
            self.assertIn(
                "Sales Dashboard 2026-01-06 2026-01-07.xlsx",
                unquote(response.headers["Content-Disposition"]),
            )
            book = openpyxl.load_workbook(io.BytesIO(response.content))
            self.assertIn("Filters", book.sheetnames)
        action, cursors = self.call(
            "oms.report.ranking",
            "action_export_list",
            "oms.report.order",
            [("partner_id", "=", self.gamma.id)],
            {"columns": ["order_id", "partner_id", "net_amount"], "title": "Gamma's orders"},
        )
        self.assertEqual(cursors, {True})
        response = self.download(action, post=True)
        self.assertIn("Gamma's orders.xlsx", unquote(response.headers["Content-Disposition"]))
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        self.assertEqual({row[1].value for row in sheet.iter_rows(min_row=2)}, {"Gamma"})

    def test_export_input_is_checked_again(self):
        """A download URL made by hand gets the same checks as the button."""
        for kind, data in (
            ("list", {"model": "res.partner"}),
            ("list", []),
            ("dashboard", {"filters": {"date_from": "2020-01-01", "period": "custom"}}),
        ):
            with self.subTest(kind=kind, data=data):
                response = self.url_open(f"/oms_reports/export/{kind}?data={json.dumps(data)}")
                self.assertEqual(response.status_code, 422)
        self.assertEqual(self.url_open("/oms_reports/export/nope").status_code, 404)

    def test_export_needs_the_sales_report(self):
        """An employee without sales rights gets the web client's access error."""
        self.authenticate(self.employee.login, self.employee.login)
        for kind, data in (("dashboard", {}), ("list", {"model": "oms.report.order"})):
            response = self.url_open(f"/oms_reports/export/{kind}?data={json.dumps(data)}")
            self.assertEqual(response.status_code, 403, kind)
