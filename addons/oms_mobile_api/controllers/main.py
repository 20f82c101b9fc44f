from odoo import http
from odoo.addons.oms_extended.http_errors import json_error
from odoo.http import request

from ..errors import API_VERSION

API_PREFIX = "/oms/api"


class OmsMobileApi(http.Controller):
    """The versions of the API that are not served. API v1 itself is the FastAPI app of
    the ``oms_mobile_api`` endpoint, mounted on /oms/api/v1 (a more specific route)."""

    @http.route(
        f"{API_PREFIX}/<string:version>/<path:endpoint>",
        type="http",
        auth="none",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        csrf=False,
        save_session=False,
        readonly=True,
    )
    def unknown_version(self, version, endpoint):
        # The language of the Accept-Language header among the database's active ones.
        header = request.httprequest.headers.get("Accept-Language")
        # sudo: matches the header with the active languages, nothing else.
        lang = request.env["res.lang"].sudo()._get_lang_from_accept_language(header)
        env = request.env(context=dict(request.env.context, lang=lang or "en_US"))
        if version == API_VERSION:
            # Its endpoint record is archived or deleted.
            return json_error(
                404,
                "not_found",
                env._("API %s is not enabled on this server.", API_VERSION),
            )
        return json_error(
            404,
            "unsupported_version",
            env._(
                "API version %(version)r is not served here; use %(supported)r.",
                version=version,
                supported=API_VERSION,
            ),
            {"supported_versions": [API_VERSION]},
        )
