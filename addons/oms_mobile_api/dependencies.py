"""FastAPI dependencies of the mobile API: the caller's API key, its rate limit, the Odoo
environment of the calling user and idempotency keys; and the route class that replays and
records idempotent responses."""

import hashlib
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from odoo.addons.base.models.res_users import INDEX_SIZE
from odoo.addons.fastapi.context import odoo_env_ctx
from odoo.api import Environment
from odoo.exceptions import AccessDenied

from .dispatcher import use_lang
from .errors import IdempotencyKeyInUse, IdempotencyKeyReused, RateLimited, Unauthorized

DEFAULT_RATE_LIMIT = 600
# Sign-ins (POST /auth/token) a client address may try in a minute, and a login in an
# hour, at most, whatever the API's own limit (system parameters may change them).
SIGN_IN_LIMIT_PER_ADDRESS = 20
SIGN_IN_LIMIT_PER_ADDRESS_PARAM = "oms_mobile_api.sign_in_limit_per_address"
SIGN_IN_LIMIT_PER_LOGIN = 10
SIGN_IN_LIMIT_PER_LOGIN_PARAM = "oms_mobile_api.sign_in_limit_per_login"

bearer_scheme = HTTPBearer(
    scheme_name="apiKey",
    description="An API key of the calling user: one `POST /auth/token` gave the app, or "
    "one the user made in Odoo (*Preferences > Account Security > New API Key*), sent as "
    "`Authorization: Bearer <key>`. Every call runs as that user.",
    auto_error=False,
)


@dataclass(frozen=True)
class ApiKey:
    user_id: int
    bucket: str  # what the rate limit counts: one API key of the user


async def endpoint_env() -> Environment:
    """The environment the ``fastapi`` dispatcher set for the request (its ``odoo_env``
    dependency, without its company override: the caller's companies apply)."""
    return odoo_env_ctx.get()


# The dependencies are coroutines: they run on the request's event loop, without the
# thread hops of synchronous dependencies (the routes, which do the work, run in threads).


async def api_key(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    env: Annotated[Environment, Depends(endpoint_env)],
) -> ApiKey:
    """The user of the Bearer API key; 401 without a valid key."""
    if credentials is None or not credentials.credentials:
        raise Unauthorized(env._("Missing API key: send the header 'Authorization: Bearer <key>'."))
    key = credentials.credentials
    try:
        # Odoo's own check of API keys: active user, key not expired, the scope of
        # this API or a global key.
        user_id = env["res.users.apikeys"]._oms_api_check_key(key)
    except AccessDenied:
        raise Unauthorized(env._("Invalid or expired API key.")) from None
    # The key's index (its first characters, stored in clear by Odoo) tells the user's
    # keys apart for the rate limit, without keeping the key itself.
    return ApiKey(user_id=user_id, bucket=f"{user_id}:{key[:INDEX_SIZE]}")


async def rate_limit_per_minute() -> int:
    """Requests a key may make in a minute; the endpoint overrides it with its setting."""
    return DEFAULT_RATE_LIMIT


def fixed_rate_limit(limit):
    """An override of ``rate_limit_per_minute`` answering ``limit``."""

    async def configured_rate_limit() -> int:
        return limit

    return configured_rate_limit


async def rate_limit(
    key: Annotated[ApiKey, Depends(api_key)],
    limit: Annotated[int, Depends(rate_limit_per_minute)],
    env: Annotated[Environment, Depends(endpoint_env)],
) -> None:
    """429 Too Many Requests, with Retry-After, once a key made ``limit`` requests in the
    current minute. The counters are in PostgreSQL: they hold across workers and servers."""
    if limit <= 0:
        return
    # sudo: API bookkeeping without user access; _hit only counts the caller's own key.
    hits, retry_after = env["oms.api.rate.limit"].sudo()._hit(key.bucket)
    if hits > limit:
        raise RateLimited(
            env._(
                "Rate limit of %(limit)s requests a minute reached for this API key; "
                "retry in %(seconds)s s.",
                limit=limit,
                seconds=retry_after,
            ),
            details={"limit": limit, "retry_after": retry_after},
            headers={"Retry-After": str(retry_after)},
        )


def _sign_in_limit(env, param, default):
    """The positive integer of system parameter ``param``, else ``default``: sign-in
    throttling cannot be switched off (neither by the per-key rate limit)."""
    # sudo: reads one system parameter of this module.
    value = env["ir.config_parameter"].sudo().get_param(param)
    try:
        limit = int(value)
    except (TypeError, ValueError):
        return default
    return limit if limit > 0 else default


def _throttle_sign_in(env, bucket, limit, window, message):
    # sudo: API bookkeeping without user access; _hit only counts the bucket given here.
    hits, retry_after = env["oms.api.rate.limit"].sudo()._hit(bucket, window=window)
    if hits > limit:
        raise RateLimited(
            env._("%(refusal)s; retry in %(seconds)s s.", refusal=message, seconds=retry_after),
            details={"limit": limit, "retry_after": retry_after},
            headers={"Retry-After": str(retry_after)},
        )


async def login_rate_limit(
    request: Request,
    env: Annotated[Environment, Depends(endpoint_env)],
) -> None:
    """429 with Retry-After once a client address tried more sign-ins than
    ``oms_mobile_api.sign_in_limit_per_address`` (default 20) in the current minute.
    Counted in PostgreSQL, with the keys' counters: the limit holds across workers and
    servers."""
    limit = _sign_in_limit(env, SIGN_IN_LIMIT_PER_ADDRESS_PARAM, SIGN_IN_LIMIT_PER_ADDRESS)
    address = request.client.host if request.client else "unknown"
    _throttle_sign_in(
        env,
        f"login:{address}",
        limit,
        60,
        env._("Too many sign-in attempts from this address (%s a minute)", limit),
    )


