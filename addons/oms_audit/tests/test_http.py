"""The reads logged through the web client's, the file and the portal's real routes."""

import json

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import OmsAuditCommon


@tagged("post_install", "-at_install")
class TestHttp(HttpCase, OmsAuditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # read-only routes on a read-only cursor, as on a server with a replica: the entry
        # is written by a transaction of its own (test_read_logging.py reads on the
        # read/write cursor, as on a server without one)
        cls.order = cls._order([(cls.product, 1)])

    def _web_read(self):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw/sale.order/web_read",
            {
                "model": "sale.order",
                "method": "web_read",
                "args": [self.order.ids],
                "kwargs": {"specification": {"name": {}, "partner_id": {"fields": {}}}},
            },
        )

    def test_opening_a_record_is_logged_once_per_user_and_minute(self):
        self.authenticate(self.oms_user.login, self.oms_user.login)
        self.assertEqual(self._web_read()[0]["name"], self.order.name)
        self._web_read()
        self._web_read()
        views = self._entries(self.order, "view")
        self.assertEqual(len(views), 1)
        self.assertEqual(views.user_id, self.oms_user)
        self.assertEqual(views.channel, "web")
        self.assertEqual(views.ip_address, "127.0.0.1")
        self.assertEqual(views.res_name, self.order.name)

        # a list of orders (web_search_read) is not a view of each
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/sale.order/web_search_read",
            {
                "model": "sale.order",
                "method": "web_search_read",
                "args": [],
                "kwargs": {"domain": [("id", "=", self.order.id)], "specification": {"name": {}}},
            },
        )
        self.assertEqual(len(self._entries(self.order, "view")), 1)

        self.authenticate(self.oms_manager.login, self.oms_manager.login)
        self._web_read()
        self.assertEqual(
            self._entries(self.order, "view").user_id, self.oms_user | self.oms_manager
        )

    def test_outside_oms_groups(self):
        self.authenticate(self.salesperson.login, self.salesperson.login)
        self.order.user_id = self.salesperson
        self._web_read()
        self.assertEqual(self._entries(self.order, "view").user_id, self.salesperson)

    def test_view_through_the_json_2_api(self):
        # sudo: an API key of the user, as an administrator gives one to a device
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.oms_user)
            .sudo()
            ._generate(None, "Audit test", None)
        )
        response = self.url_open(
            "/json/2/sale.order/web_read",
            json={"ids": self.order.ids, "specification": {"name": {}}},
            headers={"Authorization": f"Bearer {key}"},
        )
        self.assertEqual(response.status_code, 200, response.text)
        view = self._entries(self.order, "view")
        self.assertEqual((view.channel, view.user_id), ("api", self.oms_user))

    def test_download_an_attachment_of_an_order(self):
        attachment = self.env["ir.attachment"].create(
            {
                "name": "terms.pdf",
                "raw": b"%PDF-1.4 terms",
                "mimetype": "application/pdf",
                "res_model": "sale.order",
                "res_id": self.order.id,
            }
        )
        self.authenticate(self.oms_user.login, self.oms_user.login)
        response = self.url_open(f"/web/content/{attachment.id}?download=true")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"%PDF-1.4 terms")
        download = self._entries(self.order, "download")
        self.assertEqual(len(download), 1)
        self.assertEqual(download.details, "Attachment: terms.pdf")
        self.assertEqual(download.user_id, self.oms_user)
        # a file the user may not have is not logged
        self.authenticate(self.employee.login, self.employee.login)
        response = self.url_open(f"/web/content/{attachment.id}?download=true")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(len(self._entries(self.order, "download")), 1)

    def test_export(self):
        self.authenticate("admin", "admin")
        response = self.url_open(
            "/web/export/csv",
            data={
                "data": json.dumps(
                    {
                        "model": "sale.order",
                        "fields": [{"name": "name", "label": "Order Reference"}],
                        "ids": self.order.ids,
                        "domain": [],
                        "import_compat": False,
                    }
                ),
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order.name, response.text)
        export = self._entries(self.order, "export")
        self.assertEqual(export.details, "Fields: name")
        self.assertEqual(export.user_id.login, "admin")

    def test_portal_view_by_the_customer(self):
        self.order._portal_ensure_token()
        response = self.url_open(
            f"/my/orders/{self.order.id}?access_token={self.order.access_token}"
        )
        self.assertEqual(response.status_code, 200)
        view = self._entries(self.order, "portal_view")
        self.assertEqual(len(view), 1)
        self.assertEqual(view.channel, "portal")
        self.assertTrue(view.user_id._is_public())
        # the PDF from the portal is a print
        response = self.url_open(
            f"/my/orders/{self.order.id}?access_token={self.order.access_token}"
            "&report_type=pdf&download=true"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self._entries(self.order, "print")), 1)
        self.assertEqual(len(self._entries(self.order, "portal_view")), 1)
