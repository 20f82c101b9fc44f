import hashlib
import hmac
import json
import logging
from datetime import timedelta

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, config

_logger = logging.getLogger(__name__)

# The secret of the chain: an option of the server's configuration file (odoo.conf), never
# stored in the database.
KEY_OPTION = "oms_audit_chain_key"
MIN_KEY_LENGTH = 32
SCHEME = "hmac-sha256"
# The columns the seal covers, in this order (prev_hash: the previous entry's hash).
# user_id is left out (it is set to NULL when a user is deleted); the login is kept.
LEGACY_HASHED_COLUMNS = (
    "id",
    "seq",
    "res_model",
    "res_id",
    "res_name",
    "action",
    "details",
    "stage_from",
    "stage_to",
    "user_login",
    "log_date",
    "channel",
    "ip_address",
    "prev_hash",
)
HASHED_COLUMNS = (*LEGACY_HASHED_COLUMNS, "hash_scheme")
# pg_advisory_xact_lock key of the chain: the sealer and the purge take it.
CHAIN_LOCK = 0x0D0C_A0D1
CHAIN_HEAD_PARAM = "oms_audit.chain_head"
# The last position sealed with the unkeyed SHA-256 of versions before 19.0.1.1.0
# (recorded by the migration): entries after it must carry the keyed seal.
LEGACY_HEAD_PARAM = "oms_audit.chain_legacy_head"


