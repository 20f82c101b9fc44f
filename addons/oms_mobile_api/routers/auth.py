from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import HTTPAuthorizationCredentials

from odoo.api import Environment
from odoo.exceptions import AccessDenied

from ..dependencies import OmsApiRoute, UserEnv, bearer_scheme, endpoint_env, login_rate_limit
from ..errors import TwoFactorRequired, Unauthorized
from ..models.res_users_apikeys import TwoFactorRequired as UserHasTwoFactor
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
    """Exchanges the login and password of an Odoo user for a new API key of this device,
    valid `days` days. The key is in this response only: the app keeps it. Users with
    two-factor authentication get 403 and create a key in their Odoo preferences instead.
    Sign-in attempts are limited per client address."""
    try:
        key, user, expires_at, name = env["res.users.apikeys"]._oms_api_sign_in(
            body.login, body.password, body.device, body.days
        )
    except UserHasTwoFactor as mfa:
        raise TwoFactorRequired(
            "Your account uses two-factor authentication: a password alone cannot sign in "
            "here. In Odoo, open your Preferences > Account Security > New API Key, then "
            "sign in to the app with that key.",
            details={"mfa": mfa.args[0]},
        ) from None
    except AccessDenied:
        raise Unauthorized("Wrong login or password.") from None
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
        raise Unauthorized("Invalid or expired API key.")  # removed meanwhile
    return Revoked(revoked=True)
