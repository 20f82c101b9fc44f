"""The mobile API behind a load balancer: two Odoo servers with two workers each (prefork,
four processes, no memory shared between them) on one database.

Everything the API keeps between requests lives in PostgreSQL (``oms.api.rate.limit``,
``oms.api.idempotency``, the API keys; Odoo's caches are invalidated across processes through
the database's signaling sequences), so that, whichever process serves a request:

* the per-key rate limit counts the requests of a key on every worker of both servers;
* an Idempotency-Key replays the first response on every worker, and identical requests at
  once on both servers create exactly one order;
* sign-in throttling (per client address, per login) holds across both servers.

The data is committed for the test (the servers cannot see a test transaction) and removed
afterwards, as in test_api_concurrency.py.
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
TIMEOUT = 180
ENDPOINT = "oms_mobile_api.fastapi_endpoint_oms_mobile_api"
PER_LOGIN_PARAM = "oms_mobile_api.sign_in_limit_per_login"
PER_ADDRESS_PARAM = "oms_mobile_api.sign_in_limit_per_address"
SERVERS = 2
WORKERS = 2


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cursor(dbname):
    """A cursor on a connection of its own, committed at the end of the block."""
    return sql_db.db_connect(dbname).cursor()


def config_options():
    """The test run's own configuration: addons, data directory and database server."""
    options = [
        f"--addons-path={','.join(config['addons_path'])}",
        f"--data-dir={config['data_dir']}",
    ]
    for option in ("db_host", "db_port", "db_user", "db_password"):
        if config.get(option):
            options.append(f"--{option}={config[option]}")
    return options


