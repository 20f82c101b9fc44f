from odoo import http
from odoo.http import request

API_VERSION = "v1"
API_PREFIX = f"/oms/api/{API_VERSION}"


def json_error(status, code, message, details=None):
    """The one error shape of the API: {"error": {"code", "message", "details"}}."""
    return request.make_json_response(
        {"error": {"code": code, "message": message, "details": details or {}}},
        status=status,
    )


class OmsMobileApi(http.Controller):
    @http.route(f"{API_PREFIX}/version", type="http", auth="public", methods=["GET"], readonly=True)
    def version(self):
        module = request.env["ir.module.module"].sudo().search([("name", "=", "oms_mobile_api")])
        return request.make_json_response(
            {"api": API_VERSION, "module_version": module.installed_version}
        )

    @http.route(
        [f"{API_PREFIX}/<path:endpoint>", "/oms/api/<string:version>/<path:endpoint>"],
        type="http",
        auth="public",
        readonly=True,
    )
    def unknown_endpoint(self, endpoint, version=API_VERSION):
        if version != API_VERSION:
            return json_error(
                404,
                "unsupported_version",
                f"API version {version!r} is not served here; use {API_VERSION!r}.",
                {"supported_versions": [API_VERSION]},
            )
        return json_error(404, "not_found", f"No endpoint {endpoint!r} in API {API_VERSION}.")
