"""The keys the app's sign-in mints obey Odoo's key policies (issue 19, item 1): scoped to
this API, living no longer than the user's groups allow, only for users Odoo gives keys,
capped per user, announced to the user; sign-ins are throttled per login and per address,
and a user with two-factor authentication needs the code (no password oracle)."""

import base64
import json
import time
import xmlrpc.client
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.addons.auth_totp.models.totp import hotp
from odoo.addons.fastapi.pools import fastapi_app_pool
from odoo.tests import new_test_user
from odoo.tools import SQL, mute_logger

from .common import OmsSignInCase

SECRET = base64.b32encode(b"0123456789abcdefghij").decode()


class TestApiKeys(OmsSignInCase):
    def _app_keys(self, user):
        return self.env["res.users.apikeys"].search(
            [("user_id", "=", user.id), ("scope", "=", "oms_mobile_api")], order="id"
        )

    def _json2(self, key):
        self.env.flush_all()
        return self.url_open(
            "/json/2/res.partner/search_count",
            data=json.dumps({"domain": []}),
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
            timeout=60,
        )

    def _jsonrpc(self, key):
        self.env.flush_all()
        response = self.url_open(
            "/jsonrpc",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "service": "object",
                        "method": "execute_kw",
                        "args": [
                            self.env.cr.dbname,
                            self.clerk.id,
                            key,
                            "res.partner",
                            "search_count",
                            [[]],
                        ],
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
            timeout=60,
        )
        return response.json()

    def _xmlrpc(self, key):
        self.env.flush_all()
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, self.clerk.id, key, "res.partner", "search_count", [[]]
        )

    @mute_logger("odoo.http", "odoo.addons.base.models.res_users")
    def test_app_key_opens_this_api_only(self):
        key = self.sign_in().json()["key"]
        self.assertEqual(self._app_keys(self.clerk).scope, "oms_mobile_api")
        self.assertEqual(self.api("GET", "/me", key=key).status_code, 200)
        # Odoo's other APIs refuse it...
        self.assertEqual(self._json2(key).status_code, 401)
        self.assertIn("error", self._jsonrpc(key))
        with self.assertRaises(xmlrpc.client.Fault):
            self._xmlrpc(key)
        # ...and accept a global key made in the preferences, which this API accepts too.
        self.assertEqual(self._json2(self.key).status_code, 200)
        self.assertIsInstance(self._jsonrpc(self.key)["result"], int)
        self.assertIsInstance(self._xmlrpc(self.key), int)
        self.assertEqual(self.api("GET", "/me").status_code, 200)

    def test_key_life_is_capped_by_the_user_groups(self):
        # An internal user: Odoo's 90 days (group "Role / User").
        before = datetime.now()
        token = self.sign_in(days=365).json()
        expires_at = datetime.fromisoformat(token["expires_at"]).replace(tzinfo=None)
        self.assertAlmostEqual(expires_at, before + timedelta(days=90), delta=timedelta(minutes=1))
        # An administrator lowering the groups' maximum lowers the app's keys too.
        self.env.ref("base.group_user").api_key_duration = 7
        token = self.sign_in(days=30).json()
        expires_at = datetime.fromisoformat(token["expires_at"]).replace(tzinfo=None)
        self.assertAlmostEqual(expires_at, before + timedelta(days=7), delta=timedelta(minutes=1))
        self.assertLessEqual(
            max(self._app_keys(self.clerk).mapped("expiration_date")),
            datetime.now() + timedelta(days=90),
        )

    def test_portal_customer_gets_no_key(self):
        customer = new_test_user(self.env, login="oms_api_portal", groups="base.group_portal")
        error = self.assertError(self.sign_in("oms_api_portal"), 403, "forbidden")
        self.assertIn("cannot sign in to the app", error["message"])
        self.assertFalse(self.env["res.users.apikeys"].search([("user_id", "=", customer.id)]))
        # Unless Odoo's own setting gives customers API keys: then Odoo's life (one day).
        self.env["ir.config_parameter"].set_param("portal.allow_api_keys", True)
        before = datetime.now()
        response = self.sign_in("oms_api_portal", days=30)
        self.assertEqual(response.status_code, 201, response.text)
        expires_at = datetime.fromisoformat(response.json()["expires_at"]).replace(tzinfo=None)
        self.assertAlmostEqual(expires_at, before + timedelta(days=1), delta=timedelta(minutes=1))

    def test_app_keys_per_user_are_capped(self):
        self.env["ir.config_parameter"].set_param("oms_mobile_api.max_app_keys", 2)
        first, second, third = (
            self.sign_in(device=f"Phone {n}").json()["key"] for n in range(1, 4)
        )
        self.assertEqual(
            self._app_keys(self.clerk).mapped("name"), ["OMS app: Phone 2", "OMS app: Phone 3"]
        )
        self.assertError(self.api("GET", "/me", key=first), 401, "unauthorized")
        for key in (second, third, self.key):  # the key of the preferences stays
            self.assertEqual(self.api("GET", "/me", key=key).status_code, 200)

    def test_user_is_told_of_a_new_key(self):
        notices = []

        def notify(users, subject, content, *args, **kwargs):
            notices.append((users.ids, subject, content))

        users_class = type(self.env["res.users"])
        with patch.object(users_class, "_notify_security_setting_update", notify):
            self.assertEqual(self.sign_in(device="Anna's phone").status_code, 201)
        self.assertEqual(len(notices), 1)
        user_ids, subject, content = notices[0]
        self.assertEqual(user_ids, self.clerk.ids)
        self.assertEqual(subject, "Security Update: New API Key")
        self.assertIn("OMS app: Anna's phone", content)