def start_server(dbname, workers=WORKERS, extra=()):
    """An ``odoo-bin`` with ``workers`` HTTP workers on a free port: (process, base URL, log)."""
    port = free_port()
    log = tempfile.NamedTemporaryFile("w+", prefix="oms-multi-server-", suffix=".log")
    process = subprocess.Popen(
        [
            sys.executable,
            str(ODOO_BIN),
            *config_options(),
            "-d",
            dbname,
            f"--db-filter=^{dbname}$",
            "--http-interface=127.0.0.1",
            f"--http-port={port}",
            f"--gevent-port={free_port()}",
            f"--workers={workers}",
            "--max-cron-threads=0",
            "--limit-time-real=600",
            "--limit-time-cpu=600",
            "--limit-memory-soft=4294967296",
            "--limit-memory-hard=5368709120",
            "--db_maxconn=16",
            "--log-level=warn",
            *extra,
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, f"http://127.0.0.1:{port}", log


def wait_ready(process, url, log, path=f"{API}/version"):
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the Odoo server stopped:\n{log.read()[-3000:]}")
        try:
            if requests.get(url + path, timeout=120).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError("the Odoo server did not start in time")


def stop_server(process, log, timeout=60):
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)
    log.close()


@tagged("post_install", "-at_install")
class TestApiOnManyServers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dbname = get_db_name()
        cls.registry = Registry(cls.dbname)
        cls.marker = f"oms-multi-{uuid.uuid4().hex[:8]}"
        cls.password = f"pw-{uuid.uuid4().hex}"
        with cursor(cls.dbname) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            company = env.ref("base.main_company")
            user = env["res.users"].create(
                {
                    "name": "Clerk of many servers",
                    "login": cls.marker,
                    "password": cls.password,
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
            cls.service_id = (
                env["product.product"]
                .create({"name": f"{cls.marker} service", "type": "service", "list_price": 5.0})
                .id
            )
        cls.addClassCleanup(cls._remove_data)
        cls.servers = []
        cls.addClassCleanup(cls._stop_servers)
        for _index in range(SERVERS):
            cls.servers.append(start_server(cls.dbname))
        for process, url, log in cls.servers:
            wait_ready(process, url, log)
        # Every worker of every server has loaded the registry and built the app.
        for index in range(SERVERS * WORKERS * 2):
            cls._get(index, "/version")

    @classmethod
    def _stop_servers(cls):
        for process, _url, log in cls.servers:
            stop_server(process, log)

    @classmethod
    def _remove_data(cls):
        with cursor(cls.dbname) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            orders = env["sale.order"].search([("partner_id", "=", cls.customer_id)])
            orders._action_cancel()
            orders.unlink()
            env["product.product"].browse(cls.service_id).product_tmpl_id.unlink()
            cr.execute(SQL("DELETE FROM oms_api_idempotency WHERE user_id = %s", cls.user_id))
            cr.execute(
                SQL(
                    "DELETE FROM oms_api_rate_limit WHERE bucket LIKE %s OR bucket LIKE 'login%%'",
                    f"{cls.user_id}:%",
                )
            )
            cr.execute(SQL("DELETE FROM res_users_apikeys WHERE user_id = %s", cls.user_id))
            user = env["res.users"].browse(cls.user_id)
            partner = user.partner_id
            user.unlink()
            (partner | env["res.partner"].browse(cls.customer_id)).unlink()

    @classmethod
    def _get(cls, index, path, key=None):
        url = cls.servers[index % SERVERS][1] + API
        headers = {"Authorization": f"Bearer {key or cls.keys[0]}"}
        return requests.get(url + path, headers=headers, timeout=TIMEOUT)

    def _call(self, index, method, path, key=None, **kwargs):
        """A request to server ``index % SERVERS`` (a worker of its choice)."""
        url = self.servers[index % SERVERS][1] + API
        headers = {"Authorization": f"Bearer {key or self.keys[0]}", **kwargs.pop("headers", {})}
        return requests.request(method, url + path, headers=headers, timeout=TIMEOUT, **kwargs)

    def _at_once(self, count, request):
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

    def _set_params(self, values):
        """System parameters as an administrator sets them; the previous values."""
        with cursor(self.dbname) as cr:
            params = api.Environment(cr, SUPERUSER_ID, {})["ir.config_parameter"]
            previous = {name: params.get_param(name) for name in values}
            for name, value in values.items():
                params.set_param(name, value)
        self.registry.signal_changes()
        return previous

    def _set_rate_limit(self, limit):
        with cursor(self.dbname) as cr:
            endpoint = api.Environment(cr, SUPERUSER_ID, {}).ref(ENDPOINT)
            previous = endpoint.oms_rate_limit
            endpoint.oms_rate_limit = limit
            cr.commit()
            self.registry.signal_changes()
        # every worker rebuilds the app at its next request
        for index in range(SERVERS * WORKERS * 2):
            self._call(index, "GET", "/version")
        return previous

    @staticmethod
    def _wait_for_a_fresh_minute(needed=15):
        if time.gmtime().tm_sec > 60 - needed:
            time.sleep(61 - time.gmtime().tm_sec)

    def test_rate_limit_holds_across_servers_and_workers(self):
        previous = self._set_rate_limit(8)
        try:
            self._wait_for_a_fresh_minute()
            key, other_key = self.keys[1], self.keys[2]
            # 8 requests at once, spread over both servers (and so their workers)
            served = self._at_once(8, lambda index: self._call(index, "GET", "/me", key=key))
            self.assertEqual([r.status_code for r in served], [200] * 8, [r.text for r in served])
            for index in range(SERVERS * WORKERS):
                refused = self._call(index, "GET", "/me", key=key)
                self.assertEqual(refused.status_code, 429, refused.text)
                self.assertEqual(refused.json()["error"]["code"], "rate_limited")
                self.assertTrue(1 <= int(refused.headers["Retry-After"]) <= 60)
            self.assertEqual(self._call(0, "GET", "/me", key=other_key).status_code, 200)
            self.assertEqual(self._call(1, "GET", "/me", key=other_key).status_code, 200)
        finally:
            self._set_rate_limit(previous)

    def test_idempotency_holds_across_servers_and_workers(self):
        key = str(uuid.uuid4())
        body = {
            "customer_id": self.customer_id,
            "client_order_ref": f"{self.marker}-idempotency",
            "lines": [
                {"product_id": self.service_id, "quantity": 1 + index} for index in range(20)
            ],
        }
        headers = {"Idempotency-Key": key}
        responses = self._at_once(
            8, lambda index: self._call(index, "POST", "/orders", json=body, headers=headers)
        )
        statuses = [response.status_code for response in responses]
        self.assertLessEqual(set(statuses), {201, 409}, [r.text for r in responses])
        created = [response for response in responses if response.status_code == 201]
        self.assertTrue(created)
        self.assertEqual({response.content for response in created}, {created[0].content})
        # Later, on every worker of both servers: the first response, replayed.
        for index in range(SERVERS * WORKERS * 2):
            again = self._call(index, "POST", "/orders", json=body, headers=headers)
            self.assertEqual(again.status_code, 201, again.text)
            self.assertEqual(again.content, created[0].content)
            self.assertEqual(again.headers["Idempotent-Replayed"], "true")
        # The same key with another body is refused, wherever it lands.
        other = dict(body, client_order_ref=f"{self.marker}-other")
        for index in range(SERVERS):
            refused = self._call(index, "POST", "/orders", json=other, headers=headers)
            self.assertEqual(refused.status_code, 422, refused.text)
            self.assertEqual(refused.json()["error"]["code"], "idempotency_key_reused")
        with cursor(self.dbname) as cr:
            cr.execute(
                SQL(
                    "SELECT count(*) FROM sale_order WHERE client_order_ref LIKE %s",
                    f"{self.marker}-%",
                )
            )
            self.assertEqual(cr.fetchone()[0], 1, "exactly one order")

    def _sign_in(self, index, login, password):
        url = self.servers[index % SERVERS][1] + API
        return requests.post(
            f"{url}/auth/token",
            json={"login": login, "password": password, "device": f"{self.marker} phone"},
            timeout=TIMEOUT,
        )

    def test_sign_in_throttling_holds_across_servers(self):
        previous = self._set_params({PER_LOGIN_PARAM: "4", PER_ADDRESS_PARAM: "7"})
        try:
            self._wait_for_a_fresh_minute(needed=25)
            # Per login: 4 attempts an hour from anywhere; wrong passwords on both servers...
            tried = [self._sign_in(index, self.marker, "wrong") for index in range(3)]
            self.assertEqual([r.status_code for r in tried], [401] * 3, [r.text for r in tried])
            # ... and the right one is the 4th: still served.
            right = self._sign_in(3, self.marker, self.password)
            self.assertEqual(right.status_code, 201, right.text)
            for index in range(SERVERS):
                refused = self._sign_in(index, self.marker, self.password)
                self.assertEqual(refused.status_code, 429, refused.text)
                self.assertEqual(refused.json()["error"]["code"], "rate_limited")
            # Per address: 7 attempts a minute, whatever the login: this minute counts the 6
            # above; one more other login, then refused on both servers.
            other = self._sign_in(0, f"{self.marker}-nobody", "wrong")
            self.assertEqual(other.status_code, 401, other.text)
            for index in range(SERVERS):
                refused = self._sign_in(index, f"{self.marker}-nobody-{index}", "wrong")
                self.assertEqual(refused.status_code, 429, refused.text)
                self.assertIn("address", refused.json()["error"]["message"])
        finally:
            self._set_params({name: value or "" for name, value in previous.items()})
