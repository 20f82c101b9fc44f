import logging

from odoo import http
from odoo.addons.mail.controllers.attachment import AttachmentController
from odoo.http import request

_logger = logging.getLogger(__name__)


def log_zip_download(file_ids, zip_name, response):
    """Log the attachments of audited documents sent in a zip by ``/mail/attachment/zip``:
    one *download* entry per document (once per user, document and minute), naming the
    files, all in one INSERT."""
    if getattr(response, "status_code", 200) != 200:
        return
    try:
        audited = request.env["base"]._oms_audit_models()
        if "ir.attachment" not in audited:
            return
        ids = [int(file_id) for file_id in str(file_ids).split(",") if file_id.strip()]
        # sudo: which documents the attachments belong to; the user was just sent them all
        # (the zip reads each one with the user's rights)
        attachments = request.env["ir.attachment"].sudo().browse(ids).exists()
        files = {}
        for attachment in attachments:
            config = audited.get(attachment.res_model)
            if config and config[1] and attachment.res_id and not attachment.res_field:
                key = (attachment.res_model, attachment.res_id)
                files.setdefault(key, []).append(attachment.name)
        rows = []
        for (model, res_id), names in files.items():
            # sudo: the document's name (the user was allowed its files)
            document = request.env[model].sudo().browse(res_id).exists()
            if document:
                rows.append(
                    {
                        "res_model": model,
                        "res_id": res_id,
                        "res_name": document.display_name,
                        "action": "download",
                        "details": request.env._(
                            "Attachments in %(zip)s: %(files)s",
                            zip=zip_name,
                            files=", ".join(names),
                        ),
                    }
                )
        request.env["oms.document.log"]._oms_insert(rows)
    except Exception:  # logging a read never breaks the request
        _logger.exception("Document audit: could not log the zip of attachments %s", file_ids)


class OmsAuditAttachmentController(AttachmentController):
    @http.route()
    def mail_attachment_get_zip(self, file_ids, zip_name, **kw):
        response = super().mail_attachment_get_zip(file_ids, zip_name, **kw)
        log_zip_download(file_ids, zip_name, response)
        return response
