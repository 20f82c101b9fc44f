import functools
import logging

import psycopg2

from odoo import SUPERUSER_ID, api, fields, models

_logger = logging.getLogger(__name__)

PRECOMMIT_KEY = "oms_audit.changes"  # in the cursor's precommit data
# The entries of documents being deleted, described before their model's own deletion
# logic changed them (in the cursor's cache, for the time of the unlink() call).
DELETING_KEY = "oms_audit.deleting"

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
# What a deletion entry says of the document, when the model has these fields.
KEY_FIELDS = (
    "move_type",
    "partner_id",
    "amount_total",
    "currency_id",
    "date_order",
    "invoice_date",
    "date",
    "scheduled_date",
    "origin",
    "user_id",
    "company_id",
)


def _write_buffered_changes(cr):
    """The pre-commit hook: writes the entries of the change buffer. The buffer is taken
    out of the cursor's data first: writes made while the entries are computed (a stage
    computed now) or by the hooks that run after this one go to a new buffer and hook."""
    state = cr.precommit.data.pop(PRECOMMIT_KEY, None)
    if state and state["documents"]:
        # sudo: the names and values of the documents the transaction changed, to describe
        # the changes; it writes only log entries, with the acting user's id
        env = api.Environment(cr, SUPERUSER_ID, {"lang": state["lang"]})
        env["oms.document.log"]._oms_write_changes(
            state["documents"], state["channel"], state["ip_address"]
        )


