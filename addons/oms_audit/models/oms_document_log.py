from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

ACTIONS = [
    ("view", "Viewed"),
    ("print", "Printed"),
    ("download", "Downloaded"),
    ("export", "Exported"),
    ("create", "Created"),
    ("change", "Changed"),
    ("stage", "Stage Changed"),
    ("delete", "Deleted"),
    ("mail", "E-mail Sent"),
    ("portal_view", "Viewed in the Portal"),
]
# Reads: logged at most once per user, document, action and minute (a unique index on
# the minute bucket, written with ON CONFLICT DO NOTHING: one INSERT, no prior SELECT).
THROTTLED_ACTIONS = ("view", "portal_view", "download")
CHANNELS = [("web", "Web Client"), ("api", "API"), ("portal", "Portal"), ("cron", "Server / Cron")]
HASH_SCHEMES = [("hmac-sha256", "HMAC-SHA256 (keyed)")]
# Who sees the logins and IP addresses of the log, and the changes of its configuration.
AUDITOR_GROUP = "oms_extended.group_oms_manager"


class OmsDocumentLog(models.Model):
    """Append-only log of who did what to which document, chained by a keyed HMAC.

    Entries are written with plain SQL INSERTs (``oms_document_log_insert.py``), never
    through the ORM: no one, the administrator included, can change or delete them through
    the ORM. Creations, changes and deletions are written in the transaction of the change
    (``oms_document_log_change.py``); a cron seals new entries into the chain
    (``oms_document_log_chain.py``) and another purges the old ones
    (``oms_document_log_retention.py``), leaving an ``oms.document.log.purge`` record.
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
    user_login = fields.Char("Login", readonly=True, groups=AUDITOR_GROUP)
    log_date = fields.Datetime("Date", required=True, readonly=True)
    read_minute = fields.Datetime(readonly=True)
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    ip_address = fields.Char("IP Address", readonly=True, groups=AUDITOR_GROUP)
    seq = fields.Integer("Chain Position", readonly=True, copy=False)
    hash = fields.Char(readonly=True, copy=False)
    prev_hash = fields.Char("Previous Hash", readonly=True, copy=False)
    hash_scheme = fields.Selection(
        HASH_SCHEMES,
        string="Seal",
        readonly=True,
        copy=False,
        help="How the entry is sealed. Empty on a sealed entry: sealed before version "
        "19.0.1.1.0 with an unkeyed SHA-256, verified with that scheme.",
    )

    _document_index = models.Index("(res_model, res_id, log_date)")
    _read_once_per_minute = models.UniqueIndex("(res_model, res_id, user_id, action, read_minute)")
    _seq_unique = models.UniqueIndex("(seq)")
    _unsealed_index = models.Index("(id) WHERE seq IS NULL")
    _deleted_index = models.Index("(res_model, res_id) WHERE action = 'delete'")

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
        """Entries the current user may see:

        - for each configured model the user may read, the entries of the documents they
          may read (``res_id IN <the user's readable ids>``, the subquery carrying the
          model's record rules);
        - for auditors (OMS managers), also the entries of the documents of those models
          that were deleted (that have a deletion entry), and the changes of the audit
          configuration.
        """
        if self.env.su:
            return Domain.TRUE
        self.env.cr.execute("SELECT DISTINCT model FROM oms_audit_model WHERE model IS NOT NULL")
        model_names = [row[0] for row in self.env.cr.fetchall()]
        auditor = self.env.user.has_group(AUDITOR_GROUP)
        domains = []
        for model_name in model_names:
            model = self.env.get(model_name)
            if model is None or not model.has_access("read"):
                continue
            readable = model.with_context(active_test=False)._search([])
            domains.append(
                Domain("res_model", "=", model_name) & Domain("res_id", "any!", readable)
            )
            if auditor and model_name != "ir.attachment":
                # the documents deleted: those with a deletion entry (a partial index)
                deleted = SQL(
                    "SELECT res_id FROM oms_document_log"
                    " WHERE res_model = %s AND action = 'delete'",
                    model_name,
                )
                domains.append(
                    Domain("res_model", "=", model_name) & Domain("res_id", "any!", deleted)
                )
        if auditor:
            domains.append(Domain("res_model", "=", "oms.audit.model"))
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
        # sudo: the ids among self that the visibility domain (built for the current
        # user, with their own rights) lets through; nothing is read here
        allowed = self.sudo()._search(
            Domain("id", "in", list(self._ids)) & self._oms_readable_documents_domain()
        )
        forbidden = self - self.browse(allowed)
        if forbidden:
            return forbidden, lambda: self.env["ir.rule"]._make_access_error(operation, forbidden)
        return None

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
