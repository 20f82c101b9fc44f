import re

from odoo.tests import HttpCase, tagged

STATIC = "/oms_mobile_app/static/src/app"


@tagged("post_install", "-at_install")
class TestAppShell(HttpCase):
    """The app's page, manifest and service worker are served from this addon, without a
    session: the app itself only talks to the API with its key. (The page's import map
    and the worker's list of files: tests/test_app_page.py.)"""

    def test_page_loads_the_app_of_this_addon(self):
        response = self.url_open("/oms/app")
        self.assertEqual(response.status_code, 200)
        self.assertIn("text/html", response.headers["Content-Type"])
        [version] = re.findall(
            rf'<script type="module" src="{STATIC}/app\.js\?v=(\w+)"', response.text
        )
        for name in ("app.js", "outbox.js", "root.xml", "app.css", "icons/icon-192.png"):
            with self.subTest(name=name):
                self.assertEqual(self.url_open(f"{STATIC}/{name}?v={version}").status_code, 200)

    def test_manifest_and_service_worker(self):
        manifest = self.url_open("/oms/app/manifest.webmanifest").json()
        self.assertEqual(manifest["start_url"], "/oms/app")
        self.assertTrue(all(icon["src"].startswith(STATIC) for icon in manifest["icons"]))
        worker = self.url_open("/oms/app/sw.js")
        self.assertEqual(worker.status_code, 200)
        self.assertEqual(worker.headers["Service-Worker-Allowed"], "/oms/app")
        self.assertIn(f"{STATIC}/app.js?v=", worker.text)
