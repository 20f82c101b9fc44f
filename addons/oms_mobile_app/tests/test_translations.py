from odoo.addons.oms_mobile_api.tests.common import OmsApiCase
from odoo.fields import Command
from odoo.tests import new_test_user

LITHUANIAN_BROWSER = {"Accept-Language": "lt-LT,lt;q=0.9,en-US;q=0.8,en;q=0.7"}


class TestAppTranslations(OmsApiCase):
    """The app's texts are this module's code translations (i18n/<lang>.po): after sign-in
    in the user's language (the API's GET /translations), before it in the browser's
    (GET /oms/app/translations, public)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("lt_LT")
        cls.env["ir.module.module"]._load_module_terms(
            ["oms_mobile_api", "oms_mobile_app"], ["lt_LT"]
        )

    def _user(self, login, lang):
        return new_test_user(
            self.env,
            login=login,
            groups="oms_extended.group_oms_user",
            lang=lang,
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )

    def test_french_user(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        french = self._user("oms_app_french_texts", "fr_FR")
        response = self.api("GET", "/translations", key=self._api_key(french))
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertEqual(body["lang"], "fr_FR")
        messages = body["messages"]
        # terms of the app's script and of its templates, from i18n/fr.po
        self.assertEqual(messages["Orders"], "Commandes")
        self.assertEqual(messages["E-mail queued for sending."], "E-mail mis en file d'envoi.")
        self.assertEqual(messages["%s accepted."], "%s acceptée.")
        self.assertGreater(len(messages), 100)

    def test_lithuanian_user(self):
        lithuanian = self._user("oms_app_lithuanian_texts", "lt_LT")
        # the app asks for no language of its own once signed in: the user's
        response = self.api(
            "GET",
            "/translations",
            key=self._api_key(lithuanian),
            headers={"Accept-Language": "*"},
        )
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertEqual(body["lang"], "lt_LT")
        messages = body["messages"]
        self.assertEqual(messages["Today"], "Šiandien")
        self.assertEqual(messages["Orders today"], "Užsakymai šiandien")
        self.assertEqual(messages["Quotation"], "Komercinis pasiūlymas")
        self.assertEqual(messages["%s accepted."], "%s patvirtintas.")
        self.assertGreater(len(messages), 140)

    def test_sign_in_texts_in_the_browsers_language(self):
        response = self.url_open("/oms/app/translations", headers=LITHUANIAN_BROWSER)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers["Vary"], "Accept-Language")
        body = response.json()
        self.assertEqual(body["lang"], "lt_LT")
        messages = body["messages"]
        self.assertEqual(messages["Sign in"], "Prisijungti")
        self.assertEqual(messages["Password"], "Slaptažodis")
        self.assertEqual(messages["Login"], "Prisijungimo vardas")
        self.assertEqual(messages["This device"], "Šis įrenginys")
        # the page too: its language and its boot text
        page = self.url_open("/oms/app", headers=LITHUANIAN_BROWSER)
        self.assertIn('<html lang="lt-LT">', page.text)
        # a language the database does not have, or none: English
        for headers in ({"Accept-Language": "de-DE,de;q=0.9"}, {}):
            with self.subTest(headers=headers):
                body = self.url_open("/oms/app/translations", headers=headers).json()
                self.assertEqual(body, {"lang": "en_US", "messages": {}})
        page = self.url_open("/oms/app", headers={"Accept-Language": "de-DE"})
        self.assertIn('<html lang="en-US">', page.text)
