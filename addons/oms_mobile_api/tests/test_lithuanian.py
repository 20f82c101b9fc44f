from odoo.fields import Command
from odoo.tests import new_test_user

from .common import OmsApiCase

INVALID_CURSOR_LT = "Neteisingas žymeklis: perduokite ankstesnio puslapio next_cursor nepakeistą."


class TestLithuanianErrors(OmsApiCase):
    """The messages of the API's errors reach a person: they are in the user's language
    (the API key's user), and before authentication in the language the client asks for
    (Accept-Language) among the database's active languages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("lt_LT")
        # The module's own terms (model names of its i18n/lt.po); the messages of its
        # code are read from i18n/lt.po by Odoo's code translations.
        cls.env["ir.module.module"]._load_module_terms(["oms_mobile_api"], ["lt_LT"])
        cls.lithuanian = new_test_user(
            cls.env,
            login="oms_api_lithuanian",
            name="Jonas Jonaitis",
            groups="oms_extended.group_oms_user",
            lang="lt_LT",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.lithuanian_key = cls._api_key(cls.lithuanian)

    def test_errors_in_the_users_language(self):
        error = self.assertError(
            self.api("GET", "/orders?cursor=nonsense", key=self.lithuanian_key),
            400,
            "invalid_request",
        )
        self.assertEqual(error["message"], INVALID_CURSOR_LT)
        # the app asks for no language ("*"): the user's
        response = self.api(
            "GET", "/orders/999999", key=self.lithuanian_key, headers={"Accept-Language": "*"}
        )
        error = self.assertError(response, 404, "not_found")
        self.assertEqual(error["message"], "Nėra įrašo „Pardavimo užsakymas“ su ID 999999.")
        # errors the API does not raise itself (FastAPI's validation) too
        error = self.assertError(
            self.api("POST", "/customers", raw='{"name": "Pus', key=self.lithuanian_key),
            400,
            "malformed_json",
        )
        self.assertEqual(error["message"], "Užklausos turinys nėra tinkamas JSON.")

    def test_errors_of_an_english_user_stay_english(self):
        error = self.assertError(self.api("GET", "/orders?cursor=nonsense"), 400, "invalid_request")
        self.assertEqual(
            error["message"], "Invalid cursor: pass the next_cursor of the previous page as is."
        )

    def test_before_authentication_the_language_asked_for(self):
        lithuanian = {"Accept-Language": "lt-LT,lt;q=0.9,en;q=0.8"}
        error = self.assertError(
            self.api("GET", "/me", key="0" * 40, headers=lithuanian), 401, "unauthorized"
        )
        self.assertEqual(error["message"], "Neteisingas arba nebegaliojantis API raktas.")
        response = self.url_open(
            "/oms/api/v1/auth/token",
            data='{"login": "oms_api_lithuanian", "password": "wrong", "device": "Telefonas"}',
            headers={"Content-Type": "application/json", **lithuanian},
            method="POST",
        )
        error = self.assertError(response, 401, "unauthorized")
        self.assertEqual(
            error["message"],
            "Neteisingas prisijungimo vardas, slaptažodis arba dviejų veiksnių kodas.",
        )
        # a language the database does not have: English
        error = self.assertError(
            self.api("GET", "/me", key="0" * 40, headers={"Accept-Language": "de-DE"}),
            401,
            "unauthorized",
        )
        self.assertEqual(error["message"], "Invalid or expired API key.")
        # the versions the server does not serve answer in it too
        response = self.url_open("/oms/api/v0/orders", headers=lithuanian)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(
            response.json()["error"]["message"],
            "API versija 'v0' čia neteikiama; naudokite 'v1'.",
        )