class OmsDocumentLog(models.Model):
    """Creations, changes and deletions: written in the transaction of the change.

    The capture hooks of ``base`` collect, per transaction, which documents were created
    or changed and the value of each changed field before the change (the *change
    buffer*). A pre-commit hook writes their entries with one INSERT at the end of the
    transaction, before its COMMIT (and at each flushing savepoint, so that a savepoint
    rolled back drops only what it undid): the entries commit or roll back with the
    change. A deletion writes the entries of the deleted documents at once, after the
    deletion succeeded, in the same transaction.
    """

    _inherit = "oms.document.log"

    # ------------------------------------------------------------------
    # The change buffer and its pre-commit hook
    # ------------------------------------------------------------------

    @api.model
    def _oms_change_buffer(self, create=True):
        """``{(model, id): {...}}`` of the documents created or changed in this transaction
        since the last flush: which fields changed and their values before. Written by a
        pre-commit hook, with the values then current (a change undone by a rolled-back
        savepoint is not logged); nothing is logged when the transaction rolls back."""
        cr = self.env.cr
        state = cr.precommit.data.get(PRECOMMIT_KEY)
        if state is None:
            if not create:
                return None
            channel, ip_address = self._oms_request_info()
            state = cr.precommit.data[PRECOMMIT_KEY] = {
                "channel": channel,
                "ip_address": ip_address,
                "lang": self.env.lang,
                "documents": {},
            }
            cr.precommit.add(functools.partial(_write_buffered_changes, cr))
        return state["documents"]

    @api.model
    def _oms_write_changes(self, buffer, channel=None, ip_address=None):
        """Write the entries of ``buffer`` in the current transaction: one INSERT, no
        savepoint (it cannot conflict: only reads have a unique minute). A bug while the
        entries are computed is logged and does not fail the transaction; a database error
        (a concurrency error included) propagates, and the transaction is retried or fails
        with its change."""
        try:
            rows = self._oms_change_rows(buffer)
        except psycopg2.Error:
            raise
        except Exception:  # a bug in formatting the entries never breaks the request
            _logger.exception("Document audit: could not log %d changes", len(buffer))
            return
        self._oms_execute_change_rows(rows, channel, ip_address)

    @api.model
    def _oms_execute_change_rows(self, rows, channel=None, ip_address=None):
        if not rows:
            return
        if channel is None:
            channel, ip_address = self._oms_request_info()
        self.env.cr.execute(self._oms_insert_query(rows, channel, ip_address))

    # ------------------------------------------------------------------
    # Entries of the buffer
    # ------------------------------------------------------------------

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
            stage_field = (config.get(record._name) or (None,))[0]
            rows.extend(self._oms_entry_rows(record, entry, stage_field))
        return rows

    @api.model
    def _oms_entry_rows(self, record, entry, stage_field):
        """The entries of one document of the buffer: attachments added, then its
        creation, stage and field changes."""
        rows = [
            {
                "res_model": record._name,
                "res_id": record.id,
                "res_name": record.display_name,
                "action": "change",
                "details": record.env._("Attachment added: %s", name),
                "uid": uid,
                "log_date": date,
            }
            for name, uid, date in entry.get("attachments", ())
        ]
        rows.extend(self._oms_record_change_rows(record, entry, stage_field))
        return rows

    # ------------------------------------------------------------------
    # Deletions
    # ------------------------------------------------------------------

    @api.model
    def _oms_deletion_rows(self, records, stage_field):
        """``{id: entries}`` of ``records`` about to be deleted: what the buffer holds of
        them (changed, then deleted in the same transaction), then their deletion with what
        they were (name, stage and key fields). Computed before the deletion, written
        after it succeeded (:meth:`_oms_deleted`)."""
        buffer = self._oms_change_buffer(create=False) or {}
        # sudo: names and values of the documents being deleted; written only once the
        # deletion, with the user's rights, succeeded (base.unlink)
        documents = records.sudo().with_context(active_test=False)
        now = fields.Datetime.now()
        rows = {}
        for record in documents:
            entry = buffer.get((record._name, record.id))
            record_rows = self._oms_entry_rows(record, entry, stage_field) if entry else []
            stage = record[stage_field] if stage_field else None
            record_rows.append(
                {
                    "res_model": record._name,
                    "res_id": record.id,
                    "res_name": record.display_name,
                    "action": "delete",
                    "stage_from": self._oms_stage_value(record, stage_field, stage),
                    "details": self._oms_key_values(record, stage_field),
                    "uid": self.env.uid,
                    "log_date": now,
                }
            )
            rows[record.id] = record_rows
        return rows

    @api.model
    def _oms_deleted(self, records, rows):
        """After the deletion of ``records``: write ``rows`` (:meth:`_oms_deletion_rows`)
        and drop the records from the change buffer."""
        buffer = self._oms_change_buffer(create=False)
        for record_id in records._ids:
            if buffer:
                buffer.pop((records._name, record_id), None)
        self._oms_execute_change_rows(rows)

    @api.model
    def _oms_key_values(self, record, stage_field):
        """``Label: value`` lines of the document's stage and key fields."""
        lines = []
        names = [stage_field] if stage_field else []
        names += [name for name in record._oms_audit_key_fields() if name != stage_field]
        for name in names:
            field = record._fields.get(name)
            if not field:
                continue
            value = record[name]
            if self._oms_normalize(record, field, value) is None:
                continue
            label = field._description_string(record.env)
            lines.append(f"{label}: {self._oms_format(record, field, value)}")
        return "\n".join(lines)

    @api.model
    def _oms_attachment_deletion_rows(self, attachments):
        """A ``change`` entry on the document of each attachment deleted."""
        audited = self.env["base"]._oms_audit_models()
        # sudo: which documents the attachments belong to; written only once the deletion,
        # with the user's rights, succeeded (base.unlink)
        attachments = attachments.sudo()
        now = fields.Datetime.now()
        rows = []
        for attachment in attachments:
            if attachment.res_field or not attachment.res_id:
                continue
            if attachment.res_model not in audited or attachment.res_model == "ir.attachment":
                continue
            # sudo: the name of the attachment's document (the user may delete its files)
            document = self.env(su=True)[attachment.res_model].browse(attachment.res_id).exists()
            if not document:
                continue
            rows.append(
                {
                    "res_model": document._name,
                    "res_id": document.id,
                    "res_name": document.display_name,
                    "action": "change",
                    "details": self.env._("Attachment deleted: %s", attachment.name),
                    "uid": self.env.uid,
                    "log_date": now,
                }
            )
        return rows

    # ------------------------------------------------------------------
    # Formatting
    # ------------------------------------------------------------------

    @api.model
    def _oms_record_change_rows(self, record, entry, stage_field):
        """The create, stage and change entries of one document: each touched field's
        value before the change against its current value (a change undone by a
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
