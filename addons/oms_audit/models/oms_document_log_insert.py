import logging

from odoo import api, fields, models
from odoo.http import request
from odoo.tools import SQL

from .base_read import rpc_request_info
from .oms_document_log import THROTTLED_ACTIONS

_logger = logging.getLogger(__name__)

WEB_CLIENT_PATHS = ("/web/dataset/",)
API_PATHS = ("/oms/api/", "/json/", "/xmlrpc", "/jsonrpc", "/api/")
INSERT_COLUMNS = (
    "res_model",
    "res_id",
    "res_name",
    "action",
    "details",
    "stage_from",
    "stage_to",
    "user_id",
    "log_date",
    "read_minute",
    "channel",
    "ip_address",
)


class OmsDocumentLog(models.Model):
    """Writing entries: one SQL INSERT for all the entries of a call."""

    _inherit = "oms.document.log"

    @api.model
    def _oms_request_info(self):
        """(channel, IP address) of the current request; no request: a cron or a script."""
        if rpc := rpc_request_info():
            return "api", rpc[1]  # XML-RPC, JSON-RPC: served without the request
        if not request:
            return "cron", None
        try:
            httprequest = request.httprequest
        except (AttributeError, RuntimeError):
            return "cron", None
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
    def _oms_insert_query(self, rows, channel, ip_address, async_commit=False):
        """The INSERT of ``rows`` (dicts with res_model, res_id, res_name, action and
        optionally details, stage_from, stage_to, uid, log_date, channel): one statement
        whatever their number; the login is taken by the same statement. Reads are
        deduplicated per user, document and minute by the unique index."""
        now = fields.Datetime.now()
        values = []
        for position, row in enumerate(rows):
            log_date = row.get("log_date") or now
            read_minute = (
                log_date.replace(second=0, microsecond=0)
                if row["action"] in THROTTLED_ACTIONS
                else None
            )
            values.append(
                SQL(
                    "(%s, %s, %s::int, %s, %s, %s, %s, %s, %s::int, %s::timestamp,"
                    " %s::timestamp, %s, %s)",
                    position,
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
        columns = SQL(", ").join(SQL.identifier(column) for column in INSERT_COLUMNS)
        selected = SQL(", ").join(SQL("v.%s", SQL.identifier(column)) for column in INSERT_COLUMNS)
        # the entries get their ids in the order of ``rows`` (a creation before its
        # change, a change before the deletion)
        return SQL(
            """INSERT INTO oms_document_log (%(columns)s, user_login)
               SELECT %(selected)s, u.login
                 FROM (VALUES %(values)s) AS v(position, %(columns)s)
                 LEFT JOIN res_users u ON u.id = v.user_id
                 %(async_commit)s
                ORDER BY v.position
               ON CONFLICT (res_model, res_id, user_id, action, read_minute) DO NOTHING""",
            columns=columns,
            selected=selected,
            values=SQL(", ").join(values),
            async_commit=SQL(
                "CROSS JOIN (SELECT set_config('synchronous_commit', 'off', true)) AS sync"
            )
            if async_commit
            else SQL(),
        )

    @api.model
    def _oms_insert(self, rows, channel=None, ip_address=None):
        """Insert log entries of reads, prints, exports and e-mails (see
        :meth:`_oms_insert_query`), in a savepoint: a failure is logged, never raised, so
        that logging does not break the user's request.

        On a read-only cursor (the web client's and the JSON-2 API's reads, on a replica
        when there is one) the entries are written by a transaction of their own that holds
        nothing else and does not wait for the WAL flush at its commit
        (``synchronous_commit = off``, local to that transaction): a database crash in the
        next fraction of a second may lose those read entries, and nothing else.
        Creations, changes and deletions are written by :meth:`_oms_write_changes`, in the
        transaction of the change.
        """
        if not rows:
            return
        try:
            if channel is None:
                channel, ip_address = self._oms_request_info()
            cr = self.env.cr
            reads_only = cr.readonly and all(row["action"] in THROTTLED_ACTIONS for row in rows)
            query = self._oms_insert_query(rows, channel, ip_address, async_commit=reads_only)
            if cr.readonly:
                # As Odoo's res.device does: the read-only transaction holds nothing to
                # keep (what was read is in the caller's hands), so it ends before the
                # entries' own one opens (Odoo's test cursors refuse a read/write cursor
                # on top of a read-only one still open).
                cr.rollback()
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
        # sudo: the documents' names, for a user who may only reach them through a token
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
