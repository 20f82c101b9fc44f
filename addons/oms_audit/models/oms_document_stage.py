from odoo import fields, models, tools
from odoo.fields import Domain
from odoo.tools import SQL


class OmsDocumentStage(models.Model):
    """Each stage a document entered, by whom, and how long it stayed there: the log's
    creations and stage changes, each one's end being the next one's start (LEAD())."""

    _name = "oms.document.stage"
    _description = "Document Stage Progress"
    _auto = False
    _order = "date_enter desc, id desc"
    _rec_name = "res_name"

    res_model = fields.Char("Document Model", readonly=True)
    res_id = fields.Many2oneReference("Document ID", model_field="res_model", readonly=True)
    res_name = fields.Char("Document", readonly=True)
    stage = fields.Char(readonly=True)
    user_id = fields.Many2one("res.users", "Entered By", readonly=True)
    date_enter = fields.Datetime("Entered On", readonly=True)
    date_leave = fields.Datetime("Left On", readonly=True)
    duration_hours = fields.Float("Hours in Stage", readonly=True, aggregator="avg")
    is_current = fields.Boolean("Current Stage", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """CREATE OR REPLACE VIEW %s AS (
                SELECT log.id, log.res_model, log.res_id, log.res_name,
                       log.stage_to AS stage, log.user_id, log.log_date AS date_enter,
                       LEAD(log.log_date) OVER doc AS date_leave,
                       EXTRACT(EPOCH FROM COALESCE(LEAD(log.log_date) OVER doc,
                                                   NOW() AT TIME ZONE 'UTC') - log.log_date
                       ) / 3600.0 AS duration_hours,
                       LEAD(log.id) OVER doc IS NULL AS is_current
                  FROM oms_document_log log
                 WHERE log.action IN ('create', 'stage') AND log.stage_to IS NOT NULL
                WINDOW doc AS (PARTITION BY log.res_model, log.res_id ORDER BY log.log_date, log.id)
                )""",
                SQL.identifier(self._table),
            )
        )

    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        # the same visibility as the log: the stages of the documents the user may read
        if not self.env.su and not kwargs.get("bypass_access"):
            domain = Domain(domain) & self.env["oms.document.log"]._oms_readable_documents_domain()
        return super()._search(domain, offset=offset, limit=limit, order=order, **kwargs)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self.env.su or not self._ids:
            return result
        readable = self.env["oms.document.log"]._oms_readable_documents_domain()
        # sudo: the ids among self that the visibility domain (built for the current user,
        # with their own rights) lets through; nothing is read here
        allowed = self.sudo()._search(Domain("id", "in", list(self._ids)) & readable)
        forbidden = self - self.browse(allowed)
        if forbidden:
            return forbidden, lambda: self.env["ir.rule"]._make_access_error(operation, forbidden)
        return None
