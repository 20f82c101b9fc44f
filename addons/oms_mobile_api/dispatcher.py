import logging

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from odoo.addons.fastapi.fastapi_dispatcher import FastApiDispatcher
from odoo.http import request

from .errors import error_response


def use_lang(lang):
    """Sets the language of the current request's Odoo environment (the one the
    dispatcher answers errors with): the caller's, once its API key is known. The
    FastAPI app runs with the request's context (variables included), so that the
    dependencies see the Odoo request of the dispatcher."""
    if request:
        request.env = request.env(context=dict(request.env.context, lang=lang or "en_US"))


class OmsApiDispatcher(FastApiDispatcher):
    """OCA ``fastapi``'s dispatcher, with the error responses of the mobile API.

    The routes of the ``oms_mobile_api`` endpoint have this routing type (see
    ``fastapi.endpoint._get_routing_info``): exceptions raised by the app reach Odoo, which
    rolls back (and retries serialization failures), then come here to become
    ``{"error": {"code", "message", "details"}}`` answers, whose messages are in the
    caller's language: before authentication the one its Accept-Language header asks
    among the database's active languages (else English), after it the user's."""

    routing_type = "oms_api"

    def dispatch(self, endpoint, args):
        header = self.request.httprequest.headers.get("Accept-Language")
        # sudo: matches the header with the active languages, nothing else.
        use_lang(self.request.env["res.lang"].sudo()._get_lang_from_accept_language(header))
        return super().dispatch(endpoint, args)

    def handle_error(self, exc):
        status, body, headers = error_response(exc, self.request.httprequest.path, self.request.env)
        if isinstance(exc, RequestValidationError | StarletteHTTPException):
            # A client error: one line in the log, as Odoo does for its own client errors
            # (it would log a traceback for these exceptions it does not know).
            exc.loglevel = logging.INFO
        return self.request.make_json_response(body, status=status, headers=headers)
