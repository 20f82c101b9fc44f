from functools import partial

from fastapi import FastAPI

from odoo import api, fields, models
from odoo.tools.translate import code_translations

from ..dependencies import fixed_rate_limit, rate_limit_per_minute
from ..dispatcher import OmsApiDispatcher
from ..errors import API_VERSION
from ..middleware import OmsASGIMiddleware
from ..routers import api_router

APP = "oms_mobile_api"

OPENAPI_TAGS = [
    {"name": "session", "description": "The calling user and the API version."},
    {"name": "orders", "description": "Sales history, order intake, acceptance and invoicing."},
    {"name": "customers", "description": "Customer list, details and creation."},
    {"name": "products", "description": "Catalog, stock availability and promise dates."},
    {"name": "purchase orders", "description": "Ordering goods from vendors."},
    {"name": "emails", "description": "E-mails to customers, logged on the document."},
]


def _openapi_without_validation_422(app):
    """FastAPI's OpenAPI document, less the 422 responses FastAPI adds for request
    validation errors: this API answers them 400 with its own error body (documented on
    every route)."""
    if not app.openapi_schema:
        document = FastAPI.openapi(app)
        for path_item in document.get("paths", {}).values():
            for operation in path_item.values():
                response = operation.get("responses", {}).get("422", {})
                if "HTTPValidationError" in str(response):
                    del operation["responses"]["422"]
        schemas = document.get("components", {}).get("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        app.openapi_schema = document
    return app.openapi_schema


class FastapiEndpoint(models.Model):
    _inherit = "fastapi.endpoint"

    app = fields.Selection(selection_add=[(APP, "OMS Mobile API")], ondelete={APP: "cascade"})
    oms_rate_limit = fields.Integer(
        string="Requests per Minute per API Key",
        default=600,
        help="Requests one API key may make in a minute before it is answered 429 "
        "Too Many Requests; 0 for no limit.",
    )

    @api.model
    def _fastapi_app_fields(self):
        return [*super()._fastapi_app_fields(), "oms_rate_limit"]

    def _get_fastapi_routers(self):
        if self.app == APP:
            return [api_router]
        return super()._get_fastapi_routers()

    def _get_routing_info(self):
        routing = super()._get_routing_info()
        if self.app == APP:
            routing["type"] = OmsApiDispatcher.routing_type
        return routing

    @api.model
    def get_app(self, path):
        app = super().get_app(path)
        record = self._get_endpoint(path)
        if record and record.app == APP:
            app = OmsASGIMiddleware(app.app)
        return app

    def _get_app(self):
        app = super()._get_app()
        if self.app == APP:
            app.openapi = partial(_openapi_without_validation_422, app)
        return app

    def _get_app_dependencies_overrides(self):
        overrides = super()._get_app_dependencies_overrides()
        if self.app == APP:
            overrides[rate_limit_per_minute] = fixed_rate_limit(self.oms_rate_limit)
        return overrides

    def _prepare_fastapi_app_params(self):
        params = super()._prepare_fastapi_app_params()
        if self.app == APP:
            # sudo: reads the version of this module only, for the OpenAPI document.
            module = self.env["ir.module.module"].sudo().search([("name", "=", APP)])
            params.update(
                version=f"{API_VERSION} ({module.installed_version or module.latest_version})",
                openapi_tags=OPENAPI_TAGS,
            )
        return params

    @api.model
    def _oms_api_translation_modules(self):
        """The modules whose code translations (the terms of their JavaScript and templates,
        from their ``i18n/<lang>.po``) ``GET /translations`` serves: the API's own clients
        add theirs (``oms_mobile_app`` its app). The API itself has none."""
        return []

    @api.model
    def _oms_api_translations(self, lang):
        """``{English: translated}``: the code translations of those modules in ``lang``,
        as Odoo's web client gets them from ``/web/webclient/translations``."""
        messages = {}
        for module in self._oms_api_translation_modules():
            translations = code_translations.get_web_translations(module, lang)
            messages.update(
                (message["id"], message["string"]) for message in translations["messages"]
            )
        return messages

    @api.model
    def _oms_sync_registry(self):
        """Register the routes of the OMS Mobile API endpoints in Odoo's routing table, so
        that they are served right after the module is installed or upgraded."""
        endpoints = self.search([("app", "=", APP)])
        endpoints._handle_registry_sync()
        endpoints.filtered(lambda endpoint: not endpoint.registry_sync).registry_sync = True
