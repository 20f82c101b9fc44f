from datetime import datetime, timedelta

from odoo.tests import new_test_user

from .common import API, OmsApiCase


class TestAuthentication(OmsApiCase):
    def test_version_is_public(self):
        response = self.url_open(f"{API}/version")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/json")
        body = response.json()
        self.assertEqual(body["api"], "v1")
        self.assertTrue(body["module_version"].startswith("19.0."))

    def test_me_runs_as_the_key_user(self):
        response = self.api("GET", "/me")
        self.assertEqual(response.status_code, 200, response.text)
        me = response.json()
        self.assertEqual(me["id"], self.clerk.id)
        self.assertEqual(me["login"], "oms_api_clerk")
        self.assertEqual(me["company"], {"id": self.company.id, "name": self.company.name})
        self.assertEqual([c["id"] for c in me["companies"]], [self.company.id])
        self.assertTrue(me["is_oms_user"])
        self.assertFalse(me["is_oms_manager"])
        self.assertFalse(self.clerk.has_group("base.group_system"))
        # Stateless: no session cookie, no CSRF token needed.
        self.assertNotIn("Set-Cookie", response.headers)

    def test_accept_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        response = self.api("GET", "/me", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
        self.assertEqual(response.json()["lang"], "fr_FR")
        self.assertEqual(self.api("GET", "/me").json()["lang"], self.clerk.lang)

    def test_missing_key(self):
        response = self.url_open(f"{API}/me")
        error = self.assertError(response, 401, "unauthorized")
        self.assertIn("Authorization: Bearer", error["message"])
        self.assertEqual(response.headers["WWW-Authenticate"], "Bearer")
        # Another scheme is no key either.
        response = self.url_open(f"{API}/me", headers={"Authorization": "Basic YWRtaW46YWRtaW4="})
        self.assertError(response, 401, "unauthorized")

    def test_bad_key(self):
        self.assertError(self.api("GET", "/me", key="0" * 40), 401, "unauthorized")
        self.assertError(self.api("GET", "/orders", key=self.key[:-1] + "x"), 401, "unauthorized")

    def test_expired_key_and_archived_user(self):
        expired = self._api_key(self.clerk, datetime.now() - timedelta(hours=1))
        self.assertError(self.api("GET", "/me", key=expired), 401, "unauthorized")
        user = new_test_user(self.env, login="oms_api_leaver", groups="oms_extended.group_oms_user")
        key = self._api_key(user)
        self.assertEqual(self.api("GET", "/me", key=key).status_code, 200)
        user.active = False
        self.assertError(self.api("GET", "/me", key=key), 401, "unauthorized")

    def test_removed_key_stops_at_once(self):
        """Verified keys are remembered a minute; removing one forgets it everywhere."""
        key = self._api_key(self.clerk)
        self.assertEqual(self.api("GET", "/me", key=key).status_code, 200)
        self.assertEqual(self.api("GET", "/me", key=key).status_code, 200)
        keys = self.env["res.users.apikeys"].search([("user_id", "=", self.clerk.id)])
        keys.filtered(lambda apikey: apikey.id == max(keys.ids))._remove()
        self.assertError(self.api("GET", "/me", key=key), 401, "unauthorized")
        self.assertEqual(self.api("GET", "/me").status_code, 200, "the other key still works")

    def test_each_key_is_its_user(self):
        other = new_test_user(self.env, login="oms_api_other", groups="oms_extended.group_oms_user")
        response = self.api("GET", "/me", key=self._api_key(other))
        self.assertEqual(response.json()["id"], other.id)

    def test_endpoint_served_after_install(self):
        """The data of the module creates the endpoint and registers its routes: nothing to
        do by hand after installing (the HTTP requests of these tests prove it too)."""
        endpoint = self.env.ref("oms_mobile_api.fastapi_endpoint_oms_mobile_api")
        self.assertEqual(endpoint.root_path, API)
        self.assertTrue(endpoint.registry_sync)
        self.assertFalse(endpoint.save_http_session)
        self.env.cr.execute(
            "SELECT routing FROM endpoint_route WHERE key LIKE %s", ["fastapi.endpoint:%"]
        )
        routings = [row[0] for row in self.env.cr.fetchall()]
        self.assertTrue(any('"oms_api"' in routing and API in routing for routing in routings))

    def test_unknown_version(self):
        response = self.url_open("/oms/api/v9/orders")
        error = self.assertError(response, 404, "unsupported_version")
        self.assertEqual(error["details"], {"supported_versions": ["v1"]})
