import hashlib
import json
import logging
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.http import request
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

ACTIONS = [
    ("view", "Viewed"),
    ("print", "Printed"),
    ("download", "Downloaded"),
    ("export", "Exported"),
    ("create", "Created"),
    ("change", "Changed"),
    ("stage", "Stage Changed"),
    ("mail", "E-mail Sent"),
    ("portal_view", "Viewed in the Portal"),
]
# Reads: logged at most once per user, document, action and minute (a unique index on
# the minute bucket, written with ON CONFLICT DO NOTHING: one INSERT, no prior SELECT).
THROTTLED_ACTIONS = ("view", "portal_view", "download")
CHANNELS = [("web", "Web Client"), ("api", "API"), ("portal", "Portal"), ("cron", "Server / Cron")]
WEB_CLIENT_PATHS = ("/web/dataset/",)
API_PATHS = ("/oms/api/", "/json/", "/xmlrpc", "/jsonrpc", "/api/")
# The columns each entry's SHA-256 covers, in this order, followed by the previous hash.
# user_id is left out (it is set to NULL when a user is deleted); the login is kept.
HASHED_COLUMNS = (
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
INSERT_COLUMNS = (
    "res_model",
    "res_id",
    "res_name",
    "action",
    "details",
    "stage_from",
    "stage_to",
    "user_id",
    "user_login",
    "log_date",
    "read_minute",
    "channel",
    "ip_address",
)
# pg_advisory_xact_lock key of the chain: the sealer, the purge and the check take it.
CHAIN_LOCK = 0x0D0C_A0D1
CHAIN_HEAD_PARAM = "oms_audit.chain_head"
PRECOMMIT_KEY = "oms_audit.changes"  # in the cursor's postcommit data


NORMALIZERS = {
    "float": lambda value: round(float(value), 6),
    "monetary": lambda value: round(float(value), 6),
    "many2one": int,
    "integer": int,
    "many2one_reference": int,
    "date": lambda value: str(fields.Date.to_date(value)),
    "datetime": lambda value: str(fields.Datetime.to_datetime(value)),
    "boolean": bool,
}


def entry_hash(values):
    """SHA-256 of an entry (a row of HASHED_COLUMNS, as read from the database), which
    includes the previous entry's hash (prev_hash)."""
    payload = json.dumps(
        [
            (values[column] or "") if column == "prev_hash" else values[column]
            for column in HASHED_COLUMNS
        ],
        default=str,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


class OmsDocumentLog(models.Model):
    """Append-only log of who did what to which document, chained by SHA-256.

    Entries are written with plain SQL INSERTs by :meth:`_oms_insert` (never through the
    ORM), in a savepoint, so that logging never breaks the user's request; no one, the
    administrator included, can change or delete them through the ORM. A cron seals new
    entries into the hash chain (:meth:`_oms_seal`) and another purges the old ones
    (:meth:`_oms_purge`), leaving an ``oms.document.log.purge`` record.
    """

    _name = "oms.document.log"
    _description = "Document Access Log"
    _order = "log_date desc, id desc"
    _rec_name = "res_name"
    _log_access = False

    res_model = fields.Char("Document Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        "Document ID", model_field="res_model", required=True, readonly=True
    )
    res_name = fields.Char("Document", readonly=True)
    action = fields.Selection(ACTIONS, required=True, readonly=True)
    details = fields.Text(readonly=True)
    stage_from = fields.Char("From Stage", readonly=True)
    stage_to = fields.Char("To Stage", readonly=True)
    user_id = fields.Many2one("res.users", "User", readonly=True, ondelete="set null", index=True)
    user_login = fields.Char("Login", readonly=True)
    log_date = fields.Datetime("Date", required=True, readonly=True)
    read_minute = fields.Datetime(readonly=True)
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    ip_address = fields.Char("IP Address", readonly=True)
    seq = fields.Integer("Chain Position", readonly=True, copy=False)
    hash = fields.Char(readonly=True, copy=False)
    prev_hash = fields.Char("Previous Hash", readonly=True, copy=False)

    _document_index = models.Index("(res_model, res_id, log_date)")
    _read_once_per_minute = models.UniqueIndex("(res_model, res_id, user_id, action, read_minute)")
    _seq_unique = models.UniqueIndex("(seq)")
    _unsealed_index = models.Index("(id) WHERE seq IS NULL")

    # ------------------------------------------------------------------
    # Append-only
    # ------------------------------------------------------------------

    def _oms_refuse(self, message):
        """Always raises: the log is append-only, for everyone (super() is never reached)."""
        raise UserError(message)

    @api.model_create_multi
    def create(self, vals_list):
        self._oms_refuse(
            self.env._(
                "The document access log is written by Odoo itself and cannot be created by hand."
            )
        )
        return super().create(vals_list)

    def write(self, vals):
        self._oms_refuse(
            self.env._("The document access log cannot be changed, not even by an administrator.")
        )
        return super().write(vals)

    def unlink(self):
        self._oms_refuse(
            self.env._(
                "Entries of the document access log cannot be deleted: the retention cron "
                "purges the old ones and records what it purged."
            )
        )
        return super().unlink()

    def copy(self, default=None):
        self._oms_refuse(self.env._("The document access log cannot be copied."))
        return super().copy(default)

    # ------------------------------------------------------------------
    # Visibility: a user sees the entries of the documents they may read
    # ------------------------------------------------------------------

    @api.model
    def _oms_readable_documents_domain(self):
        """Entries whose document the current user may read: for each configured model,
        ``res_model = model AND res_id IN (<the user's readable ids of that model>)``, the
        subquery carrying the model's record rules."""
        if self.env.su:
            return Domain.TRUE
        self.env.cr.execute("SELECT DISTINCT model FROM oms_audit_model WHERE model IS NOT NULL")
        domains = []
        for (model_name,) in self.env.cr.fetchall():
            model = self.env.get(model_name)
            if model is None or not model.has_access("read"):
                continue
            readable = model.with_context(active_test=False)._search([])
            domains.append(
                Domain("res_model", "=", model_name) & Domain("res_id", "any!", readable)
            )
        return Domain.OR(domains) if domains else Domain.FALSE

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        if not self.env.su and not kwargs.get("bypass_access"):
            domain = Domain(domain) & self._oms_readable_documents_domain()
        return super()._search(domain, offset=offset, limit=limit, order=order, **kwargs)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self.env.su or not self._ids:
            return result
        allowed = self.sudo()._search(
            Domain("id", "in", list(self._ids)) & self._oms_readable_documents_domain()
        )
        forbidden = self - self.browse(allowed)
        if forbidden:
            return forbidden, lambda: self.env["ir.rule"]._make_access_error(operation, forbidden)
        return None

    # ------------------------------------------------------------------
    # Writing entries
    # ------------------------------------------------------------------

    @api.model
    def _oms_request_info(self):
        """(channel, IP address) of the current request; no request: a cron or a script."""
        if not request:
            return "cron", None
        httprequest = request.httprequest
        path = httprequest.path or ""
        if path.startswith(API_PATHS):
            channel = "api"
        elif path.startswith(WEB_CLIENT_PATHS):
            channel = "web"  # the web client's RPC: no need to read the user's groups
        elif path.startswith("/my") or self.env.user.share:
            channel = "portal"
        else:
            channel = "web"
        return channel, httprequest.remote_addr

    @api.model
    def _oms_insert(self, rows, channel=None, ip_address=None):
        """Insert log entries: one INSERT for all ``rows`` (dicts with res_model, res_id,
        res_name, action and optionally details, stage_from, stage_to, uid, log_date).

        Reads are deduplicated per user, document and minute by the unique index (ON
        CONFLICT DO NOTHING). The INSERT runs in a savepoint and a failure is logged, never
        raised: logging does not break the user's request. On a read-only cursor (the
        web client's reads on a replica) the entries are written with a cursor of their own.
        """
        if not rows:
            return
        try:
            if channel is None:
                channel, ip_address = self._oms_request_info()
            now = fields.Datetime.now()
            values = []
            for row in rows:
                log_date = row.get("log_date") or now
                read_minute = (
                    log_date.replace(second=0, microsecond=0)
                    if row["action"] in THROTTLED_ACTIONS
                    else None
                )
                values.append(
                    SQL(
                        "(%s, %s::int, %s, %s, %s, %s, %s, %s::int, %s::timestamp,"
                        " %s::timestamp, %s, %s)",
                        row["res_model"],
                        row["res_id"],
                        row.get("res_name") or "",
                        row["action"],
                        row.get("details") or None,
                        row.get("stage_from"),
                        row.get("stage_to"),
                        row.get("uid") or self.env.uid,
                        log_date,
                        read_minute,
                        row.get("channel") or channel,
                        ip_address,
                    )
                )
            columns = [column for column in INSERT_COLUMNS if column != "user_login"]
            cr = self.env.cr
            # The reads of a read-only request (the web client's web_read) are logged by a
            # transaction of their own that holds nothing else: it does not wait for the WAL
            # flush at its commit (synchronous_commit = off, local to that transaction), so a
            # database crash in the next fraction of a second may lose the entry and nothing
            # else. Entries written in the request's own transaction, which may hold business
            # writes (a portal page's chatter note), keep the server's setting.
            reads_only = cr.readonly and all(row["action"] in THROTTLED_ACTIONS for row in rows)
            query = SQL(
                """INSERT INTO oms_document_log (%(columns)s, user_login)
                   SELECT v.*, u.login
                     FROM (VALUES %(values)s) AS v(%(columns)s)
                     LEFT JOIN res_users u ON u.id = v.user_id
                     %(async_commit)s
                   ON CONFLICT (res_model, res_id, user_id, action, read_minute) DO NOTHING""",
                columns=SQL(", ").join(SQL.identifier(column) for column in columns),
                values=SQL(", ").join(values),
                async_commit=SQL(
                    "CROSS JOIN (SELECT set_config('synchronous_commit', 'off', true)) AS sync"
                )
                if reads_only
                else SQL(),
            )
            if cr.readonly:
                with self.env.registry.cursor() as rw_cr:
                    rw_cr.execute(query)
            else:
                with cr.savepoint(flush=False):
                    cr.execute(query)
        except Exception:  # logging never breaks the request
            _logger.exception("Document audit: could not log %d entries", len(rows))

    @api.model
    def _oms_log_records(self, records, action, details=None):
        """Log ``action`` on ``records`` (of an audited model) by the current user."""
        if not records:
            return
        # sudo: the document's name, for a user who may only reach it through a token
        names = {record.id: record.display_name for record in records.sudo()}
        self._oms_insert(
            [
                {
                    "res_model": records._name,
                    "res_id": record.id,
                    "res_name": names[record.id],
                    "action": action,
                    "details": details,
                }
                for record in records
            ]
        )

    # ------------------------------------------------------------------
    # Changes: buffered for the transaction, written once before its commit
    # ------------------------------------------------------------------

    @api.model
    def _oms_change_buffer(self):
        """``{(model, id): {...}}`` of the documents created or changed in this transaction:
        which fields changed and their values before the transaction. Logged right after
        the commit (post-commit hook, one INSERT in a transaction of its own) with the
        values then committed; nothing is logged when the transaction rolls back."""
        data = self.env.cr.postcommit.data
        buffer = data.get(PRECOMMIT_KEY)
        if buffer is None:
            buffer = data[PRECOMMIT_KEY] = {}
            registry = self.env.registry
            channel, ip_address = self._oms_request_info()
            context = {"lang": self.env.lang}

            def log_changes():
                try:
                    with registry.cursor() as cr:
                        env = api.Environment(cr, SUPERUSER_ID, context)
                        env["oms.document.log"]._oms_write_changes(buffer, channel, ip_address)
                except Exception:  # logging never breaks the request
                    _logger.exception("Document audit: could not log %d changes", len(buffer))

            self.env.cr.postcommit.add(log_changes)
        return buffer

    @api.model
    def _oms_write_changes(self, buffer, channel=None, ip_address=None):
        self._oms_insert(self._oms_change_rows(buffer), channel=channel, ip_address=ip_address)

    @api.model
    def _oms_change_rows(self, buffer):
        # sudo: names and values of the changed documents, whatever the acting user may read
        env = self.env(su=True)
        config = env["oms.audit.model"]._oms_config()
        by_model = {}
        for model_name, res_id in buffer:
            by_model.setdefault(model_name, []).append(res_id)
        existing = {}
        for model_name, ids in by_model.items():
            if model_name in env.registry:
                records = env[model_name].with_context(active_test=False).browse(ids).exists()
                existing.update({(model_name, record.id): record for record in records})
        rows = []
        for key, entry in buffer.items():
            record = existing.get(key)
            if record is None:
                continue
            if entry.get("attachments"):
                rows.extend(
                    {
                        "res_model": record._name,
                        "res_id": record.id,
                        "res_name": record.display_name,
                        "action": "change",
                        "details": env._("Attachment added: %s", name),
                        "uid": uid,
                        "log_date": date,
                    }
                    for name, uid, date in entry["attachments"]
                )
            stage_field = (config.get(record._name) or (None,))[0]
            rows.extend(self._oms_record_change_rows(record, entry, stage_field))
        return rows

    @api.model
    def _oms_record_change_rows(self, record, entry, stage_field):
        """The create, stage and change entries of one document: each touched field's
        value before the transaction against its committed value (a change undone by a
        rolled-back savepoint is not logged)."""
        base = {
            "res_model": record._name,
            "res_id": record.id,
            "res_name": record.display_name,
            "uid": entry.get("uid"),
        }
        old = entry.get("old", {})
        rows = []
        stage_now = record[stage_field] if stage_field else None
        if entry.get("created"):
            # the stage at creation: known at once for a plain field, while a computed
            # stage (a delivery's) is first computed after the creation
            initial = entry.get("initial_stage")
            if initial in (None, False):
                initial = stage_now
            old = dict(old)
            if stage_field:
                old[stage_field] = initial
            rows.append(
                base
                | {
                    "action": "create",
                    "log_date": entry["created"],
                    "stage_to": self._oms_stage_value(record, stage_field, initial),
                    "details": self._oms_stage_label(record, stage_field, initial),
                }
            )
        if stage_field and stage_field in old:
            field = record._fields[stage_field]
            before = old[stage_field]
            if self._oms_normalize(record, field, before) != self._oms_normalize(
                record, field, stage_now
            ):
                rows.append(
                    base
                    | {
                        "action": "stage",
                        "log_date": entry.get("stage_date") or entry.get("created"),
                        "stage_from": self._oms_stage_value(record, stage_field, before),
                        "stage_to": self._oms_stage_value(record, stage_field, stage_now),
                        "details": (
                            f"{self._oms_stage_label(record, stage_field, before)} → "
                            f"{self._oms_stage_label(record, stage_field, stage_now)}"
                        ),
                    }
                )
        if not entry.get("created"):
            lines = []
            for fname, before in old.items():
                if fname == stage_field:
                    continue
                field = record._fields[fname]
                after = record[fname]
                if self._oms_normalize(record, field, before) == self._oms_normalize(
                    record, field, after
                ):
                    continue
                label = field._description_string(record.env)
                if field.type in ("html", "text", "json") or field.translate:
                    lines.append(record.env._("%s: changed", label))
                else:
                    lines.append(
                        f"{label}: {self._oms_format(record, field, before)} → "
                        f"{self._oms_format(record, field, after)}"
                    )
            if lines:
                rows.append(
                    base
                    | {
                        "action": "change",
                        "log_date": entry.get("date"),
                        "details": "\n".join(lines),
                    }
                )
        return rows

    @api.model
    def _oms_normalize(self, record, field, value):
        """A comparable form of a column value or of a record's field value."""
        if isinstance(value, models.BaseModel):
            value = value.id
        if value is None or value is False or value == "":
            return None
        convert = NORMALIZERS.get(field.type, str)
        return convert(value)

    @api.model
    def _oms_format(self, record, field, value):
        if isinstance(value, models.BaseModel):
            value = value.id
        if value is None or value is False or value == "":
            return "∅"
        if field.type == "many2one":
            target = record.env[field.comodel_name].browse(int(value)).exists()
            return target.display_name if target else f"#{value}"
        if field.type == "selection":
            return str(dict(field._description_selection(record.env)).get(value, value))
        if field.type == "boolean":
            return record.env._("Yes") if value else record.env._("No")
        return str(value)

    @api.model
    def _oms_stage_value(self, record, stage_field, value):
        """The stage as stored in the log: a selection's code, a many2one's name."""
        if stage_field and record._fields[stage_field].type == "many2one":
            return self._oms_stage_label(record, stage_field, value)
        if not stage_field:
            return None
        if isinstance(value, models.BaseModel):
            value = value.id
        return str(value) if value not in (None, False) else None

    @api.model
    def _oms_stage_label(self, record, stage_field, value):
        if not stage_field:
            return None
        field = record._fields[stage_field]
        if isinstance(value, models.BaseModel):
            value = value.id
        return self._oms_format(record, field, value)

    # ------------------------------------------------------------------
    # The SHA-256 chain
    # ------------------------------------------------------------------

    @api.model
    def _oms_chain_anchor(self):
        """(position, hash) the chain starts from: the last purge's anchor, or (0, '')."""
        self.env.cr.execute(
            """SELECT last_seq, anchor_hash FROM oms_document_log_purge
               ORDER BY last_seq DESC LIMIT 1"""
        )
        row = self.env.cr.fetchone()
        return (row[0], row[1]) if row else (0, "")

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
    def _oms_seal(self, limit=5000):
        """Chain up to ``limit`` unsealed entries (in id order) after the chain's head.

        Takes the chain's transaction-level advisory lock, so that two sealers never chain
        after the same head; a sealer whose snapshot is older than another's commit fails
        with a serialization error on the rows that one sealed, and is retried.
        Returns the number of entries sealed."""
        cr = self.env.cr
        cr.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        cr.execute(
            "SELECT seq, hash FROM oms_document_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1"
        )
        head = cr.fetchone()
        seq, previous = head if head else self._oms_chain_anchor()
        rows = self._oms_select_hashed("seq IS NULL ORDER BY id", limit=limit)
        updates = []
        for row in rows:
            seq += 1
            row["seq"] = seq
            row["prev_hash"] = previous
            previous = entry_hash(row)
            updates.append(SQL("(%s, %s, %s, %s)", row["id"], seq, previous, row["prev_hash"]))
        if updates:
            cr.execute(
                SQL(
                    """UPDATE oms_document_log AS log
                          SET seq = v.seq, hash = v.hash, prev_hash = v.prev_hash
                         FROM (VALUES %s) AS v(id, seq, hash, prev_hash)
                        WHERE log.id = v.id""",
                    SQL(", ").join(updates),
                )
            )
            self._oms_set_chain_head(seq)
        return len(updates)

    @api.model
    def _oms_set_chain_head(self, seq):
        """Remember the chain's last position, so that the check sees entries removed at
        its end. Plain SQL: the parameter is read with SQL only, no cache to clear."""
        self.env.cr.execute(
            """INSERT INTO ir_config_parameter (key, value) VALUES (%s, %s)
               ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value""",
            [CHAIN_HEAD_PARAM, str(seq)],
        )

    @api.model
    def _oms_chain_head(self):
        self.env.cr.execute(
            "SELECT value FROM ir_config_parameter WHERE key = %s", [CHAIN_HEAD_PARAM]
        )
        row = self.env.cr.fetchone()
        try:
            return int(row[0]) if row else 0
        except ValueError:
            return 0

    @api.model
    def _cron_oms_seal(self):
        cron = self.env["ir.cron"]
        while sealed := self._oms_seal(limit=5000):
            if not cron._commit_progress(sealed):
                break

    @api.model
    def _oms_check_chain(self, batch=5000):
        """Verify the chain from the last purge's anchor. Returns a dict with

        - ``checked``: the sealed entries verified;
        - ``changed``: ids of entries that no longer match their own hash (a column was
          updated, or the row was forged);
        - ``removed``: (first, last) chain positions missing (deleted rows, at the start,
          in the middle or at the end of the chain);
        - ``inserted``: ids of entries that the next entry does not link to (put in place
          of the original one), and of unsealed entries dated more than an hour before the
          last sealed one (written with SQL behind the log's back);
        - ``pending``: entries not sealed yet.
        """
        cr = self.env.cr
        anchor_seq, previous = self._oms_chain_anchor()
        expected = anchor_seq + 1
        result = {"checked": 0, "changed": [], "removed": [], "inserted": [], "pending": 0}
        last = anchor_seq
        previous_id = None
        newest_sealed = None
        while True:
            rows = self._oms_select_hashed("seq > %s ORDER BY seq", last, limit=batch)
            if not rows:
                break
            for row in rows:
                intact = entry_hash(row) == row["hash"]
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
        head = self._oms_chain_head()
        if head >= expected:
            result["removed"].append((expected, head))
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

    # ------------------------------------------------------------------
    # Retention
    # ------------------------------------------------------------------

    @api.model
    def _oms_retention_cutoff(self):
        days = self.env["ir.config_parameter"].sudo().get_param("oms_audit.retention_days")
        try:
            days = int(days or 0)
        except ValueError:
            _logger.warning("oms_audit.retention_days is not a number of days: %r", days)
            return None
        return fields.Datetime.now() - timedelta(days=days) if days > 0 else None

    @api.model
    def _oms_purge(self, cutoff, limit=5000):
        """Delete the sealed entries at the start of the chain dated before ``cutoff`` (at
        most ``limit``) and record the purge with the hash of the last one deleted, from
        which the check verifies the rest of the chain. Returns the number deleted."""
        cr = self.env.cr
        cr.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        cr.execute(
            """SELECT seq, hash, log_date < %s FROM oms_document_log
               WHERE seq IS NOT NULL ORDER BY seq LIMIT %s""",
            [cutoff, limit],
        )
        rows = cr.fetchall()
        purged = []
        for row in rows:
            if not row[2]:
                break
            purged.append(row)
        if not purged:
            return 0
        first_seq, last_seq, anchor = purged[0][0], purged[-1][0], purged[-1][1]
        cr.execute(
            """SELECT res_model, count(*), min(log_date), max(log_date) FROM oms_document_log
               WHERE seq BETWEEN %s AND %s GROUP BY res_model ORDER BY res_model""",
            [first_seq, last_seq],
        )
        per_model = cr.fetchall()
        cr.execute(
            "DELETE FROM oms_document_log WHERE seq BETWEEN %s AND %s", [first_seq, last_seq]
        )
        count = cr.rowcount
        self.env["oms.document.log.purge"]._oms_record(
            {
                "cutoff_date": cutoff,
                "first_seq": first_seq,
                "last_seq": last_seq,
                "entry_count": count,
                "anchor_hash": anchor,
                "oldest_date": min(row[2] for row in per_model),
                "newest_date": max(row[3] for row in per_model),
                "details": "\n".join(f"{model}: {number}" for model, number, *_dates in per_model),
            }
        )
        return count

    @api.model
    def _cron_oms_purge(self):
        cutoff = self._oms_retention_cutoff()
        if not cutoff:
            return
        cron = self.env["ir.cron"]
        while purged := self._oms_purge(cutoff):
            if not cron._commit_progress(purged):
                break

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
