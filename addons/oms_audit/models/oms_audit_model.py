from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError


class OmsAuditModel(models.Model):
    """Which models the document audit trail follows.

    The hooks of ``base`` ask :meth:`_oms_config` (cached, one dictionary lookup per call)
    whether a model is audited, so a model that is not costs nothing more.
    """

    _name = "oms.audit.model"
    _description = "Audited Document Model"
    _order = "model"

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
        help="Log who opened the document in the web client or the portal and who "
        "downloaded its files (once per user, document and minute).",
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
        return configs

    def write(self, vals):
        result = super().write(vals)
        self.flush_model()  # _oms_config reads the table
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    @api.model
    @tools.ormcache()
    def _oms_config(self):
        """``{model name: (stage field or None, log reads)}`` of the active configurations."""
        self.env.cr.execute(
            "SELECT model, stage_field, log_reads FROM oms_audit_model "
            "WHERE active AND model IS NOT NULL"
        )
        return {
            model: (stage or None, bool(reads)) for model, stage, reads in self.env.cr.fetchall()
        }