def sign_in_rate_limit_per_login(env, login):
    """429 with Retry-After once ``login`` was tried more than
    ``oms_mobile_api.sign_in_limit_per_login`` times (default 10) in the current hour,
    from any address, right or wrong: guessing a password (or a two-factor code) of one
    account from many addresses stays slow. The counter is keyed by a digest of the login,
    which it does not keep."""
    limit = _sign_in_limit(env, SIGN_IN_LIMIT_PER_LOGIN_PARAM, SIGN_IN_LIMIT_PER_LOGIN)
    digest = hashlib.sha256(login.strip().lower().encode()).hexdigest()[:32]
    _throttle_sign_in(
        env,
        f"login-user:{digest}",
        limit,
        3600,
        env._("Too many sign-in attempts for this login (%s an hour)", limit),
    )


async def authenticated_env(
    request: Request,
    key: Annotated[ApiKey, Depends(api_key)],
    env: Annotated[Environment, Depends(endpoint_env)],
) -> Environment:
    """The environment of the calling user: its rights, record rules, language, time zone
    and companies (all of the user's companies, its default company first)."""
    user_env = env(user=key.user_id, su=False)
    user = user_env.user
    # The user's language, time zone and companies, from Odoo's caches.
    context = dict(env.context, **user_env["res.users"].context_get())
    company_ids = user._get_company_ids()
    context["allowed_company_ids"] = [
        user.company_id.id,
        *(company_id for company_id in company_ids if company_id != user.company_id.id),
    ]
    accepted = env["res.lang"]._get_lang_from_accept_language(
        request.headers.get("Accept-Language")
    )
    if accepted:
        context["lang"] = accepted
    caller_env = user_env(context=context)
    # The language of the request's error messages too (see OmsApiDispatcher).
    use_lang(caller_env.lang)
    # The caller is the user of the transaction, as after Odoo's own API key authentication
    # (request.update_env): Odoo flushes with it and checks relational commands against it.
    caller_env.transaction.default_env = caller_env
    # The route class flushes it before answering.
    request.state.oms_env = caller_env
    return caller_env


UserEnv = Annotated[Environment, Depends(authenticated_env)]

IDEMPOTENCY_KEY_DOC = (
    "A unique key (e.g. a UUID) chosen by the client for this operation, as in the IETF "
    "`Idempotency-Key` header draft. A retry with the same key and the same body answers "
    "the first response (status and body, with the header `Idempotent-Replayed: true`) and "
    "does nothing again; the same key with another body answers 422; a retry while the "
    "first request still runs answers 409. Keys are kept per user for at least 24 hours."
)
IDEMPOTENCY_KEY_PATTERN = r'^"?[\x21\x23-\x7e]{1,255}"?$'


class IdempotentReplay(Exception):
    """The request was already served: answer its recorded response."""

    def __init__(self, response):
        super().__init__()
        self.response = response


async def _claim_idempotency_key(request, env, key):
    key = key.strip('"')  # a structured-field string may come quoted
    body = await request.body()
    fingerprint = hashlib.sha256(
        f"{request.method} {request.url.path}\n".encode() + body
    ).hexdigest()
    # sudo: the table is the API's bookkeeping; every row is scoped to env.uid.
    status, record = env["oms.api.idempotency"].sudo()._claim(env.uid, key, fingerprint)
    if status == "running":
        raise IdempotencyKeyInUse(
            env._("A request with this Idempotency-Key is still being processed; retry later."),
            headers={"Retry-After": "1"},
        )
    if status == "mismatch":
        raise IdempotencyKeyReused(
            env._(
                "This Idempotency-Key was already used for another request (another body "
                "or endpoint); use a new key for a new request."
            )
        )
    if status == "done":
        raise IdempotentReplay(
            Response(
                content=record.response_body,
                status_code=record.status_code,
                media_type="application/json",
                headers={"Idempotent-Replayed": "true"},
            )
        )
    request.state.oms_idempotency = record


async def idempotency_key_required(
    request: Request,
    env: UserEnv,
    idempotency_key: Annotated[
        str,
        Header(
            alias="Idempotency-Key",
            description=IDEMPOTENCY_KEY_DOC + " Required on this operation.",
            pattern=IDEMPOTENCY_KEY_PATTERN,
        ),
    ],
) -> None:
    await _claim_idempotency_key(request, env, idempotency_key)


async def idempotency_key_optional(
    request: Request,
    env: UserEnv,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description=IDEMPOTENCY_KEY_DOC,
            pattern=IDEMPOTENCY_KEY_PATTERN,
        ),
    ] = None,
) -> None:
    if idempotency_key:
        await _claim_idempotency_key(request, env, idempotency_key)


class OmsApiRoute(APIRoute):
    """Flushes the caller's environment before answering (computations run as the caller,
    and a constraint that fails at flush time fails the request), replays the recorded
    response of a repeated idempotent request and records the response of a new one, in
    the same transaction as its effects."""

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def route_handler(request: Request) -> Response:
            try:
                response = await handler(request)
            except IdempotentReplay as replay:
                return replay.response
            env = getattr(request.state, "oms_env", None)
            if env is not None:
                env.flush_all()
            claim = getattr(request.state, "oms_idempotency", None)
            if claim is not None and 200 <= response.status_code < 300:
                claim._record_response(response.status_code, response.body.decode())
            return response

        return route_handler
