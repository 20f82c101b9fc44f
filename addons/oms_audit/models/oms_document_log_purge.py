from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .oms_document_log_chain import sign

PURGE_COLUMNS = (
    "purge_date",
    "cutoff_date",
    "first_seq",
    "last_seq",
    "entry_count",
    "anchor_hash",
    "oldest_date",
    "newest_date",
    "details",
    "signature",
)
# What the signature of a purge covers: the anchor the check starts from.
SIGNED_COLUMNS = ("first_seq", "last_seq", "entry_count", "anchor_hash")


class OmsDocumentLogPurge(models.Model):
    """What the retention cron purged from the document access log: the chain positions,
    the number of entries per model, their dates, and the hash of the last entry purged,
    from which the integrity check verifies the rest of the chain. Append-only."""

    _name = "oms.document.log.purge"
    _description = "Document Access Log Purge"
    _order = "last_seq desc"
    _rec_name = "purge_date"
    _log_access = False

    purge_date = fields.Datetime("Purged On", required=True, readonly=True)
    cutoff_date = fields.Datetime("Entries Before", readonly=True)
    first_seq = fields.Integer("First Position", readonly=True)
    last_seq = fields.Integer("Last Position", readonly=True, index=True)
    entry_count = fields.Integer("Entries Purged", readonly=True)
    anchor_hash = fields.Char("Hash of the Last Purged Entry", readonly=True)
    oldest_date = fields.Datetime("Oldest Entry", readonly=True)
    newest_date = fields.Datetime("Newest Entry", readonly=True)
    details = fields.Text("Entries per Model", readonly=True)
    signature = fields.Char(
        readonly=True,
        help="HMAC-SHA256, with the chain's key, of the positions, the number of entries "
        "and the anchor hash: the check refuses an anchor forged without the key. Empty "
        "on purges made before version 19.0.1.1.0.",
    )

    def _oms_refuse(self, message):
        """Always raises: purge records are append-only (super() is never reached)."""
        raise UserError(message)

    @api.model_create_multi
    def create(self, vals_list):
        self._oms_refuse(self.env._("Purge records are written by the retention cron only."))
        return super().create(vals_list)

    def write(self, vals):
        self._oms_refuse(self.env._("Purge records cannot be changed."))
        return super().write(vals)

    def unlink(self):
        self._oms_refuse(self.env._("Purge records cannot be deleted."))
        return super().unlink()

    @api.model
    def _oms_signature(self, key, values):
        return sign(key, "purge", *(values.get(column) for column in SIGNED_COLUMNS))

    @api.model
    def _oms_last(self):
        """The last purge (the chain's anchor), as a dict of its columns, or None."""
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM oms_document_log_purge ORDER BY last_seq DESC LIMIT 1",
                SQL(", ").join(SQL.identifier(column) for column in PURGE_COLUMNS),
            )
        )
        rows = self.env.cr.dictfetchall()
        return rows[0] if rows else None

    @api.model
    def _oms_record(self, key, values):
        values = dict(values, purge_date=fields.Datetime.now())
        values["signature"] = self._oms_signature(key, values)
        self.env.cr.execute(
            SQL(
                "INSERT INTO oms_document_log_purge (%s) VALUES (%s)",
                SQL(", ").join(SQL.identifier(column) for column in PURGE_COLUMNS),
                SQL(", ").join(SQL("%s", values.get(column)) for column in PURGE_COLUMNS),
            )
        )
