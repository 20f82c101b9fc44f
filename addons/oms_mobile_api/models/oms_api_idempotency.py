import hashlib
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

KEEP_HOURS = 24


class OmsApiIdempotency(models.Model):
    """The first response to each write sent with an ``Idempotency-Key``, per user.

    A key is claimed in the transaction of its request, under a transaction-level advisory
    lock, and its response is recorded in that same transaction: the key and the effects of
    the request commit together or not at all, so a retry never runs a request twice and a
    failed request leaves nothing behind. A request whose key is locked by another running
    request is answered 409 at once."""

    _name = "oms.api.idempotency"
    _description = "Mobile API Idempotency Key"
    _order = "id desc"

    user_id = fields.Many2one("res.users", required=True, ondelete="cascade", readonly=True)
    key = fields.Char(required=True, readonly=True)
    fingerprint = fields.Char(
        required=True, readonly=True, help="SHA-256 of the method, path and body."
    )
    status_code = fields.Integer(readonly=True)
    response_body = fields.Text(readonly=True)

    _user_key_unique = models.Constraint(
        "UNIQUE(user_id, key)", "An idempotency key is used once per user."
    )
    _create_date_index = models.Index("(create_date)")

    @api.model
    def _claim(self, user_id, key, fingerprint):
        """Claim ``key`` of ``user_id`` for the current transaction.

        Returns ``(status, record)``: ``("new", claim)`` for a first request (record its
        response with ``_record_response``), ``("done", record)`` when the key already
        served the same request, ``("mismatch", record)`` when it served another request,
        ``("running", None)`` while another transaction holds the key."""
        self.env.cr.execute(
            SQL("SELECT pg_try_advisory_xact_lock(%s)", self._lock_id(user_id, key))
        )
        if not self.env.cr.fetchone()[0]:
            return "running", None
        record = self.search([("user_id", "=", user_id), ("key", "=", key)])
        if record:
            return ("done" if record.fingerprint == fingerprint else "mismatch"), record
        # A request that committed this key after our snapshot was taken is invisible
        # here: the insert then fails with a serialization error, and Odoo retries the
        # whole request, which then finds the key (no duplicate, no unique violation).
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO oms_api_idempotency
                    (user_id, key, fingerprint, create_uid, create_date, write_uid, write_date)
                VALUES (%(user)s, %(key)s, %(fingerprint)s, %(uid)s,
                        now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC')
                ON CONFLICT (user_id, key) DO NOTHING
                RETURNING id
                """,
                user=user_id,
                key=key,
                fingerprint=fingerprint,
                uid=self.env.uid,
            )
        )
        row = self.env.cr.fetchone()
        if not row:  # only possible outside repeatable read: be safe, ask for a retry
            return "running", None
        return "new", self.browse(row[0])

    @api.model
    def _lock_id(self, user_id, key):
        """The PostgreSQL advisory lock of a key (64 bits of a hash: no collision)."""
        digest = hashlib.sha256(f"oms.api.idempotency:{user_id}:{key}".encode()).digest()
        return int.from_bytes(digest[:8], "big", signed=True)

    def _record_response(self, status_code, body):
        self.ensure_one()
        self.write({"status_code": status_code, "response_body": body})

    @api.autovacuum
    def _gc_expired_keys(self):
        """Forget the keys older than 24 hours (the daily vacuum keeps them 24 to 48 h)."""
        limit = fields.Datetime.now() - timedelta(hours=KEEP_HOURS)
        self.env.cr.execute(SQL("DELETE FROM oms_api_idempotency WHERE create_date < %s", limit))
