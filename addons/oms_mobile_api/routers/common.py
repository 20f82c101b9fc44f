from fastapi import APIRouter, Depends

from ..dependencies import OmsApiRoute, rate_limit
from ..errors import NotFound, UnknownReference
from ..schemas import ErrorResponse

RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before sending the request again.",
        "schema": {"type": "string"},
    }
}
ERRORS = {
    400: "Malformed JSON, wrong types or values (`details.fields` names them), or an "
    "invalid cursor.",
    401: "Missing, invalid or expired API key.",
    403: "The user is not allowed to do this (access rights).",
    404: "No such record for this user (also for records of another company).",
    409: "Conflict: the request's Idempotency-Key is used by a request still running, or "
    "another request changed the same records at the same time (try again).",
    422: "A business rule refused the request (`message` says why), an id in the body "
    "does not exist, or the Idempotency-Key was used for another request.",
    429: "Over the rate limit of the API key: retry after `Retry-After` seconds.",
    500: "Unexpected server error.",
}


def errors(*statuses):
    """The documented error responses of a route, all of them ``ErrorResponse``."""
    return {
        status: {
            "model": ErrorResponse,
            "description": ERRORS[status],
            **({"headers": RETRY_AFTER} if status in (409, 429) else {}),
        }
        for status in statuses
    }


def api_router(tag):
    """A router of authenticated, rate-limited routes; every route may answer 400, 401,
    403, 409 (concurrent update), 429 and 500."""
    return APIRouter(
        tags=[tag],
        route_class=OmsApiRoute,
        dependencies=[Depends(rate_limit)],
        responses=errors(400, 401, 403, 409, 429, 500),
    )


def _model_name(env, model):
    """The name of ``model`` in the caller's language (e.g. "Sales Order")."""
    return env["ir.model"]._get(model).name or env[model]._description


def get_record(env, model, record_id, active_test=True):
    """The record the caller sees, or 404 (missing, or hidden by record rules such as
    those of other companies)."""
    record = env[model].with_context(active_test=active_test).search([("id", "=", record_id)])
    if not record:
        raise NotFound(
            env._("No %(model)s with id %(id)s.", model=_model_name(env, model), id=record_id)
        )
    return record


def get_reference(env, model, record_id, field):
    """A record referenced by the body, or 422 naming the field."""
    if not record_id:
        return env[model]
    record = env[model].search([("id", "=", record_id)])
    if not record:
        raise UnknownReference(
            env._(
                "%(field)s: no %(model)s with id %(id)s.",
                field=field,
                model=_model_name(env, model),
                id=record_id,
            ),
            details={"field": field, "id": record_id},
        )
    return record