class TestSignInThrottling(OmsSignInCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The per-key rate limit switched off: sign-ins stay throttled.
        endpoint = cls.env.ref("oms_mobile_api.fastapi_endpoint_oms_mobile_api")
        endpoint.oms_rate_limit = 0
        fastapi_app_pool.invalidate(cls.env)
        cls.addClassCleanup(fastapi_app_pool.invalidate, cls.env)
        cls.colleagues = [
            new_test_user(cls.env, login=f"oms_api_colleague{n}", groups="base.group_user")
            for n in range(3)
        ]

    def _counters(self, prefix):
        self.env.cr.execute(
            SQL("SELECT hits FROM oms_api_rate_limit WHERE bucket LIKE %s", f"{prefix}%")
        )
        return [hits for (hits,) in self.env.cr.fetchall()]

    def test_per_login(self):
        self.env["ir.config_parameter"].set_param("oms_mobile_api.sign_in_limit_per_login", 2)
        for _attempt in range(2):
            self.assertEqual(self.sign_in().status_code, 201)
        response = self.sign_in(login="OMS_API_CLERK ", password="oms_api_clerk")
        error = self.assertError(response, 429, "rate_limited")
        self.assertIn("for this login (2 an hour)", error["message"])
        self.assertEqual(error["details"]["limit"], 2)
        self.assertTrue(1 <= int(response.headers["Retry-After"]) <= 3600)
        # Another login from the same address is served; counted in PostgreSQL, by a
        # digest of the login (never the login itself).
        self.assertEqual(self.sign_in("oms_api_colleague0").status_code, 201)
        self.assertEqual(sorted(self._counters("login-user:")), [1, 2])
        self.assertFalse(self._counters("login-user:oms_api"))

    def test_per_address(self):
        self.env["ir.config_parameter"].set_param("oms_mobile_api.sign_in_limit_per_address", 2)
        for user in self.colleagues[:2]:
            self.assertEqual(self.sign_in(user.login).status_code, 201)
        error = self.assertError(self.sign_in(self.colleagues[2].login), 429, "rate_limited")
        self.assertIn("from this address (2 a minute)", error["message"])
        self.assertEqual(self._counters("login:"), [2])

    def test_cannot_be_switched_off(self):
        for value in ("0", "-1", "off"):
            self.env["ir.config_parameter"].set_param(
                "oms_mobile_api.sign_in_limit_per_login", value
            )
            self.assertEqual(self.sign_in().status_code, 201)
        # The default of 10 an hour applies.
        for _attempt in range(7):
            self.assertEqual(self.sign_in().status_code, 201)
        self.assertError(self.sign_in(), 429, "rate_limited")


class TestTwoFactorSignIn(OmsSignInCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(cls.env, login="oms_api_2fa", groups="oms_extended.group_oms_user")
        # What enabling TOTP stores (auth_totp): the secret.
        cls.user.sudo().totp_secret = SECRET  # sudo: the secret is a system-only field

    def _code(self):
        return f"{hotp(base64.b32decode(SECRET), int(time.time() / 30)):06d}"

    @mute_logger("odoo.addons.auth_totp.models.res_users")
    def test_no_password_oracle(self):
        """A wrong password, the right password without the code, or with a wrong code:
        the same answer, so that the answer never tells the password was right."""
        wrong_password = self.sign_in("oms_api_2fa", "wrong")
        self.assertError(wrong_password, 401, "unauthorized")
        for extra in ({}, {"totp": "000000"}, {"totp": ""}):
            response = self.sign_in("oms_api_2fa", **extra)
            self.assertError(response, 401, "unauthorized")
            self.assertEqual(response.json(), wrong_password.json())
        self.assertFalse(self.env["res.users.apikeys"].search([("user_id", "=", self.user.id)]))

    @mute_logger("odoo.addons.auth_totp.models.res_users")
    def test_password_and_code_give_a_key(self):
        code = self._code()
        response = self.sign_in("oms_api_2fa", totp=code)
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(self.api("GET", "/me", key=response.json()["key"]).status_code, 200)
        # A code is used once.
        response = self.sign_in("oms_api_2fa", totp=code)
        self.assertError(response, 401, "unauthorized")
        # The key made in the preferences works in the app too.
        self.assertEqual(self.api("GET", "/me", key=self._api_key(self.user)).status_code, 200)

    def test_a_code_is_ignored_without_two_factor(self):
        self.assertEqual(self.sign_in(totp="123456").status_code, 201)
