import json

from odoo import http
from odoo.http import request
from odoo.tools.misc import file_open

APP_ROOT = "/oms/app"
STATIC = "/oms_mobile_app/static/src/app"
OWL = "/web/static/lib/owl/owl.js"
# What the service worker keeps to open the app offline.
SHELL = [
    APP_ROOT,
    f"{APP_ROOT}/manifest.webmanifest",
    OWL,
    f"{STATIC}/app.js",
    f"{STATIC}/app.xml",
    f"{STATIC}/app.css",
    f"{STATIC}/icons/icon-192.png",
    f"{STATIC}/icons/icon-512.png",
]

SHELL_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
<meta name="theme-color" content="#714B67"/>
<meta name="mobile-web-app-capable" content="yes"/>
<meta name="apple-mobile-web-app-capable" content="yes"/>
<title>OMS</title>
<link rel="manifest" href="{root}/manifest.webmanifest"/>
<link rel="icon" href="{static}/icons/icon-192.png"/>
<link rel="apple-touch-icon" href="{static}/icons/icon-192.png"/>
<link rel="stylesheet" href="{static}/app.css"/>
</head>
<body>
<div id="app"><p class="boot">Loading…</p></div>
<script src="{owl}"></script>
<script src="{static}/app.js"></script>
</body>
</html>
"""


class OmsMobileApp(http.Controller):
    """The installable mobile web app: an HTML shell, its manifest and its service worker.
    The app itself is static (OWL, from Odoo's own library) and only talks to
    /oms/api/v1 with the API key of the device: these routes need no session."""

    def _response(self, body, content_type, **headers):
        return request.make_response(
            body,
            headers=[("Content-Type", content_type), *headers.items()],
        )

    @http.route(APP_ROOT, type="http", auth="none", methods=["GET"], save_session=False)
    def app_shell(self):
        html = SHELL_HTML.format(root=APP_ROOT, static=STATIC, owl=OWL)
        # Always revalidated: the service worker keeps the copy for offline use.
        return self._response(html, "text/html; charset=utf-8", **{"Cache-Control": "no-cache"})

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
        with file_open("oms_mobile_app/static/src/app/sw.js") as source:
            script = source.read().replace("__SHELL__", json.dumps(SHELL))
        return self._response(
            script,
            "text/javascript; charset=utf-8",
            **{
                "Cache-Control": "no-cache",
                # Served under /oms/app/, it controls /oms/app itself too.
                "Service-Worker-Allowed": APP_ROOT,
            },
        )
