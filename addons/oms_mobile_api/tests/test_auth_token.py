from datetime import datetime, timedelta

from odoo.tests import new_test_user

from .common import API, OmsSignInCase


class TestAuthToken(OmsSignInCase):
    """Sign-in of the mobile app: login and password for a per-device API key."""

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
        self.assertEqual(apikey.scope, "oms_mobile_api", "it opens this API only")
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
        self.assertEqual(error["message"], "Wrong login, password or two-factor code.")
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
