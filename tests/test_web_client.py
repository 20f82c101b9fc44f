"""The web client as a person uses it: log in, then open the Order Management app."""

import re

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestWebClient(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            login="oms_clerk",
            name="OMS Clerk",
            groups="oms_extended.group_oms_user",
        )

    def test_login_form_then_open_order_management_in_chromium(self):
        # Log in through the login form, as the browser does.
        page = self.url_open("/web/login")
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        wrong = self.url_open(
            "/web/login",
            data={"login": "oms_clerk", "password": "wrong", "csrf_token": csrf},
        )
        self.assertIn("Wrong login/password", wrong.text)
        response = self.url_open(
            "/web/login",
            data={"login": "oms_clerk", "password": "oms_clerk", "csrf_token": csrf},
        )
        self.assertEqual(response.status_code, 200)
        self.assertRegex(response.url, r"/odoo")
        info = self.make_jsonrpc_request("/web/session/get_session_info", {})
        self.assertEqual(info["uid"], self.user.id)

        # Then open the Order Management app in chromium as that user (whose
        # password, as new_test_user sets it, is the login that browser_js uses).
        self.start_tour("/odoo", "oms_open_app", login="oms_clerk")
