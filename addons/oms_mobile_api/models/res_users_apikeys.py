import hashlib
import re
import time
from datetime import datetime, timedelta

from odoo import api, models, tools
from odoo.addons.base.models.res_users import INDEX_SIZE, KEY_CRYPT_CONTEXT
from odoo.exceptions import AccessDenied
from odoo.fields import Domain
from odoo.tools import SQL

DEVICE_KEY_NAME = "OMS app: {device}"
# The scope of the keys the app's sign-in mints: they open this API only. Odoo's JSON-2,
# XML-RPC and JSON-RPC accept global keys (no scope) and refuse any other scope.
API_KEY_SCOPE = "oms_mobile_api"
MAX_APP_KEYS_PARAM = "oms_mobile_api.max_app_keys"
DEFAULT_MAX_APP_KEYS = 5


class ResUsersApikeys(models.Model):
    _inherit = "res.users.apikeys"

    @api.model
    def _oms_api_check_key(self, key):
        """The user of ``key``, or ``AccessDenied``: an API key of this API (its scope) or
        a global key the user made in the preferences, checked by Odoo (active user, key
        not expired).

        Verifying a key's hash takes milliseconds by design: a verified key is remembered
        by its SHA-256 digest (never the key itself) for the rest of the minute. Removing a
        key, or archiving or changing its user, clears the cache of every worker at once;
        an expired key stops working at the latest a minute after its expiration."""
        digest = hashlib.sha256(key.encode()).hexdigest()
        return self._oms_api_check_key_cached(digest, int(time.time() // 60), key)

    @api.model
    @tools.ormcache("digest", "minute")
    def _oms_api_check_key_cached(self, digest, minute, key):
        user_id = self._check_credentials(scope=API_KEY_SCOPE, key=key)
        if not user_id:
            raise AccessDenied()  # not cached: only valid keys are
        return user_id

    @api.model
    def _oms_api_sign_in(self, login, password, device, days, totp=None):
        """A new API key of this API for ``device``, for the user of ``login`` and
        ``password`` (and ``totp``, the code of a user with two-factor authentication):
        ``(key, user, expiration date, key name)``.

        Raises ``AccessDenied`` for a wrong login, password or code, whichever it is (Odoo's
        own sign-in: active user, password, cooldown after failures), and ``AccessError``
        for a user Odoo gives no API key (a portal user, unless *Customer API Keys* is on).
        The key lives ``days`` days, at most what Odoo allows the user's groups; the user's
        oldest app keys go beyond the cap on app keys, and the user is told by e-mail."""
        users = self.env["res.users"]
        credential = {"type": "password", "login": login.strip(), "password": password}
        auth_info = users.authenticate(credential, {"interactive": True})
        # From here on as the user who signed in (``env.user`` is Odoo's superuser record
        # of the current user, as in Odoo's own sign-in and preferences).
        keys = self.with_user(auth_info["uid"])
        user = keys.env.user
        keys._oms_api_check_second_factor(totp)
        # Who may have an API key, as in Odoo's "New API Key" wizard of the preferences.
        keys.env["res.users.apikeys.description"].check_access_make_key()
        life = timedelta(days=min(days, keys._oms_api_max_days()))
        expiration_date = (datetime.now() + life).replace(microsecond=0)
        name = DEVICE_KEY_NAME.format(device=device.strip())
        keys._oms_api_make_room()
        # As the user (no sudo): Odoo refuses a life longer than its groups allow.
        key = keys._generate(API_KEY_SCOPE, name, expiration_date)
        keys._oms_api_notify_new_key(name, expiration_date)
        return key, user, expiration_date, name

    def _oms_api_check_second_factor(self, code):
        """``AccessDenied`` unless the current user has no second factor, or ``code`` is
        its valid TOTP code (Odoo's own check: one use per code, Odoo's rate limit)."""
        user = self.env.user
        mfa = user._mfa_type()
        if not mfa:
            return
        if mfa != "totp" or not code:
            # A password alone opens nothing; the same answer as a wrong password.
            raise AccessDenied()
        try:
            token = int(re.sub(r"\s", "", code))
        except ValueError:
            raise AccessDenied() from None
        user._check_credentials({"type": "totp", "token": token}, {"interactive": True})

    @api.model
    def _oms_api_max_days(self):
        """Days an API key of the current user may live: Odoo's rule, the longest
        *API Keys maximum duration days* of the user's groups, one day if none has one."""
        return max(self.env.user.all_group_ids.mapped("api_key_duration"), default=0) or 1.0

    @api.model
    def _oms_api_max_keys(self):
        # sudo: reads one system parameter of this module.
        value = self.env["ir.config_parameter"].sudo().get_param(MAX_APP_KEYS_PARAM)
        try:
            limit = int(value)
        except (TypeError, ValueError):
            return DEFAULT_MAX_APP_KEYS
        return limit if limit > 0 else DEFAULT_MAX_APP_KEYS

    @api.model
    def _oms_api_make_room(self):
        """Remove the current user's oldest live app keys, so that the key about to be
        made keeps them within the cap. Keys made in the preferences are left alone."""
        live = self.search(
            Domain("user_id", "=", self.env.uid)
            & Domain("scope", "=", API_KEY_SCOPE)
            & (
                Domain("expiration_date", "=", False)
                | Domain("expiration_date", ">=", self.env.cr.now())
            ),
            order="create_date desc, id desc",
        )
        # Odoo's removal, as the user: logged, and every worker forgets the keys at once.
        live[self._oms_api_max_keys() - 1 :]._remove()

    @api.model
    def _oms_api_notify_new_key(self, name, expiration_date):
        """Odoo's security e-mail to the user: a new key opens the account."""
        user = self.env.user.with_context(lang=self.env.user.lang)
        user._notify_security_setting_update(
            user.env._("Security Update: New API Key"),
            user.env._(
                "A new API key was created for your account by a sign-in to the mobile app: "
                "%(name)s, valid until %(date)s (UTC). If it was not you, remove it in your "
                "preferences (Account Security) and change your password.",
                name=name,
                date=expiration_date,
            ),
        )

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
