import logging

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from odoo.addons.fastapi.fastapi_dispatcher import FastApiDispatcher

from .errors import error_response


class OmsApiDispatcher(FastApiDispatcher):
    """OCA ``fastapi``'s dispatcher, with the error responses of the mobile API.

    The routes of the ``oms_mobile_api`` endpoint have this routing type (see
    ``fastapi.endpoint._get_routing_info``): exceptions raised by the app reach Odoo, which
    rolls back (and retries serialization failures), then come here to become
    ``{"error": {"code", "message", "details"}}`` answers. Other FastAPI apps keep OCA's
    own error format."""

    routing_type = "oms_api"

    def handle_error(self, exc):
        status, body, headers = error_response(exc, self.request.httprequest.path)
        if isinstance(exc, RequestValidationError | StarletteHTTPException):
            # A client error: one line in the log, as Odoo does for its own client errors
            # (it would log a traceback for these exceptions it does not know).
            exc.loglevel = logging.INFO
        return self.request.make_json_response(body, status=status, headers=headers)
