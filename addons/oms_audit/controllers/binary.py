import logging

from odoo import http
from odoo.addons.web.controllers.binary import Binary
from odoo.http import request

_logger = logging.getLogger(__name__)


def log_download(model, res_id, field, response):
    """Log the download of a file of an audited document (an attachment of it, or one of
    its binary fields) once the file is being sent."""
    if not res_id or getattr(response, "status_code", 200) != 200:
        return
    try:
        audited = request.env["base"]._oms_audit_models()
        if not audited:
            return
        details = None
        if model == "ir.attachment":
            if "ir.attachment" not in audited:
                return
            # sudo: which document the attachment belongs to, for whoever was allowed the file
            attachment = request.env["ir.attachment"].sudo().browse(int(res_id)).exists()
            if not attachment or not attachment.res_id:
                return
            model, res_id = attachment.res_model, attachment.res_id
            details = request.env._("Attachment: %s", attachment.name)
        else:
            details = request.env._("Field: %s", field)
        config = audited.get(model)
        if not config or not config[1]:
            return
        # sudo: the document's name (the user was allowed its file, maybe through a token)
        document = request.env[model].sudo().browse(int(res_id)).exists()
        if document:
            request.env["oms.document.log"]._oms_log_records(
                document.with_env(request.env), "download", details
            )
    except Exception:  # logging never breaks the request
        _logger.exception("Document audit: could not log the download of %s,%s", model, res_id)


class OmsAuditBinary(Binary):
    @http.route()
    def content_common(self, xmlid=None, model="ir.attachment", id=None, field="raw", **kw):
        response = super().content_common(xmlid=xmlid, model=model, id=id, field=field, **kw)
        if not xmlid:
            log_download(model, id, field, response)
        return response

    @http.route()
    def content_image(self, xmlid=None, model="ir.attachment", id=None, field="raw", **kw):
        response = super().content_image(xmlid=xmlid, model=model, id=id, field=field, **kw)
        if not xmlid:
            log_download(model, id, field, response)
        return response
