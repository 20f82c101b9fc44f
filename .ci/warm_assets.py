"""Builds the web client's asset bundles once in a fresh test database (not a test itself).

    python .ci/warm_assets.py ODOO_CONF DBNAME

An HttpCase runs in a transaction that is rolled back, so a bundle it builds is thrown
away and the next browser test builds it again, holding the test cursor for seconds while
the browser's other requests wait for it. Built and committed here once, every browser
test finds them ready.
"""

import sys

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

# (bundle, css, js): what the backend, the tours, the printed reports and the portal load
BUNDLES = [
    ("web.assets_web", True, True),
    ("web.assets_web_print", True, False),
    ("web.assets_tests", False, True),
    ("web.assets_frontend", True, True),
    ("web.assets_frontend_minimal", False, True),
    ("web.assets_frontend_lazy", False, True),
]


def main(conf, dbname):
    odoo.tools.config.parse_config(
        ["-c", conf, "-d", dbname, f"--db-filter=^{dbname}$", "--log-level=warn"]
    )
    with Registry(dbname).cursor() as cr:
        qweb = api.Environment(cr, SUPERUSER_ID, {})["ir.qweb"]
        for name, css, js in BUNDLES:
            bundle = qweb._get_asset_bundle(name, css=css, js=js)
            if js:
                bundle.js()
            if css:
                bundle.css()
            print(f"{name}: built", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
