"""The errors of the API and their JSON shape: ``{"error": {"code", "message", "details"}}``.

Every exception raised while serving a request reaches Odoo's request handling, which rolls
the transaction back (and retries it on a serialization failure) and then asks the
dispatcher for the error response: :func:`error_response` builds it, so that nothing
half-written is ever committed and every error has the same shape.
"""

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from werkzeug.exceptions import HTTPException

from odoo.addons.oms_extended.concurrency import RETRYABLE_ERRORS
from odoo.addons.oms_extended.http_errors import error_body
from odoo.exceptions import AccessDenied, AccessError, MissingError, UserError

API_VERSION = "v1"


class ApiError(HTTPException):
    """An error answered as is: HTTP status ``code``, error code ``error_code``.

    A werkzeug ``HTTPException``, so that Odoo rolls the transaction back without logging
    a traceback, as for any client error."""

    code = 400
    error_code = "bad_request"

    def __init__(self, message, *, details=None, headers=None):
        super().__init__(description=message)
        self.details = details or {}
        self.extra_headers = headers or {}


class Unauthorized(ApiError):
    code = 401
    error_code = "unauthorized"

    def __init__(self, message):
        super().__init__(message, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(ApiError):
    code = 403
    error_code = "forbidden"


class NotFound(ApiError):
    code = 404
    error_code = "not_found"


class Conflict(ApiError):
    code = 409
    error_code = "conflict"


class IdempotencyKeyInUse(Conflict):
    error_code = "idempotency_key_in_use"


class BusinessRuleError(ApiError):
    code = 422
    error_code = "business_rule"


class IdempotencyKeyReused(BusinessRuleError):
    error_code = "idempotency_key_reused"


class UnknownReference(BusinessRuleError):
    error_code = "unknown_reference"


class InvalidRequest(ApiError):
    code = 400
    error_code = "invalid_request"


class RateLimited(ApiError):
    code = 429
    error_code = "rate_limited"


def _field_errors(exc):
    """FastAPI's validation errors as ``[{"field", "location", "message", "type"}]``."""
    fields = []
    for error in exc.errors():
        location, *path = error.get("loc") or ("body",)
        fields.append(
            {
                "field": ".".join(str(part) for part in path) or None,
                "location": location,
                "message": error.get("msg", ""),
                "type": error.get("type", ""),
            }
        )
    return fields


def error_response(exc, path, env):
    """``(status, body, headers)`` of the JSON answer to ``exc``, raised serving ``path``;
    the body is the suite's one error body (``oms_extended.http_errors.error_body``). The
    messages of the API's own errors are translated where they are raised; the others are
    translated here, in the language of ``env`` (the caller's, see the dispatcher)."""
    status, code, message = 500, "internal_error", env._("Internal server error.")
    details, headers = {}, {}
    if isinstance(exc, ApiError):
        status, code, message = exc.code, exc.error_code, exc.description
        details, headers = exc.details, exc.extra_headers
    elif isinstance(exc, RequestValidationError):
        fields = _field_errors(exc)
        malformed = any(field["type"] == "json_invalid" for field in fields)
        status = 400
        code = "malformed_json" if malformed else "invalid_request"
        message = (
            env._("The request body is not valid JSON.")
            if malformed
            else env._("The request is invalid: see details.fields.")
        )
        details = {"fields": fields}
    elif isinstance(exc, StarletteHTTPException):
        status = exc.status_code
        if status == 404:
            code = "not_found"
            message = env._(
                "No endpoint %(path)r in API %(version)s.", path=path, version=API_VERSION
            )
        elif status == 405:
            code, message = "method_not_allowed", env._("Method not allowed on %r.", path)
        else:
            code, message = "http_error", str(exc.detail)
        headers = dict(exc.headers or {})
    elif isinstance(exc, HTTPException) and exc.code:
        status, code, message = exc.code, "http_error", exc.description or exc.name
    elif isinstance(exc, AccessDenied | AccessError):
        status, code, message = 403, "forbidden", str(exc.args[0] if exc.args else exc)
    elif isinstance(exc, MissingError):
        status, code, message = 404, "not_found", str(exc.args[0] if exc.args else exc)
    elif isinstance(exc, UserError):
        status, code, message = 422, "business_rule", str(exc.args[0] if exc.args else exc)
    elif isinstance(exc, RETRYABLE_ERRORS):
        # Odoo retried the request and another transaction still got there first: the
        # client may send it again.
        status, code = 409, "concurrent_update"
        message = env._("Another request changed the same records at the same time; try again.")
        headers = {"Retry-After": "1"}
    return status, error_body(code, message, details), headers
