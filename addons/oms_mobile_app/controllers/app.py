import hashlib
import json
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from odoo import http
from odoo.http import request
from odoo.tools.misc import file_open, file_path

APP_ROOT = "/oms/app"
APP_DIR = "oms_mobile_app/static/src/app"
STATIC = f"/{APP_DIR}"
OWL = "/web/static/lib/owl/owl.js"
PAGE = "oms_mobile_app.app_page"


def _app_files():
    """The app's files (paths in its folder), the service worker aside, and their stamps."""
    root = Path(file_path(APP_DIR))
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.name != "sw.js")
    return tuple((p.relative_to(root).as_posix(), p.stat().st_mtime_ns) for p in files)


@lru_cache(maxsize=8)
def _version(stamps):
    """A digest of the app's files: in every URL of the app (``?v=``), so that a browser
    never mixes modules of two versions from its cache (Odoo's static files are cached for
    a week), and the service worker changes with the app."""
    digest = hashlib.sha256()
    for path, _mtime in stamps:
        with file_open(f"{APP_DIR}/{path}", "rb") as source:
            digest.update(path.encode() + b"\0" + source.read())
    return digest.hexdigest()[:12]


def _app():
    """(files, version, url of a file at this version)."""
    stamps = _app_files()
    version = _version(stamps)
    return [path for path, _mtime in stamps], version, lambda path: f"{STATIC}/{path}?v={version}"


class OmsMobileApp(http.Controller):
    """The installable mobile web app: its page (the QWeb template ``app_page``), its
    manifest and its service worker. The app itself is static ES modules on OWL (Odoo's own
    library) and only talks to /oms/api/v1 with the API key of the device: these routes need
    no session."""

    def _response(self, body, content_type, **headers):
        return request.make_response(
            body,
            headers=[("Content-Type", content_type), *headers.items()],
        )

    def _shell(self):
        """What the service worker keeps to open the app offline: the page, its manifest,
        OWL and every file of the app, at this version."""
        files, _version, url = _app()
        return [APP_ROOT, f"{APP_ROOT}/manifest.webmanifest", OWL, *map(url, files)]

    def _browser_lang(self):
        """The language the browser asks for (its Accept-Language header, which the app
        builds from navigator.languages) among the database's active languages, else
        English: the language of the app before sign-in, when no user is known."""
        header = request.httprequest.headers.get("Accept-Language")
        # sudo: matches the header with the active languages, nothing else.
        return request.env["res.lang"].sudo()._get_lang_from_accept_language(header) or "en_US"

    def _page_values(self):
        files, version, url = _app()
        # The modules import each other (and fetch their templates) by plain URLs: the
        # import map gives each its URL at this version.
        imports = {
            f"{STATIC}/{path}": url(path) for path in files if path.endswith((".js", ".xml"))
        }
        importmap = json.dumps({"imports": imports}).replace("</", "<\\/")
        return {
            "html_lang": self._browser_lang().replace("_", "-"),
            "root": APP_ROOT,
            "static": STATIC,
            "version": version,
            "owl": OWL,
            "importmap": Markup(importmap),  # JSON of our own paths, in a script element
        }

    @http.route(APP_ROOT, type="http", auth="none", methods=["GET"], save_session=False)
    def app_shell(self):
        # Its texts in the browser's language (the app's own: its language's).
        request.update_context(lang=self._browser_lang())
        # Always revalidated: the service worker keeps the copy for offline use.
        return request.render(PAGE, self._page_values(), headers={"Cache-Control": "no-cache"})

    @http.route(
        f"{APP_ROOT}/translations",
        type="http",
        auth="none",
        methods=["GET"],
        save_session=False,
        readonly=True,
    )
    def app_translations(self):
        """The app's texts in the browser's language, for the sign-in screen (before
        sign-in, no user: after it, the API's ``GET /translations`` gives them in the
        user's language). Public and read-only: the texts of the module's ``i18n/*.po``."""
        lang = self._browser_lang()
        # sudo: the module's code translations, public texts of the app (no record read).
        messages = request.env["fastapi.endpoint"].sudo()._oms_api_translations(lang)
        return self._response(
            json.dumps({"lang": lang, "messages": messages}),
            "application/json",
            **{"Cache-Control": "no-cache", "Vary": "Accept-Language"},
        )

    @http.route(
        f"{APP_ROOT}/manifest.webmanifest",
        type="http",
        auth="none",
        methods=["GET"],
        save_session=False,
    )
    def app_manifest(self):
        manifest = {
            "name": "Order Management",
            "short_name": "OMS",
            "description": "Orders, customers and catalog on the move, online or not.",
            "id": APP_ROOT,
            "start_url": APP_ROOT,
            "scope": APP_ROOT,
            "display": "standalone",
            "orientation": "any",
            "background_color": "#ffffff",
            "theme_color": "#714B67",
            "icons": [
                {
                    "src": f"{STATIC}/icons/icon-{size}.png",
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                    "purpose": "any maskable",
                }
                for size in (192, 512)
            ],
        }
        return self._response(
            json.dumps(manifest), "application/manifest+json", **{"Cache-Control": "no-cache"}
        )

    @http.route(f"{APP_ROOT}/sw.js", type="http", auth="none", methods=["GET"], save_session=False)
    def app_service_worker(self):
        with file_open(f"{APP_DIR}/sw.js") as source:
            script = source.read().replace("__SHELL__", json.dumps(self._shell()))
        return self._response(
            script,
            "text/javascript; charset=utf-8",
            **{
                "Cache-Control": "no-cache",
                # Served under /oms/app/, it controls /oms/app itself too.
                "Service-Worker-Allowed": APP_ROOT,
            },
        )
