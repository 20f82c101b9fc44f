from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import HTTPAuthorizationCredentials

from odoo.api import Environment
from odoo.exceptions import AccessDenied, AccessError

from ..dependencies import (
    OmsApiRoute,
    UserEnv,
    bearer_scheme,
    endpoint_env,
    login_rate_limit,
    sign_in_rate_limit_per_login,
)
from ..errors import Forbidden, Unauthorized
from ..schemas import Revoked, Token, TokenRequest
from ..schemas.common import reference, utc
from .common import api_router, errors

router = api_router("session")
public_router = APIRouter(
    tags=["session"],
    route_class=OmsApiRoute,
    dependencies=[Depends(login_rate_limit)],
    responses=errors(400, 429, 500),
)


@public_router.post(
    "/auth/token",
    status_code=201,
    summary="Sign in: an API key for this device",
    responses=errors(401, 403),
)
def create_token(env: Annotated[Environment, Depends(endpoint_env)], body: TokenRequest) -> Token:
    """Exchanges the login and password of an Odoo user (and the current code of the
    user's authenticator app, when the user has two-factor authentication) for a new API
    key of this device. The key opens this API only (not Odoo's other APIs), lives `days`
    days at most and never longer than Odoo allows the user's groups (`expires_at` says
    until when); a user keeps a few app keys at most (the oldest goes). It is in this
    response only: the app keeps it. A wrong login, password or code answer the same 401;
    users Odoo gives no API key (portal users, unless *Customer API Keys* is on) get 403.
    Sign-in attempts are limited per client address and per login."""
    sign_in_rate_limit_per_login(env, body.login)
    try:
        key, user, expires_at, name = env["res.users.apikeys"]._oms_api_sign_in(
            body.login, body.password, body.device, body.days, totp=body.totp
        )
    except AccessDenied:
        raise Unauthorized(env._("Wrong login, password or two-factor code.")) from None
    except AccessError as refusal:
        raise Forbidden(
            env._("%s: this account cannot sign in to the app.", refusal.args[0]),
        ) from None
    return Token(
        key=key, token_type="Bearer", expires_at=utc(expires_at), device=name, user=reference(user)
    )


@router.post("/auth/revoke", summary="Sign out: remove the calling API key")
def revoke_token(
    env: UserEnv,
    credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer_scheme)],
) -> Revoked:
    """Removes the API key of the request (the app signs out): every later call with it
    answers 401, on every worker at once."""
    if not env["res.users.apikeys"]._oms_api_revoke(credentials.credentials):
        raise Unauthorized(env._("Invalid or expired API key."))  # removed meanwhile
    return Revoked(revoked=True)
