"""The mobile app's page is a QWeb template that a module may change; it loads the app's ES
modules at one version (an import map), and the service worker keeps every file the app
needs to open offline."""

import json
import posixpath
import re
from pathlib import Path

from odoo.tests import HttpCase, tagged
from odoo.tools.misc import file_path

APP = "/oms/app"
STATIC = "/oms_mobile_app/static/src/app"


def _app_files():
    root = Path(file_path(STATIC.lstrip("/")))
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and path.name != "sw.js"
    )


@tagged("post_install", "-at_install")
class TestAppPage(HttpCase):
    def page(self):
        response = self.url_open(APP)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("text/html"))
        self.assertEqual(response.headers["Cache-Control"], "no-cache")
        return response.text

    def test_page_loads_every_module_at_one_version(self):
        html = self.page()
        self.assertTrue(html.lstrip().startswith("<!DOCTYPE html>"))
        [importmap] = re.findall(r'<script type="importmap">(.*?)</script>', html, re.DOTALL)
        imports = json.loads(importmap)["imports"]
        [entry] = re.findall(rf'<script type="module" src="{STATIC}/app\.js\?v=(\w+)"', html)
        modules = [path for path in _app_files() if path.endswith((".js", ".xml"))]
        self.assertIn("outbox.js", modules)
        self.assertIn("screens/new_order.js", modules)
        self.assertEqual(
            imports, {f"{STATIC}/{path}": f"{STATIC}/{path}?v={entry}" for path in modules}
        )
        # OWL, a classic script, runs before the modules that use it
        self.assertLess(html.index("/web/static/lib/owl/owl.js"), html.index('type="module"'))

    def test_every_import_and_template_is_a_file_of_the_app(self):
        files = set(_app_files())
        root = Path(file_path(STATIC.lstrip("/")))
        for path in sorted(files):
            if not path.endswith(".js"):
                continue
            source = (root / path).read_text()
            for target in re.findall(r'\bfrom "(\.[^"]+)"', source):
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
                self.assertIn(resolved, files, f"{path} imports {target}")
        templates = re.findall(r'^    "([\w/]+\.xml)",$', (root / "app.js").read_text(), re.M)
        self.assertEqual(set(templates), {path for path in files if path.endswith(".xml")})

    def test_service_worker_keeps_the_whole_shell(self):
        html = self.page()
        [version] = re.findall(rf'<script type="module" src="{STATIC}/app\.js\?v=(\w+)"', html)
        worker = self.url_open(f"{APP}/sw.js")
        self.assertEqual(worker.headers["Service-Worker-Allowed"], APP)
        [shell] = re.findall(r"^const SHELL = (.*);$", worker.text, re.MULTILINE)
        shell = json.loads(shell)
        self.assertEqual(
            shell,
            [
                APP,
                f"{APP}/manifest.webmanifest",
                "/web/static/lib/owl/owl.js",
                *(f"{STATIC}/{path}?v={version}" for path in _app_files()),
            ],
        )
        for url in shell[2:]:
            with self.subTest(url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                if url.split("?")[0].endswith(".js"):
                    self.assertIn("javascript", response.headers["Content-Type"])

    def test_a_module_may_change_the_page(self):
        self.env["ir.ui.view"].create(
            {
                "name": "OMS app page: a partner's stylesheet",
                "type": "qweb",
                "inherit_id": self.env.ref("oms_mobile_app.app_page").id,
                "arch": '<xpath expr="//head" position="inside">'
                '<link rel="stylesheet" href="/partner/app.css"/></xpath>',
            }
        )
        self.assertIn('<link rel="stylesheet" href="/partner/app.css"/>', self.page())
