import base64
from datetime import datetime, timedelta

from odoo.addons.fastapi.pools import fastapi_app_pool
from odoo.tests import new_test_user

from .common import API, OmsApiCase


class TestAuthToken(OmsApiCase):
    """Sign-in of the mobile app: login and password for a per-device API key."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo puts an address on cooldown after failed sign-ins: start and end clean.
        cls._forget_login_failures()
        cls.addClassCleanup(cls._forget_login_failures)

    @classmethod
    def _forget_login_failures(cls):
        getattr(cls.registry, "_login_failures", {}).clear()

    def sign_in(self, login="oms_api_clerk", password="oms_api_clerk", **extra):
        self.env.flush_all()
        response = self.url_open(
            f"{API}/auth/token",
            json={"login": login, "password": password, **extra},
            timeout=60,
        )
        self.env.invalidate_all()
        return response

    def test_good_login_gives_a_device_key(self):
        before = datetime.now()
        response = self.sign_in(device="Anna's phone", days=7)
        self.assertEqual(response.status_code, 201, response.text)
        self.assertNotIn("Set-Cookie", response.headers)
        token = response.json()
        self.assertEqual(token["token_type"], "Bearer")
        self.assertEqual(token["device"], "OMS app: Anna's phone")
        self.assertEqual(token["user"], {"id": self.clerk.id, "name": "Mobile Clerk"})
        # The key works as the clerk...
        me = self.api("GET", "/me", key=token["key"])
        self.assertEqual(me.status_code, 200, me.text)
        self.assertEqual(me.json()["id"], self.clerk.id)
        self.assertEqual(me.json()["currency"], self.company.currency_id.name)
        # ...is an Odoo API key of the clerk, named after the device, expiring in 7 days.
        apikey = self.env["res.users.apikeys"].search(
            [("user_id", "=", self.clerk.id), ("name", "=", "OMS app: Anna's phone")]
        )
        self.assertEqual(len(apikey), 1)
        self.assertFalse(apikey.scope)
        self.assertAlmostEqual(
            apikey.expiration_date, before + timedelta(days=7), delta=timedelta(minutes=1)
        )
        self.assertTrue(token["expires_at"].startswith(apikey.expiration_date.isoformat()))
        # Shown once: Odoo keeps only its hash.
        self.env.cr.execute("SELECT key FROM res_users_apikeys WHERE id = %s", [apikey.id])
        self.assertNotEqual(self.env.cr.fetchone()[0], token["key"])
        # Each sign-in is another device key.
        second = self.sign_in(device="Tablet").json()["key"]
        self.assertNotEqual(second, token["key"])
        self.assertEqual(self.api("GET", "/me", key=second).status_code, 200)

    def test_default_expiry_and_login_case(self):
        response = self.sign_in(login="  oms_api_clerk ")
        self.assertEqual(response.status_code, 201, response.text)
        expires_at = datetime.fromisoformat(response.json()["expires_at"]).replace(tzinfo=None)
        self.assertAlmostEqual(
            expires_at, datetime.now() + timedelta(days=30), delta=timedelta(minutes=1)
        )

    def test_bad_password_or_login(self):
        keys = self.env["res.users.apikeys"].search_count([])
        error = self.assertError(self.sign_in(password="wrong"), 401, "unauthorized")
        self.assertEqual(error["message"], "Wrong login or password.")
        self.assertError(self.sign_in(login="nobody"), 401, "unauthorized")
        self.assertEqual(self.env["res.users.apikeys"].search_count([]), keys)
        archived = new_test_user(self.env, login="oms_api_gone")
        archived.active = False
        self.assertError(self.sign_in("oms_api_gone", "oms_api_gone"), 401, "unauthorized")

    def test_bad_input(self):
        error = self.assertError(self.sign_in(password=""), 400, "invalid_request")
        self.assertEqual(error["details"]["fields"][0]["field"], "password")
        self.assertError(self.sign_in(days=1000), 400, "invalid_request")
        self.assertError(self.sign_in(extra=1), 400, "invalid_request")

    def test_two_factor_user_is_sent_to_preferences(self):
        user = new_test_user(self.env, login="oms_api_2fa", groups="oms_extended.group_oms_user")
        # What enabling TOTP stores (auth_totp): the secret.
        user.sudo().totp_secret = base64.b32encode(b"0123456789abcdefghij").decode()
        self.assertTrue(user.totp_enabled)
        response = self.sign_in("oms_api_2fa", "oms_api_2fa")
        error = self.assertError(response, 403, "two_factor_required")
        self.assertIn("two-factor authentication", error["message"])
        self.assertIn("Preferences > Account Security > New API Key", error["message"])
        self.assertFalse(self.env["res.users.apikeys"].search([("user_id", "=", user.id)]))
        # The key made in the preferences works in the app.
        self.assertEqual(self.api("GET", "/me", key=self._api_key(user)).status_code, 200)

    def test_sign_in_rate_limit(self):
        endpoint = self.env.ref("oms_mobile_api.fastapi_endpoint_oms_mobile_api")
        endpoint.oms_rate_limit = 3
        fastapi_app_pool.invalidate(self.env)
        self.addCleanup(fastapi_app_pool.invalidate, self.env)
        for _attempt in range(3):
            self.assertEqual(self.sign_in().status_code, 201)
        response = self.sign_in()
        error = self.assertError(response, 429, "rate_limited")
        self.assertEqual(error["details"]["limit"], 3)
        self.assertTrue(1 <= int(response.headers["Retry-After"]) <= 60)
        # The keys already given keep being served (their own counters).
        self.assertEqual(self.api("GET", "/me").status_code, 200)

    def test_revoke_the_calling_key(self):
        key = self.sign_in(device="Lost phone").json()["key"]
        self.assertEqual(self.api("GET", "/me", key=key).status_code, 200)
        response = self.api("POST", "/auth/revoke", key=key)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), {"revoked": True})
        self.assertFalse(
            self.env["res.users.apikeys"].search([("name", "=", "OMS app: Lost phone")])
        )
        self.assertError(self.api("GET", "/me", key=key), 401, "unauthorized")
        self.assertError(self.api("POST", "/auth/revoke", key=key), 401, "unauthorized")
        # The user's other keys are untouched.
        self.assertEqual(self.api("GET", "/me").status_code, 200)
        self.assertError(self.url_open(f"{API}/auth/revoke", method="POST"), 401, "unauthorized")
