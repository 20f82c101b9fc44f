import logging

from odoo import models

_logger = logging.getLogger(__name__)

SENT_MESSAGE_TYPES = ("comment", "email", "email_outgoing")


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        if len(self) == 1 and self._name in self._oms_audit_models():
            try:
                # sudo: the message's subtype and recipients, whoever posted it
                sent = message.sudo()
                if sent.message_type in SENT_MESSAGE_TYPES and not sent.subtype_id.internal:
                    recipients = ", ".join(sent.partner_ids.mapped("display_name"))
                    details = self.env._(
                        "Subject: %(subject)s\nTo: %(recipients)s",
                        subject=sent.subject or sent.record_name or "",
                        recipients=recipients or self.env._("the followers"),
                    )
                    self.env["oms.document.log"]._oms_log_records(self, "mail", details)
            except Exception:  # logging never breaks the request
                _logger.exception("Document audit: could not log the message on %s", self)
        return message
