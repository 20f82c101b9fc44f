"""The one JSON error reply of the suite: ``{"error": {"code", "message", "details"}}``.

The mobile API (``oms_mobile_api``) and the carrier webhooks answer their errors in this
shape, with a 4xx (or 5xx) status; ``code`` is a stable machine-readable word, ``message``
says what to do, ``details`` holds what a client may act on (e.g. the invalid fields).
"""

from odoo.http import request


def error_body(code, message, details=None):
    """The body of an error reply."""
    return {"error": {"code": code, "message": message, "details": details or {}}}


def json_error(status, code, message, details=None, headers=None):
    """The error reply of the current request: ``error_body(...)`` as JSON, with ``status``."""
    return request.make_json_response(
        error_body(code, message, details), status=status, headers=headers
    )
