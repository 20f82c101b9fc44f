from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestOmsMobileApi(HttpCase):
    def test_version(self):
        response = self.url_open("/oms/api/v1/version")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/json; charset=utf-8")
        body = response.json()
        self.assertEqual(body["api"], "v1")
        self.assertTrue(body["module_version"].startswith("19.0."))

    def test_unknown_endpoint_is_a_json_404(self):
        response = self.url_open("/oms/api/v1/no-such-thing")
        self.assertEqual(response.status_code, 404)
        error = response.json()["error"]
        self.assertEqual(error["code"], "not_found")
        self.assertIn("no-such-thing", error["message"])

    def test_unknown_version_is_a_json_404(self):
        response = self.url_open("/oms/api/v9/orders")
        self.assertEqual(response.status_code, 404)
        error = response.json()["error"]
        self.assertEqual(error["code"], "unsupported_version")
        self.assertEqual(error["details"], {"supported_versions": ["v1"]})
