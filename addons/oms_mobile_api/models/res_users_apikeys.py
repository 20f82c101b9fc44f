import hashlib
import time
from datetime import datetime, timedelta

from odoo import api, models, tools
from odoo.addons.base.models.res_users import INDEX_SIZE, KEY_CRYPT_CONTEXT
from odoo.exceptions import AccessDenied
from odoo.tools import SQL

DEVICE_KEY_NAME = "OMS app: {device}"


class TwoFactorRequired(AccessDenied):
    """The user signs in with a second factor: a password alone opens nothing."""


class ResUsersApikeys(models.Model):
    _inherit = "res.users.apikeys"

    @api.model
    def _oms_api_check_key(self, key):
        """The user of ``key``, an API key valid for RPC (Odoo's own check: active user,
        key not expired), or ``AccessDenied``.

        Verifying a key's hash takes milliseconds by design: a verified key is remembered
        by its SHA-256 digest (never the key itself) for the rest of the minute. Removing a
        key, or archiving or changing its user, clears the cache of every worker at once;
        an expired key stops working at the latest a minute after its expiration."""
        digest = hashlib.sha256(key.encode()).hexdigest()
        return self._oms_api_check_key_cached(digest, int(time.time() // 60), key)

    @api.model
    @tools.ormcache("digest", "minute")
    def _oms_api_check_key_cached(self, digest, minute, key):
        user_id = self._check_credentials(scope="rpc", key=key)
        if not user_id:
            raise AccessDenied()  # not cached: only valid keys are
        return user_id

    @api.model
    def _oms_api_sign_in(self, login, password, device, days):
        """A new API key of ``device`` for the user of ``login`` and ``password``, valid
        ``days`` days: ``(key, user, expiration date, key name)``.

        Raises ``AccessDenied`` for a wrong login or password (Odoo's own sign-in: active
        user, password, cooldown after failures) and ``TwoFactorRequired`` for a user with
        two-factor authentication."""
        users = self.env["res.users"]
        credential = {"type": "password", "login": login.strip(), "password": password}
        auth_info = users.authenticate(credential, {"interactive": True})
        user = users.browse(auth_info["uid"])
        mfa = user.sudo()._mfa_type()
        if mfa:
            raise TwoFactorRequired(mfa)
        expiration_date = (datetime.now() + timedelta(days=days)).replace(microsecond=0)
        name = DEVICE_KEY_NAME.format(device=device.strip())
        # sudo: the password was just checked; as the user, Odoo caps a key's life to its
        # groups' API key duration (one day by default), too short for a phone.
        key = self.with_user(user).sudo()._generate(None, name, expiration_date)
        return key, user.sudo(), expiration_date, name

    @api.model
    def _oms_api_revoke(self, key):
        """Remove ``key``, an API key of the current user (sign-out); False if it is not
        one (any more)."""
        self.env.cr.execute(
            SQL(
                "SELECT id, key FROM %s WHERE user_id = %s AND index = %s",
                SQL.identifier(self._table),
                self.env.uid,
                key[:INDEX_SIZE],
            )
        )
        for key_id, hashed in self.env.cr.fetchall():
            if KEY_CRYPT_CONTEXT.verify(key, hashed):
                # Odoo's removal: logged, and clearing the caches of every worker (the
                # verified keys above included), so the key stops at once.
                self.browse(key_id)._remove()
                return True
        return False
