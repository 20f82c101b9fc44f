from odoo import http
from odoo.addons.oms_extended.http_errors import json_error

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
        if version == API_VERSION:
            # Its endpoint record is archived or deleted.
            return json_error(404, "not_found", f"API {API_VERSION} is not enabled on this server.")
        return json_error(
            404,
            "unsupported_version",
            f"API version {version!r} is not served here; use {API_VERSION!r}.",
            {"supported_versions": [API_VERSION]},
        )
