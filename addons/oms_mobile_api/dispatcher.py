import logging

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from odoo.addons.fastapi.fastapi_dispatcher import FastApiDispatcher
from odoo.exceptions import AccessDenied
from odoo.http import request

from .errors import error_response


def use_lang(lang):
    """The caller's language, once its API key is known: the language of the request's
    error messages. (The FastAPI app runs with the context variables of the request, so
    that the dependencies see the Odoo request and its dispatcher.)"""
    if request and isinstance(request.dispatcher, OmsApiDispatcher):
        request.dispatcher.caller_lang = lang or "en_US"


class OmsApiDispatcher(FastApiDispatcher):
    """OCA ``fastapi``'s dispatcher, with the error responses of the mobile API.

    The routes of the ``oms_mobile_api`` endpoint have this routing type (see
    ``fastapi.endpoint._get_routing_info``): exceptions raised by the app reach Odoo, which
    rolls back (and retries serialization failures), then come here to become
    ``{"error": {"code", "message", "details"}}`` answers, whose messages are in the
    caller's language: the user's of the API key, else the one the Accept-Language header
    asks among the database's active languages, else English."""

    routing_type = "oms_api"

    def __init__(self, request):
        super().__init__(request)
        self.caller_lang = None

    def dispatch(self, endpoint, args):
        # The app's environment (before authentication) in the language the client asks
        # for among the active ones, else English (Odoo's default would be the browser's
        # language, active or not).
        env = self.request.env
        lang = self._accepted_lang() or "en_US"
        self.request.env = env(context=dict(env.context, lang=lang))
        return super().dispatch(endpoint, args)

    def _accepted_lang(self):
        header = self.request.httprequest.headers.get("Accept-Language")
        # sudo: matches the header with the active languages, nothing else.
        return self.request.env["res.lang"].sudo()._get_lang_from_accept_language(header)

    def _key_lang(self):
        """The language of the user of the request's API key, if valid."""
        scheme, _, key = (self.request.httprequest.headers.get("Authorization") or "").partition(
            " "
        )
        if scheme.lower() != "bearer" or not key.strip():
            return None
        env = self.request.env
        try:
            # sudo: Odoo's check of the key itself, as the API's authentication does.
            user_id = env["res.users.apikeys"].sudo()._oms_api_check_key(key.strip())
        except AccessDenied:
            return None
        # sudo: the language of the key's user, nothing else.
        return env["res.users"].sudo().browse(user_id).lang

    def _error_env(self, exc):
        lang = self.caller_lang
        if lang is None and isinstance(exc, RequestValidationError | StarletteHTTPException):
            # Refused before authentication (a body that is not JSON, no such endpoint),
            # with no database work done: the key's user, if any, is still the caller.
            lang = self._key_lang()
        lang = lang or self._accepted_lang() or "en_US"
        return self.request.env(context=dict(self.request.env.context, lang=lang))

    def handle_error(self, exc):
        status, body, headers = error_response(
            exc, self.request.httprequest.path, self._error_env(exc)
        )
        if isinstance(exc, RequestValidationError | StarletteHTTPException):
            # A client error: one line in the log, as Odoo does for its own client errors
            # (it would log a traceback for these exceptions it does not know).
            exc.loglevel = logging.INFO
        return self.request.make_json_response(body, status=status, headers=headers)
