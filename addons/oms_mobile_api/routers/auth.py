from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import HTTPAuthorizationCredentials

from odoo.addons.base.models.res_users import INDEX_SIZE, KEY_CRYPT_CONTEXT
from odoo.api import Environment
from odoo.exceptions import AccessDenied
from odoo.tools import SQL

from ..dependencies import OmsApiRoute, UserEnv, bearer_scheme, endpoint_env, login_rate_limit
from ..errors import TwoFactorRequired, Unauthorized
from ..schemas import Revoked, Token, TokenRequest
from ..schemas.common import reference, utc
from .common import api_router, errors

KEY_NAME = "OMS app: {device}"

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
    users = env["res.users"]
    credential = {"type": "password", "login": body.login.strip(), "password": body.password}
    try:
        # Odoo's own sign-in: active user, password, login cooldown after failures.
        auth_info = users.authenticate(credential, {"interactive": True})
    except AccessDenied:
        raise Unauthorized("Wrong login or password.") from None
    user = users.browse(auth_info["uid"])
    if user.sudo()._mfa_type():
        raise TwoFactorRequired(
            "Your account uses two-factor authentication: a password alone cannot sign in "
            "here. In Odoo, open your Preferences > Account Security > New API Key, then "
            "sign in to the app with that key.",
            details={"mfa": user.sudo()._mfa_type()},
        )
    expires_at = (datetime.now() + timedelta(days=body.days)).replace(microsecond=0)
    name = KEY_NAME.format(device=body.device.strip())
    # sudo: the password was just checked; as the user, Odoo caps a key's life to its
    # groups' API key duration (one day by default), too short for a phone.
    key = env["res.users.apikeys"].with_user(user).sudo()._generate(None, name, expires_at)
    return Token(
        key=key,
        token_type="Bearer",
        expires_at=utc(expires_at),
        device=name,
        user=reference(user.sudo()),
    )


@router.post("/auth/revoke", summary="Sign out: remove the calling API key")
def revoke_token(
    env: UserEnv,
    credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer_scheme)],
) -> Revoked:
    """Removes the API key of the request (the app signs out): every later call with it
    answers 401, on every worker at once."""
    key = credentials.credentials
    apikeys = env["res.users.apikeys"]
    env.cr.execute(
        SQL(
            "SELECT id, key FROM %s WHERE user_id = %s AND index = %s",
            SQL.identifier(apikeys._table),
            env.uid,
            key[:INDEX_SIZE],
        )
    )
    for key_id, hashed in env.cr.fetchall():
        if KEY_CRYPT_CONTEXT.verify(key, hashed):
            # The caller's own key: Odoo's removal (logged, and clearing the caches of
            # every worker, so the key stops at once).
            apikeys.browse(key_id)._remove()
            return Revoked(revoked=True)
    raise Unauthorized("Invalid or expired API key.")  # removed meanwhile
