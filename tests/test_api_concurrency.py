"""The mobile API served by two real Odoo servers at once, on the test database.

The data is committed for the test (the servers cannot see a test transaction) and removed
afterwards, as in test_concurrency.py. Each server is a separate ``odoo-bin`` process (the
threaded server: one thread and one database connection per request), so the requests
below really run at the same time, in separate transactions, on two servers:

* identical order creations with one Idempotency-Key create exactly one order;
* 20 orders of 1 unit accepted at once with 10 units on hand reserve exactly 10 units and
  leave no negative stock;
* the rate limit counts the requests of a key on both servers, and another key is served.
"""

import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid
from pathlib import Path

import requests

from odoo import SUPERUSER_ID, api, release, sql_db
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tests import get_db_name, tagged
from odoo.tools import SQL, config

ROOT = Path(__file__).resolve().parent.parent
ODOO_BIN = Path(release.__file__).resolve().parent.parent / "odoo-bin"
API = "/oms/api/v1"
TIMEOUT = 180  # seconds for one request: Odoo may retry it up to 5 times
ENDPOINT = "oms_mobile_api.fastapi_endpoint_oms_mobile_api"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@tagged("post_install", "-at_install")
class TestApiOnRealServers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dbname = get_db_name()
        cls.registry = Registry(cls.dbname)
        cls.marker = f"oms-api-concurrency-{uuid.uuid4().hex[:8]}"
        with cls._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            company = env.ref("base.main_company")
            env = env(context=dict(env.context, allowed_company_ids=company.ids))
            warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
            cls.location_id = warehouse.lot_stock_id.id
            user = env["res.users"].create(
                {
                    "name": "Concurrent mobile clerk",
                    "login": cls.marker,
                    "email": f"{cls.marker}@example.com",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "group_ids": [Command.set([env.ref("oms_extended.group_oms_user").id])],
                }
            )
            cls.user_id = user.id
            keys = env["res.users.apikeys"].with_user(user).sudo()
            cls.keys = [keys._generate(None, f"device {index}", None) for index in range(3)]
            cls.customer_id = env["res.partner"].create({"name": cls.marker}).id
            product = env["product.product"].create(
                {"name": f"{cls.marker} machine", "is_storable": True, "list_price": 100.0}
            )
            cls.product_id = product.id
            env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10.0)
            cls.service_id = (
                env["product.product"]
                .create({"name": f"{cls.marker} service", "type": "service", "list_price": 5.0})
                .id
            )
            cls.quotation_ids = (
                env["sale.order"]
                .with_user(user)
                .create(
                    [
                        {
                            "partner_id": cls.customer_id,
                            "order_line": [
                                Command.create({"product_id": product.id, "product_uom_qty": 1})
                            ],
                        }
                        for _index in range(20)
                    ]
                )
                .ids
            )
        cls.addClassCleanup(cls._remove_data)
        cls.servers = []
        cls.addClassCleanup(cls._stop_servers)
        for _index in range(2):
            cls.servers.append(cls._start_server())
        for process, url, log in cls.servers:
            cls._wait_ready(process, url, log)

    @classmethod
    def _stop_servers(cls):
        for process, _url, _log in cls.servers:
            process.terminate()
        for process, _url, log in cls.servers:
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
            log.close()

    @classmethod
    def _remove_data(cls):
        with cls._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            orders = env["sale.order"].search([("partner_id", "=", cls.customer_id)])
            orders.picking_ids.action_cancel()
            orders._action_cancel()
            pickings = orders.picking_ids
            orders.unlink()
            moves = env["stock.move"].search(
                [("product_id", "in", [cls.product_id, cls.service_id])]
            )
            moves.move_line_ids.unlink()
            moves.write({"state": "draft"})
            moves.unlink()
            pickings.unlink()
            env["stock.quant"].search([("product_id", "=", cls.product_id)]).sudo().unlink()
            env["product.product"].browse([cls.product_id, cls.service_id]).product_tmpl_id.unlink()
            cr.execute(SQL("DELETE FROM oms_api_idempotency WHERE user_id = %s", cls.user_id))
            cr.execute(
                SQL("DELETE FROM oms_api_rate_limit WHERE bucket LIKE %s", f"{cls.user_id}:%")
            )
            cr.execute(SQL("DELETE FROM res_users_apikeys WHERE user_id = %s", cls.user_id))
            user = env["res.users"].browse(cls.user_id)
            partner = user.partner_id
            user.unlink()
            (partner | env["res.partner"].browse(cls.customer_id)).unlink()

    @classmethod
    def _cursor(cls):
        """A cursor on a connection of its own, committed at the end of the block."""
        return sql_db.db_connect(cls.dbname).cursor()

    @classmethod
    def _start_server(cls):
        port = free_port()
        log = tempfile.NamedTemporaryFile("w+", prefix="oms-api-server-", suffix=".log")
        process = subprocess.Popen(
            [
                sys.executable,
                str(ODOO_BIN),
                *cls._config_options(),
                "-d",
                cls.dbname,
                f"--db-filter=^{cls.dbname}$",
                "--http-interface=127.0.0.1",
                f"--http-port={port}",
                "--workers=0",
                "--max-cron-threads=0",
                "--db_maxconn=32",
                "--log-level=warn",
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        return process, f"http://127.0.0.1:{port}{API}", log

    @staticmethod
    def _config_options():
        """The test run's own configuration: addons, data directory and database server."""
        options = [
            f"--addons-path={','.join(config['addons_path'])}",
            f"--data-dir={config['data_dir']}",
        ]
        for option in ("db_host", "db_port", "db_user", "db_password"):
            if config.get(option):
                options.append(f"--{option}={config[option]}")
        return options

    @classmethod
    def _wait_ready(cls, process, url, log):
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"the Odoo server stopped:\n{log.read()[-3000:]}")
            try:
                # The first request loads the registry: it may take a while.
                if requests.get(f"{url}/version", timeout=120).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError("the Odoo server did not start in time")

    def _call(self, index, method, path, key=None, **kwargs):
        """A request to server ``index % 2``."""
        url = self.servers[index % 2][1]
        headers = {"Authorization": f"Bearer {key or self.keys[0]}", **kwargs.pop("headers", {})}
        return requests.request(method, url + path, headers=headers, timeout=TIMEOUT, **kwargs)

    def _at_once(self, count, request):
        """``request(index)`` in ``count`` threads released together; their responses."""
        barrier = threading.Barrier(count)
        responses = [None] * count

        def run(index):
            barrier.wait(30)
            responses[index] = request(index)

        threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT * 2)
            self.assertFalse(thread.is_alive(), "a request never finished")
        return responses

    def test_concurrent_identical_requests_create_one_order(self):
        key = str(uuid.uuid4())
        body = {
            "customer_id": self.customer_id,
            "client_order_ref": f"{self.marker}-idempotency",
            "lines": [
                {"product_id": self.service_id, "quantity": 1 + index} for index in range(40)
            ],
        }
        responses = self._at_once(
            10,
            lambda index: self._call(
                index, "POST", "/orders", json=body, headers={"Idempotency-Key": key}
            ),
        )
        statuses = [response.status_code for response in responses]
        self.assertLessEqual(set(statuses), {201, 409}, [r.text for r in responses])
        created = [response for response in responses if response.status_code == 201]
        self.assertTrue(created)
        self.assertEqual({response.content for response in created}, {created[0].content})
        for response in responses:
            if response.status_code == 409:
                self.assertEqual(response.json()["error"]["code"], "idempotency_key_in_use")
        # A retry later, on either server: the first response.
        for index in range(2):
            again = self._call(
                index, "POST", "/orders", json=body, headers={"Idempotency-Key": key}
            )
            self.assertEqual(again.status_code, 201)
            self.assertEqual(again.content, created[0].content)
            self.assertEqual(again.headers["Idempotent-Replayed"], "true")
        with self._cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT count(*) FROM sale_order WHERE client_order_ref = %s",
                    f"{self.marker}-idempotency",
                )
            )
            self.assertEqual(cr.fetchone()[0], 1, "exactly one order")

    def test_concurrent_accepts_never_oversell(self):
        def accept(index):
            for _attempt in range(10):
                response = self._call(index, "POST", f"/orders/{self.quotation_ids[index]}/confirm")
                if response.status_code != 409:  # another request got there first: again
                    return response
                time.sleep(float(response.headers.get("Retry-After", 1)))
            return response

        responses = self._at_once(20, accept)
        self.assertEqual(
            [r.status_code for r in responses], [200] * 20, [r.text for r in responses]
        )
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["sale.order"].browse(self.quotation_ids)
            self.assertEqual(set(orders.mapped("state")), {"sale"})
            quants = env["stock.quant"].search([("product_id", "=", self.product_id)])
            self.assertFalse(quants.filtered(lambda quant: quant.quantity < 0), "negative stock")
            self.assertEqual(sum(quants.mapped("quantity")), 10.0)
            self.assertEqual(sum(quants.mapped("reserved_quantity")), 10.0)
            moves = orders.picking_ids.move_ids
            self.assertEqual(sum(moves.mapped("quantity")), 10.0, "never more than on hand")
            self.assertEqual(
                sorted(orders.picking_ids.mapped("state")), ["assigned"] * 10 + ["confirmed"] * 10
            )

    def test_rate_limit_holds_across_servers(self):
        previous = self._set_rate_limit(5)
        try:
            if time.gmtime().tm_sec > 45:  # the five requests in one minute
                time.sleep(61 - time.gmtime().tm_sec)
            key, other_key = self.keys[1], self.keys[2]
            served = [self._call(index, "GET", "/me", key=key) for index in range(3)]
            served += [self._call(index, "GET", "/orders/999999999", key=key) for index in range(2)]
            self.assertEqual([r.status_code for r in served], [200, 200, 200, 404, 404])
            for index in range(2):
                refused = self._call(index, "GET", "/me", key=key)
                self.assertEqual(refused.status_code, 429, refused.text)
                self.assertEqual(refused.json()["error"]["code"], "rate_limited")
                self.assertTrue(1 <= int(refused.headers["Retry-After"]) <= 60)
                self.assertEqual(self._call(index, "GET", "/me", key=other_key).status_code, 200)
        finally:
            self._set_rate_limit(previous)

    def _set_rate_limit(self, limit):
        """Change the setting as an administrator does (the servers rebuild the app at
        their next request: cache invalidation signaled through the database); return the
        previous one."""
        with self._cursor() as cr:
            endpoint = api.Environment(cr, SUPERUSER_ID, {}).ref(ENDPOINT)
            previous = endpoint.oms_rate_limit
            endpoint.oms_rate_limit = limit
            cr.commit()
            self.registry.signal_changes()
        for index in range(2):
            self._call(index, "GET", "/version")
        return previous
