from odoo import fields, models


class OmsAuditDocumentMixin(models.AbstractModel):
    """The "Access log" smart button and the stage progress of an audited document."""

    _name = "oms.audit.document.mixin"
    _description = "Document with an Access Log"

    oms_log_count = fields.Integer("Access Log", compute="_compute_oms_log_count")

    def _compute_oms_log_count(self):
        # sudo: counting the entries of documents the user is reading (the form shows them)
        log = self.env["oms.document.log"].sudo()
        counts = dict(
            log._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        for record in self:
            record.oms_log_count = counts.get(record.id, 0)

    def action_oms_access_log(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("oms_audit.action_oms_document_log")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {"search_default_group_action": 0}
        action["display_name"] = self.env._("Access Log: %s", self.display_name)
        return action

    def action_oms_stage_progress(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "oms_audit.action_oms_document_stage"
        )
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["view_mode"] = "list,pivot,graph"
        action["views"] = [(False, "list"), (False, "pivot"), (False, "graph")]
        action["display_name"] = self.env._("Stage Progress: %s", self.display_name)
        return action
