import contextlib
import logging

import psycopg2

from odoo import api, fields, models
from odoo.tools import SQL

from .oms_document_log_change import DELETING_KEY, KEY_FIELDS

_logger = logging.getLogger(__name__)

# Never logged as changes: bookkeeping columns, and secrets.
SKIPPED_FIELDS = frozenset(
    {
        "write_uid",
        "write_date",
        "create_uid",
        "create_date",
        "access_token",
        "message_main_attachment_id",
    }
)


class Base(models.AbstractModel):
    """The capture hooks of the document audit trail, on every model.

    Each hook first asks :meth:`_oms_audit_models` (a cached dictionary, no query) whether
    the model is audited: for any other model it costs a dictionary lookup.
    """

    _inherit = "base"

    @api.model
    def _oms_audit_models(self):
        """``{model: (stage field, log reads)}`` of the audited models; empty while the
        registry loads (installing or upgrading modules logs nothing)."""
        registry = self.env.registry
        if not registry.ready or "oms.audit.model" not in registry:
            return {}
        return self.env["oms.audit.model"]._oms_config()

    # ------------------------------------------------------------------
    # create / change / stage
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if records and not self._transient and (audited := self._oms_audit_models()):
            try:
                if self._name == "ir.attachment":
                    if "ir.attachment" in audited:
                        records._oms_audit_attachments_added(audited)
                elif self._name in audited:
                    records._oms_audit_created()
            except psycopg2.Error:
                raise
            except Exception:  # a bug in the trail never breaks the request
                _logger.exception("Document audit: could not record the creation of %s", records)
        return records

    def _oms_audit_created(self):
        buffer = self.env["oms.document.log"]._oms_change_buffer()
        now = fields.Datetime.now()
        stage_field = self._oms_audit_models()[self._name][0]
        # a plain stage field is in the cache after the creation; a computed one is left
        # to compute when it is needed (its first value is then the stage entered)
        read_stage = stage_field and not self._fields[stage_field].compute
        for record in self:
            entry = buffer.setdefault((self._name, record.id), {"old": {}})
            entry["created"] = now
            entry["uid"] = self.env.uid
            if read_stage:
                entry["initial_stage"] = record[stage_field]

    def _oms_audit_attachments_added(self, audited):
        """Attachments of audited documents: logged on their document."""
        buffer = None
        now = fields.Datetime.now()
        for attachment in self:
            if attachment.res_model in audited and attachment.res_id and not attachment.res_field:
                if buffer is None:
                    buffer = self.env["oms.document.log"]._oms_change_buffer()
                entry = buffer.setdefault((attachment.res_model, attachment.res_id), {"old": {}})
                entry.setdefault("attachments", []).append((attachment.name, self.env.uid, now))

    def _write_multi(self, vals_list):
        # Every write reaches the database here, at flush time, computed stored fields
        # included (a delivery's state): the old values are still in the table.
        if self._ids and (audited := self._oms_audit_models()) and self._name in audited:
            if self._name != "ir.attachment":
                try:
                    self._oms_audit_before_write(vals_list, audited[self._name][0])
                except psycopg2.Error:
                    raise
                except Exception:  # a bug in the trail never breaks the request
                    _logger.exception("Document audit: could not record changes of %s", self)
        return super()._write_multi(vals_list)

    def _oms_audit_before_write(self, vals_list, stage_field):
        """Buffer which fields change and their value before the change (read from the
        table at the first write since the last flush); the entries are written before the
        commit, in the same transaction, by the hook of
        :meth:`oms.document.log._oms_change_buffer`. Documents created in this transaction
        need no read: their creation is logged with the stage they entered."""
        buffer = self.env["oms.document.log"]._oms_change_buffer()
        now = fields.Datetime.now()
        changed_ids = []
        for record_id, vals in zip(self._ids, vals_list, strict=True):
            entry = buffer.get((self._name, record_id))
            if entry and entry.get("created"):
                if stage_field in vals:
                    entry["stage_date"] = now
            else:
                changed_ids.append(record_id)
        if not changed_ids:
            return
        logged = self._oms_audit_logged_fields(set().union(*vals_list), stage_field)
        if not logged:
            return
        # no savepoint: a SELECT of stored columns by id does not fail
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id, %s FROM %s WHERE id IN %s",
                SQL(", ").join(SQL.identifier(field.name) for field in logged),
                SQL.identifier(self._table),
                tuple(changed_ids),
            )
        )
        old_rows = {row[0]: row[1:] for row in cr.fetchall()}
        for record_id, vals in zip(self._ids, vals_list, strict=True):
            olds = old_rows.get(record_id)
            if olds is None:
                continue
            entry = buffer.setdefault((self._name, record_id), {"old": {}})
            entry["uid"] = self.env.uid
            for index, field in enumerate(logged):
                if field.name not in vals:
                    continue
                entry["old"].setdefault(field.name, olds[index])
                if field.name == stage_field:
                    entry["stage_date"] = now
                else:
                    entry["date"] = now

    def _oms_audit_logged_fields(self, fnames, stage_field):
        """The fields among ``fnames`` whose changes are logged: stored columns, computed
        ones only when they are the stage or tracked in the chatter."""
        logged = []
        for fname in fnames - SKIPPED_FIELDS:
            field = self._fields.get(fname)
            if not field or not field.column_type or field.company_dependent:
                continue
            if field.compute and fname != stage_field and not getattr(field, "tracking", None):
                continue
            logged.append(field)
        return logged

    def _oms_audit_key_fields(self):
        """The fields a deletion entry says of the document (when the model has them):
        extend it to add a model's own."""
        return [
            name
            for name in KEY_FIELDS
            if name in self._fields and self._fields[name].store and name != self._rec_name
        ]

    # ------------------------------------------------------------------
    # delete
    # ------------------------------------------------------------------

    def unlink(self):
        audited = self._oms_audit_models() if self._ids and not self._transient else {}
        if self._name not in audited:
            return super().unlink()
        Log = self.env["oms.document.log"]
        # the pending writes of the documents reach the change buffer first: their
        # changes are logged with their deletion
        self.env.flush_all()
        try:
            if self._name == "ir.attachment":
                rows = Log._oms_attachment_deletion_rows(self)
            else:
                rows = self._oms_audit_deletion_rows(audited[self._name][0])
        except psycopg2.Error:
            raise
        except Exception:  # a bug in the trail never breaks the request: a bare entry
            _logger.exception("Document audit: could not describe the deletion of %s", self)
            rows = [
                {"res_model": self._name, "res_id": record_id, "action": "delete"}
                for record_id in self._ids
                if self._name != "ir.attachment"
            ]
        result = super().unlink()
        Log._oms_deleted(self, rows)
        return result

    def _oms_audit_deletion_rows(self, stage_field):
        """The entries of the deletion of these documents: as described before their
        model's own deletion logic ran (:meth:`_oms_audit_describing_deletion`), or now."""
        described = self.env.cr.cache.get(DELETING_KEY) or {}
        missing = self.browse(
            [record_id for record_id in self._ids if (self._name, record_id) not in described]
        )
        computed = (
            self.env["oms.document.log"]._oms_deletion_rows(missing, stage_field) if missing else {}
        )
        rows = []
        for record_id in self._ids:
            rows += described.get((self._name, record_id)) or computed.get(record_id, [])
        return rows

    @contextlib.contextmanager
    def _oms_audit_describing_deletion(self):
        """Around a model's own ``unlink()``: describe these documents (their changes not
        yet logged, then what they were) before that model's deletion logic changes them
        (an invoice deletes its lines first, and its total becomes 0). The deletion is
        logged with this description once it succeeded (:meth:`unlink` of ``base``)."""
        config = self._oms_audit_models().get(self._name) if self._ids else None
        described = self.env.cr.cache.setdefault(DELETING_KEY, {})
        keys = []
        if config and self._name != "ir.attachment":
            self.env.flush_all()
            try:
                rows = self.env["oms.document.log"]._oms_deletion_rows(self, config[0])
            except psycopg2.Error:
                raise
            except Exception:  # a bug in the trail never breaks the request
                _logger.exception("Document audit: could not describe the deletion of %s", self)
                rows = {}
            for record_id, record_rows in rows.items():
                key = (self._name, record_id)
                if key not in described:
                    described[key] = record_rows
                    keys.append(key)
        try:
            yield
        finally:
            for key in keys:
                described.pop(key, None)

    # ------------------------------------------------------------------
    # export
    # ------------------------------------------------------------------

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        audited = self._oms_audit_models()
        if self and self._name in audited and self._name != "ir.attachment":
            exported = ", ".join(name for name in fields_to_export if name not in (".id", "id"))
            self.env["oms.document.log"]._oms_log_records(
                self, "export", self.env._("Fields: %s", exported)
            )
        return result
