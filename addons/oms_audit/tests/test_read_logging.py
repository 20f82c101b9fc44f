"""Reads of documents through the APIs (JSON-2, XML-RPC, JSON-RPC), the web client's
lists (a setting per model) and zips of attachments are logged: once per user, document and
minute, with one INSERT per request whatever the number of documents."""

import contextlib
from datetime import datetime
from unittest.mock import patch

from odoo import http
from odoo.fields import Command
from odoo.sql_db import Cursor
from odoo.tests import HttpCase, tagged

from .common import OmsAuditCommon


@contextlib.contextmanager
def log_inserts():
    """The INSERTs into the log issued meanwhile, by any thread (the server's too)."""
    inserts = []
    execute = Cursor.execute

    def spy(cr, query, params=None, log_exceptions=True):
        code = getattr(query, "code", query)
        if isinstance(code, str) and code.lstrip().startswith("INSERT INTO oms_document_log"):
            inserts.append(code)
        return execute(cr, query, params, log_exceptions)

    with patch.object(Cursor, "execute", spy):
        yield inserts


def minute():
    return datetime.now().replace(second=0, microsecond=0)


@tagged("post_install", "-at_install")
class TestReadLogging(HttpCase, OmsAuditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # read-only routes on the read/write cursor, as on a server without a replica
        cls.set_registry_readonly_mode(False)
        cls.orders = cls.env["sale.order"]
        for quantity in range(1, 6):
            cls.orders |= cls._order([(cls.product, quantity)], user_id=cls.salesperson.id)
        cls.config = cls.env.ref("oms_audit.oms_audit_model_sale_order")
        # the creations are logged now, not in a request of a test
        cls.env.flush_all()
        cls.env.cr.flush()

    def _views(self, records, user=None):
        entries = self._entries(records, "view")
        return entries.filtered(lambda entry: entry.user_id == user) if user else entries

    def _assert_once_a_minute(self, records, user, first_minute):
        """One entry per document, or two if the calls straddled a minute."""
        views = self._views(records, user)
        per_document = 1 if minute() == first_minute else 2
        self.assertEqual(set(views.mapped("res_id")), set(records.ids))
        self.assertLessEqual(len(views), per_document * len(records))

    def test_json_2_search_read_and_read_as_oms_user(self):
        # sudo: an API key of the user, as an administrator gives one to a device
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.oms_user)
            .sudo()
            ._generate(None, "Audit read test", None)
        )
        headers = {"Authorization": f"Bearer {key}"}
        first_minute = minute()
        with log_inserts() as inserts:
            response = self.url_open(
                "/json/2/sale.order/search_read",
                json={"domain": [("id", "in", self.orders.ids)], "fields": ["name"]},
                headers=headers,
            )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(len(response.json()), 5)
        self.assertEqual(len(inserts), 1)  # five documents, one statement
        views = self._views(self.orders)
        self.assertEqual(len(views), 5)
        self.assertEqual(set(views.mapped("channel")), {"api"})
        self.assertEqual(views.user_id, self.oms_user)
        self.assertEqual(views[0].details, "Read through search_read")

        with log_inserts() as inserts:
            response = self.url_open(
                "/json/2/sale.order/read",
                json={"ids": self.orders[:2].ids, "fields": ["name", "amount_total"]},
                headers=headers,
            )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(len(inserts), 1)
        self._assert_once_a_minute(self.orders, self.oms_user, first_minute)

    def test_xmlrpc_read_as_salesperson(self):
        uid = self.salesperson.id
        password = self.salesperson.login
        db = self.env.cr.dbname
        first_minute = minute()
        with log_inserts() as inserts:
            rows = self.xmlrpc_object.execute_kw(
                db, uid, password, "sale.order", "read", [self.orders.ids], {"fields": ["name"]}
            )
        self.assertEqual(len(rows), 5)
        self.assertEqual(len(inserts), 1)
        views = self._views(self.orders, self.salesperson)
        self.assertEqual(len(views), 5)
        self.assertEqual(views[0].details, "Read through read")
        self.assertEqual(set(views.mapped("channel")), {"api"})
        # again within the minute: nothing new
        self.xmlrpc_object.execute_kw(
            db,
            uid,
            password,
            "sale.order",
            "search_read",
            [[("id", "in", self.orders.ids)]],
            {"fields": ["name"]},
        )
        self._assert_once_a_minute(self.orders, self.salesperson, first_minute)

    def test_jsonrpc_search_read_of_invoices_as_billing_user(self):
        invoices = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_line_ids": [Command.create({"product_id": self.service.id})],
                }
                for _i in range(3)
            ]
        )
        self._commit_log()  # their creation, logged before the request
        with log_inserts() as inserts:
            response = self.url_open(
                "/jsonrpc",
                json={
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "service": "object",
                        "method": "execute_kw",
                        "args": [
                            self.env.cr.dbname,
                            self.billing_user.id,
                            self.billing_user.login,
                            "account.move",
                            "search_read",
                            [[("id", "in", invoices.ids)]],
                            {"fields": ["name", "amount_total"]},
                        ],
                    },
                },
            )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(len(response.json()["result"]), 3, response.text)
        self.assertEqual(len(inserts), 1)
        self.assertEqual(len(self._views(invoices, self.billing_user)), 3)

    def _storekeeper_reads(self, pickings):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.storekeeper.id,
            self.storekeeper.login,
            "stock.picking",
            "read",
            [pickings.ids],
            {"fields": ["name", "state"]},
        )

    def test_storekeeper_reads_deliveries(self):
        self.orders[:2].action_confirm()
        first, second = self.orders[0].picking_ids, self.orders[1].picking_ids
        self.assertEqual(len(self._storekeeper_reads(first)), 1)
        view = self._views(first)
        self.assertEqual((view.user_id, view.channel), (self.storekeeper, "api"))
        # a model audited without its reads: nothing logged
        self.env.ref("oms_audit.oms_audit_model_stock_picking").log_reads = False
        self.assertEqual(len(self._storekeeper_reads(second)), 1)
        self.assertFalse(self._views(second))

    def _web_search_read(self):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw/sale.order/web_search_read",
            {
                "model": "sale.order",
                "method": "web_search_read",
                "args": [],
                "kwargs": {
                    "domain": [("id", "in", self.orders.ids)],
                    "specification": {"name": {}, "partner_id": {"fields": {}}},
                },
            },
        )

    def test_list_views_are_a_setting_of_the_model(self):
        self.authenticate(self.oms_user.login, self.oms_user.login)
        self.assertFalse(self.config.log_list_reads)
        self._web_search_read()
        self.assertFalse(self._views(self.orders))

        self.config.log_list_reads = True
        with log_inserts() as inserts:
            self.assertEqual(self._web_search_read()["length"], 5)
        self.assertEqual(len(inserts), 1)
        views = self._views(self.orders, self.oms_user)
        self.assertEqual(len(views), 5)
        self.assertEqual(set(views.mapped("details")), {"In a list"})
        self.assertEqual(set(views.mapped("channel")), {"web"})

    def test_zip_of_attachments(self):
        order, other = self.orders[:2]
        attachments = self.env["ir.attachment"].create(
            [
                {"name": name, "raw": b"%PDF", "res_model": "sale.order", "res_id": res_id}
                for name, res_id in (
                    ("terms.pdf", order.id),
                    ("plan.pdf", order.id),
                    ("quote.pdf", other.id),
                )
            ]
        )
        self.authenticate(self.salesperson.login, self.salesperson.login)
        with log_inserts() as inserts:
            response = self.url_open(
                "/mail/attachment/zip",
                data={
                    "file_ids": ",".join(map(str, attachments.ids)),
                    "zip_name": "order.zip",
                    "csrf_token": http.Request.csrf_token(self),
                },
            )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(len(inserts), 1)
        download = self._entries(order, "download")
        self.assertEqual(download.user_id, self.salesperson)
        self.assertEqual(download.details, "Attachments in order.zip: terms.pdf, plan.pdf")
        other_download = self._entries(other, "download")
        self.assertEqual(other_download.details, "Attachments in order.zip: quote.pdf")
