from .common import OmsApiCase


class TestTranslations(OmsApiCase):
    """``GET /translations`` serves the code translations of the modules
    ``fastapi.endpoint._oms_api_translation_modules`` names: the API's clients add theirs
    (the app's texts in French and Lithuanian: oms_mobile_app's tests)."""

    def test_the_api_has_none_of_its_own(self):
        self.assertNotIn(
            "oms_mobile_api", self.env["fastapi.endpoint"]._oms_api_translation_modules()
        )

    def test_english_user(self):
        response = self.api("GET", "/translations")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), {"lang": "en_US", "messages": {}})

    def test_needs_a_key(self):
        self.assertError(self.api("GET", "/translations", key="0" * 40), 401, "unauthorized")