def _payload(values, columns):
    return json.dumps(
        [(values[column] or "") if column == "prev_hash" else values[column] for column in columns],
        default=str,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def legacy_hash(values):
    """The unkeyed SHA-256 of an entry sealed before version 19.0.1.1.0."""
    return hashlib.sha256(_payload(values, LEGACY_HASHED_COLUMNS)).hexdigest()


def keyed_hash(key, values):
    """HMAC-SHA256, keyed with the chain's secret, of an entry (a row of HASHED_COLUMNS
    as read from the database), which includes the previous entry's hash."""
    return hmac.new(key, _payload(values, HASHED_COLUMNS), hashlib.sha256).hexdigest()


def sign(key, *parts):
    """HMAC-SHA256 of a few values (the chain's head, a purge's anchor)."""
    message = json.dumps(parts, default=str, separators=(",", ":")).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class OmsDocumentLog(models.Model):
    """The keyed chain: sealing and checking."""

    _inherit = "oms.document.log"

    # ------------------------------------------------------------------
    # The key
    # ------------------------------------------------------------------

    @api.model
    def _oms_chain_key(self, raise_if_missing=True):
        """The chain's secret, from the option ``oms_audit_chain_key`` of odoo.conf (at
        least 32 characters), as bytes; None, or a UserError, when it is not set."""
        key = config.get(KEY_OPTION) or ""
        if isinstance(key, str) and len(key) >= MIN_KEY_LENGTH:
            return key.encode()
        if raise_if_missing:
            raise UserError(
                self.env._(
                    "The access log cannot be sealed or checked: the server has no key for its "
                    "chain. Set the option %(option)s (at least %(length)s random characters) in "
                    "the server's configuration file (odoo.conf) and restart the server.",
                    option=KEY_OPTION,
                    length=MIN_KEY_LENGTH,
                )
            )
        return None

    # ------------------------------------------------------------------
    # Reading the chain
    # ------------------------------------------------------------------

    @api.model
    def _oms_chain_anchor(self, key):
        """(position, hash, genuine) the chain starts from: the last purge's anchor, or
        (0, '', True). ``genuine`` is False when that purge record's signature is wrong
        (forged or altered), or missing on a purge of keyed entries."""
        purge = self.env["oms.document.log.purge"]._oms_last()
        if not purge:
            return 0, "", True
        return purge["last_seq"], purge["anchor_hash"], self._oms_purge_genuine(key, purge)

    @api.model
    def _oms_purge_genuine(self, key, purge):
        if purge["signature"]:
            expected = self.env["oms.document.log.purge"]._oms_signature(key, purge)
            return hmac.compare_digest(expected, purge["signature"])
        # purges recorded before 19.0.1.1.0 were not signed: only of the old entries
        return purge["last_seq"] <= self._oms_legacy_head()

    @api.model
    def _oms_select_hashed(self, where, *params, limit=None):
        self.env.cr.execute(
            SQL(
                "SELECT %s, hash FROM oms_document_log WHERE %s %s",
                SQL(", ").join(SQL.identifier(column) for column in HASHED_COLUMNS),
                SQL(where, *params),
                SQL("LIMIT %s", limit) if limit else SQL(),
            )
        )
        return self.env.cr.dictfetchall()

    @api.model
    def _oms_param(self, key):
        """A parameter of the chain, read with SQL (no cache to clear)."""
        self.env.cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", [key])
        row = self.env.cr.fetchone()
        return row[0] if row else None

    @api.model
    def _oms_set_param(self, key, value):
        self.env.cr.execute(
            """INSERT INTO ir_config_parameter (key, value) VALUES (%s, %s)
               ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value""",
            [key, value],
        )

    @api.model
    def _oms_legacy_head(self):
        try:
            return int(self._oms_param(LEGACY_HEAD_PARAM) or 0)
        except ValueError:
            return 0

    @api.model
    def _oms_chain_head(self):
        """(position, signature or None) of the chain's last entry, as the sealer left it."""
        seq, _sep, mac = (self._oms_param(CHAIN_HEAD_PARAM) or "0").partition(":")
        try:
            return int(seq), mac or None
        except ValueError:
            return 0, None

    @api.model
    def _oms_set_chain_head(self, key, seq, entry_hash):
        """Remember the chain's last position, signed with the key, so that the check sees
        entries removed at its end (and a head moved back without the key)."""
        self._oms_set_param(CHAIN_HEAD_PARAM, f"{seq}:{sign(key, 'head', seq, entry_hash)}")

    @api.model
    def _oms_mark_legacy_chain(self):
        """Record the last position sealed with the unkeyed SHA-256 (the migration to
        19.0.1.1.0 calls it once): those entries keep their seal and are verified with it;
        any entry after it must carry the keyed seal."""
        if self._oms_param(LEGACY_HEAD_PARAM) is not None:
            return
        self.env.cr.execute("SELECT max(seq) FROM oms_document_log WHERE hash_scheme IS NULL")
        last = self.env.cr.fetchone()[0]
        if last:
            self._oms_set_param(LEGACY_HEAD_PARAM, str(last))

    # ------------------------------------------------------------------
    # Sealing
    # ------------------------------------------------------------------

    @api.model
    def _oms_seal(self, limit=5000, wait=True):
        """Chain up to ``limit`` unsealed entries (in id order) after the chain's head,
        each with ``hash = HMAC-SHA256(key, entry columns + previous hash)``.

        Refuses to start without the key (UserError). Takes the chain's transaction-level
        advisory lock, so that two sealers never chain after the same head (``wait=False``:
        returns 0 at once when another sealer holds it); a sealer whose snapshot is older
        than another's commit fails with a serialization error on the rows that one sealed,
        and is retried. Returns the number of entries sealed."""
        key = self._oms_chain_key()
        cr = self.env.cr
        if wait:
            cr.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        else:
            cr.execute("SELECT pg_try_advisory_xact_lock(%s)", [CHAIN_LOCK])
            if not cr.fetchone()[0]:
                return 0
        cr.execute(
            "SELECT seq, hash FROM oms_document_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1"
        )
        head = cr.fetchone()
        seq, previous = head if head else self._oms_chain_anchor(key)[:2]
        rows = self._oms_select_hashed("seq IS NULL ORDER BY id", limit=limit)
        updates = []
        for row in rows:
            seq += 1
            row.update(seq=seq, prev_hash=previous, hash_scheme=SCHEME)
            previous = keyed_hash(key, row)
            updates.append(SQL("(%s, %s, %s, %s)", row["id"], seq, previous, row["prev_hash"]))
        if updates:
            cr.execute(
                SQL(
                    """UPDATE oms_document_log AS log
                          SET seq = v.seq, hash = v.hash, prev_hash = v.prev_hash,
                              hash_scheme = %s
                         FROM (VALUES %s) AS v(id, seq, hash, prev_hash)
                        WHERE log.id = v.id""",
                    SCHEME,
                    SQL(", ").join(updates),
                )
            )
            self._oms_set_chain_head(key, seq, previous)
        return len(updates)

    @api.model
    def _cron_oms_seal(self):
        """Every minute: seal the new entries. Without the key, logs an error and does
        nothing (the entries wait, unsealed, until the key is set)."""
        if not self._oms_chain_key(raise_if_missing=False):
            _logger.error(
                "Document audit: the access log is not sealed: set the option %s (at least %s "
                "random characters) in the server's configuration file and restart it.",
                KEY_OPTION,
                MIN_KEY_LENGTH,
            )
            return
        cron = self.env["ir.cron"]
        while sealed := self._oms_seal(limit=5000, wait=False):
            if not cron._commit_progress(sealed):
                break

    # ------------------------------------------------------------------
    # Checking
    # ------------------------------------------------------------------

    @api.model
    def _oms_row_intact(self, key, row, state):
        """Whether a sealed row matches its seal: the keyed one, or the old unkeyed one for
        the entries sealed before the key (up to the recorded legacy head, never after a
        keyed entry: an old seal there was made without the key)."""
        if row["hash_scheme"] == SCHEME:
            state["keyed"] = True
            return hmac.compare_digest(keyed_hash(key, row), row["hash"] or "")
        if row["hash_scheme"] or state["keyed"] or row["seq"] > state["legacy_head"]:
            return False
        state["legacy"].append(row["seq"])
        return legacy_hash(row) == row["hash"]

    @api.model
    def _oms_check_chain(self, batch=5000):
        """Verify the chain from the last purge's anchor (needs the key). Returns a dict:

        - ``checked``: the sealed entries verified;
        - ``changed``: ids of entries that no longer match their seal (a column was
          updated, the row was forged, or re-sealed without the key);
        - ``removed``: (first, last) chain positions missing (deleted rows, at the start,
          in the middle or at the end of the chain);
        - ``inserted``: ids of entries that the next entry does not link to (put in place
          of the original one), and of unsealed entries dated more than an hour before the
          last sealed one (written with SQL behind the log's back);
        - ``legacy``: (first, last, count) of the entries sealed with the old unkeyed
          SHA-256, or None;
        - ``head_forged`` / ``anchor_forged``: the chain's head parameter, or the last
          purge record, does not carry a valid signature;
        - ``pending``: entries not sealed yet.
        """
        key = self._oms_chain_key()
        cr = self.env.cr
        anchor_seq, previous, anchor_genuine = self._oms_chain_anchor(key)
        expected = anchor_seq + 1
        result = {"checked": 0, "changed": [], "removed": [], "inserted": [], "pending": 0}
        state = {"keyed": False, "legacy": [], "legacy_head": self._oms_legacy_head()}
        last = anchor_seq
        previous_id = None
        newest_sealed = None
        while True:
            rows = self._oms_select_hashed("seq > %s ORDER BY seq", last, limit=batch)
            if not rows:
                break
            for row in rows:
                intact = self._oms_row_intact(key, row, state)
                if not intact:
                    result["changed"].append(row["id"])
                if row["seq"] > expected:
                    result["removed"].append((expected, row["seq"] - 1))
                elif intact and (row["prev_hash"] or "") != (previous or ""):
                    # an intact entry that is not chained to the one before it: that one
                    # was put in place of the original (or, first after the anchor, the
                    # purge record was altered)
                    result["inserted" if previous_id else "changed"].append(
                        previous_id or row["id"]
                    )
                previous, previous_id = row["hash"], row["id"]
                expected = row["seq"] + 1
                newest_sealed = max(newest_sealed or row["log_date"], row["log_date"])
                result["checked"] += 1
            last = rows[-1]["seq"]
        head, head_mac = self._oms_chain_head()
        if head >= expected:
            result["removed"].append((expected, head))
        result["head_forged"] = self._oms_head_forged(key, head, head_mac, state)
        result["anchor_forged"] = not anchor_genuine
        legacy = state["legacy"]
        result["legacy"] = (min(legacy), max(legacy), len(legacy)) if legacy else None
        cr.execute("SELECT count(*) FROM oms_document_log WHERE seq IS NULL")
        result["pending"] = cr.fetchone()[0]
        if newest_sealed and result["pending"]:
            cr.execute(
                "SELECT id FROM oms_document_log WHERE seq IS NULL AND log_date < %s ORDER BY id",
                [newest_sealed - timedelta(hours=1)],
            )
            result["inserted"] += [row[0] for row in cr.fetchall()]
        result["changed"] = sorted(set(result["changed"]))
        return result

    @api.model
    def _oms_head_forged(self, key, head, head_mac, state):
        """Whether the head parameter was moved without the key: once keyed entries exist,
        it carries the signature of the last entry's position and hash."""
        if not head_mac:
            return bool(state["keyed"])
        self.env.cr.execute("SELECT hash FROM oms_document_log WHERE seq = %s", [head])
        row = self.env.cr.fetchone()
        if not row:
            return False  # the entry at the head was deleted: reported as removed
        return not hmac.compare_digest(sign(key, "head", head, row[0]), head_mac)
