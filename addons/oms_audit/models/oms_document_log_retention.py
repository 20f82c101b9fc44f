import logging
from datetime import timedelta

from odoo import api, fields, models

from .oms_document_log_chain import CHAIN_LOCK, KEY_OPTION

_logger = logging.getLogger(__name__)


class OmsDocumentLog(models.Model):
    """Retention: the oldest sealed entries are purged, and the purge recorded."""

    _inherit = "oms.document.log"

    @api.model
    def _oms_retention_cutoff(self):
        # sudo: a technical parameter of the log, read by the cron
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
        most ``limit``) and record the purge, signed with the chain's key, with the hash of
        the last one deleted, from which the check verifies the rest of the chain. Refuses
        to start without the key. Returns the number deleted."""
        key = self._oms_chain_key()
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
            key,
            {
                "cutoff_date": cutoff,
                "first_seq": first_seq,
                "last_seq": last_seq,
                "entry_count": count,
                "anchor_hash": anchor,
                "oldest_date": min(row[2] for row in per_model),
                "newest_date": max(row[3] for row in per_model),
                "details": "\n".join(f"{model}: {number}" for model, number, *_dates in per_model),
            },
        )
        return count

    @api.model
    def _cron_oms_purge(self):
        cutoff = self._oms_retention_cutoff()
        if not cutoff:
            return
        if not self._oms_chain_key(raise_if_missing=False):
            _logger.error(
                "Document audit: the old entries of the access log are not purged: set the "
                "option %s in the server's configuration file.",
                KEY_OPTION,
            )
            return
        cron = self.env["ir.cron"]
        while purged := self._oms_purge(cutoff):
            if not cron._commit_progress(purged):
                break
