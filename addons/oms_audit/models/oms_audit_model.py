from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

# The settings whose changes are logged (in the access log, on the configuration record).
LOGGED_SETTINGS = ("model_id", "stage_field", "log_reads", "log_list_reads", "active")


class OmsAuditModel(models.Model):
    """Which models the document audit trail follows.

    The hooks of ``base`` ask :meth:`_oms_config` (cached, one dictionary lookup per call)
    whether a model is audited, so a model that is not costs nothing more. Changing it
    needs Settings rights (``base.group_system``, in the access rights) and is itself
    logged in the access log (creations, changes and deletions of these records).
    """

    _name = "oms.audit.model"
    _description = "Audited Document Model"
    _order = "model"
    _rec_name = "model"

    model_id = fields.Many2one(
        "ir.model", string="Model", required=True, ondelete="cascade", index=True
    )
    model = fields.Char(related="model_id.model", store=True, string="Technical Name")
    active = fields.Boolean(default=True)
    stage_field = fields.Char(
        help="Technical name of the field whose changes are the document's stages "
        "(e.g. state); empty when the model has no stages.",
    )
    log_reads = fields.Boolean(
        string="Log Views and Downloads",
        default=True,
        help="Log who opened the document in the web client or the portal, who read it "
        "through the APIs (read, search_read) and who downloaded its files (once per user, "
        "document and minute).",
    )
    log_list_reads = fields.Boolean(
        string="Log List Views",
        help="Also log the documents shown in the web client's lists and kanbans as views "
        "(once per user, document and minute; one INSERT per list).",
    )

    _model_unique = models.Constraint("UNIQUE (model_id)", "A model is configured only once.")

    @api.constrains("model_id", "stage_field")
    def _check_stage_field(self):
        for config in self:
            model = self.env.get(config.model_id.model)
            if model is None:
                continue
            if config.stage_field and config.stage_field not in model._fields:
                raise ValidationError(
                    self.env._(
                        "The model %(model)s has no field %(field)s: choose the field that "
                        "holds the document's stage, or leave it empty.",
                        model=config.model_id.model,
                        field=config.stage_field,
                    )
                )
            if config.stage_field and not model._fields[config.stage_field].store:
                raise ValidationError(
                    self.env._("The stage field %s must be stored.", config.stage_field)
                )

    @api.model_create_multi
    def create(self, vals_list):
        configs = super().create(vals_list)
        self.flush_model()  # _oms_config reads the table
        self.env.registry.clear_cache()
        configs._oms_log_settings("create")
        return configs

    def write(self, vals):
        before = {config.id: config._oms_settings() for config in self}
        result = super().write(vals)
        self.flush_model()  # _oms_config reads the table
        self.env.registry.clear_cache()
        self._oms_log_settings("change", before)
        return result

    def unlink(self):
        before = {config.id: config._oms_settings() for config in self}
        names = {config.id: config.display_name for config in self}
        result = super().unlink()
        self.env.registry.clear_cache()
        self.env["oms.document.log"]._oms_execute_change_rows(
            [
                {
                    "res_model": self._name,
                    "res_id": config_id,
                    "res_name": names[config_id],
                    "action": "delete",
                    "details": "\n".join(f"{label}: {text}" for label, text in settings.values()),
                }
                for config_id, settings in before.items()
            ]
            if self.env.registry.ready
            else []
        )
        return result

    def _oms_settings(self):
        """``{field: (label, value as text)}`` of the logged settings of one record."""
        self.ensure_one()
        settings = {}
        for fname in LOGGED_SETTINGS:
            field = self._fields[fname]
            value = self[fname]
            if field.type == "many2one":
                text = value.model if value else "∅"
            elif field.type == "boolean":
                text = self.env._("Yes") if value else self.env._("No")
            else:
                text = value or "∅"
            settings[fname] = (field._description_string(self.env), text)
        return settings

    def _oms_log_settings(self, action, before=None):
        """Log the creation or the change of these configurations, in this transaction
        (installing or upgrading modules logs nothing, as for the documents)."""
        if not self.env.registry.ready:
            return
        rows = []
        for config in self:
            settings = config._oms_settings()
            if before is None:
                lines = [f"{label}: {value}" for label, value in settings.values()]
            else:
                old = before.get(config.id, {})
                lines = [
                    f"{label}: {old[fname][1]} → {value}"
                    for fname, (label, value) in settings.items()
                    if fname in old and old[fname][1] != value
                ]
            if lines:
                rows.append(
                    {
                        "res_model": self._name,
                        "res_id": config.id,
                        "res_name": config.display_name,
                        "action": action,
                        "details": "\n".join(lines),
                    }
                )
        self.env["oms.document.log"]._oms_execute_change_rows(rows)

    @api.model
    @tools.ormcache()
    def _oms_config(self):
        """``{model name: (stage field or None, log reads, log list reads)}`` of the active
        configurations."""
        self.env.cr.execute(
            "SELECT model, stage_field, log_reads, log_list_reads FROM oms_audit_model "
            "WHERE active AND model IS NOT NULL"
        )
        return {
            model: (stage or None, bool(reads), bool(lists))
            for model, stage, reads, lists in self.env.cr.fetchall()
        }
