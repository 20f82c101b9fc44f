import hashlib
import time

from odoo import api, models, tools
from odoo.exceptions import AccessDenied


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
