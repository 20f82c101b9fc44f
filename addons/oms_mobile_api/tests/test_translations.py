from odoo.fields import Command
from odoo.tests import new_test_user

from .common import OmsApiCase


class TestTranslations(OmsApiCase):
    def test_french_user(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        french = new_test_user(
            self.env,
            login="oms_api_french",
            groups="oms_extended.group_oms_user",
            lang="fr_FR",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
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

    def test_english_user(self):
        response = self.api("GET", "/translations")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), {"lang": "en_US", "messages": {}})

    def test_needs_a_key(self):
        self.assertError(self.api("GET", "/translations", key="0" * 40), 401, "unauthorized")
