from odoo.addons.fastapi.pools import fastapi_app_pool
from odoo.tests import new_test_user
from odoo.tools import SQL

from .common import OmsApiCase


class TestRateLimit(OmsApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.endpoint = cls.env.ref("oms_mobile_api.fastapi_endpoint_oms_mobile_api")
        cls.endpoint.oms_rate_limit = 3
        # Writing the setting resets the endpoint's apps at commit (through Odoo's cache
        # signaling); tests never commit: reset them now.
        fastapi_app_pool.invalidate(cls.env)
        colleague = new_test_user(
            cls.env, login="oms_api_colleague", groups="oms_extended.group_oms_user"
        )
        cls.other_key = cls._api_key(colleague)
        cls.second_key = cls._api_key(cls.clerk)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        # The apps built with the test's limit: rebuilt for the next tests.
        fastapi_app_pool.invalidate(cls.env)

    def test_one_key_over_its_limit(self):
        for _request in range(3):
            self.assertEqual(self.api("GET", "/me").status_code, 200)
        response = self.api("GET", "/me")
        error = self.assertError(response, 429, "rate_limited")
        retry_after = int(response.headers["Retry-After"])
        self.assertTrue(1 <= retry_after <= 60)
        self.assertEqual(error["details"], {"limit": 3, "retry_after": retry_after})
        # Other keys, of another user or of the same user, keep being served.
        self.assertEqual(self.api("GET", "/me", key=self.other_key).status_code, 200)
        self.assertEqual(self.api("GET", "/me", key=self.second_key).status_code, 200)
        # The counters are rows in PostgreSQL, shared by every worker and server (in
        # tests, counted in the test's transaction: a refused request's count is rolled
        # back with it; tests/test_api_concurrency.py counts on real servers).
        self.env.cr.execute(
            SQL(
                "SELECT hits FROM oms_api_rate_limit WHERE bucket = %s",
                f"{self.clerk.id}:{self.key[:8]}",
            )
        )
        self.assertEqual(self.env.cr.fetchone()[0], 3)
        # Next minute: served again.
        self.env.cr.execute(
            "UPDATE oms_api_rate_limit SET window_start = window_start - interval '1 minute'"
        )
        self.assertEqual(self.api("GET", "/me").status_code, 200)

    def test_unauthenticated_routes_are_not_limited(self):
        for _request in range(5):
            self.assertEqual(self.url_open("/oms/api/v1/version").status_code, 200)

    def test_no_limit(self):
        self.endpoint.oms_rate_limit = 0
        fastapi_app_pool.invalidate(self.env)
        self.addCleanup(fastapi_app_pool.invalidate, self.env)  # the test's limit is undone
        for _request in range(5):
            self.assertEqual(self.api("GET", "/me").status_code, 200)
