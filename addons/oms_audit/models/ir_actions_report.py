import logging

from odoo import models

_logger = logging.getLogger(__name__)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _oms_audit_printed(self, report_ref, res_ids):
        """Log a print of the documents ``res_ids`` when the report's model is audited."""
        if not res_ids or self.env.context.get("oms_audit_in_pdf"):
            return
        try:
            report = self._get_report(report_ref)
            if report.model not in self.env["base"]._oms_audit_models():
                return
            ids = [res_ids] if isinstance(res_ids, int) else list(res_ids)
            # sudo: the documents' names, for a portal customer printing through a token
            records = self.env[report.model].sudo().browse(ids).exists()
            self.env["oms.document.log"]._oms_log_records(
                records.with_env(self.env), "print", self.env._("Report: %s", report.name)
            )
        except Exception:  # logging never breaks the request
            _logger.exception("Document audit: could not log the print of %s", report_ref)

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        # the PDF is made from the HTML rendering: log it once, as this PDF
        result = super(IrActionsReport, self.with_context(oms_audit_in_pdf=True))._render_qweb_pdf(
            report_ref, res_ids=res_ids, data=data
        )
        self._oms_audit_printed(report_ref, res_ids)
        return result

    def _render_qweb_html(self, report_ref, docids, data=None):
        result = super()._render_qweb_html(report_ref, docids, data=data)
        self._oms_audit_printed(report_ref, docids)
        return result

    def _render_qweb_text(self, report_ref, docids, data=None):
        result = super()._render_qweb_text(report_ref, docids, data=data)
        self._oms_audit_printed(report_ref, docids)
        return result
