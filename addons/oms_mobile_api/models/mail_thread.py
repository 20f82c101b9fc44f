from odoo import models
from odoo.exceptions import UserError


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _oms_api_send_email(self, partner, template=None, subject=None, body=None):
        """E-mail ``partner`` about this document, through Odoo's mail queue: the message
        is logged in the document's chatter and the e-mail waits in the outgoing queue
        (sent by the *Mail: Email Queue Manager* cron). Either a mail ``template`` of the
        document's model, or a ``subject`` and a plain-text ``body``."""
        self.ensure_one()
        if not partner.email:
            raise UserError(
                self.env._(
                    "%(partner)s has no e-mail address: add one before sending e-mails.",
                    partner=partner.display_name,
                )
            )
        thread = self.with_context(mail_notify_force_send=False)
        if template:
            if template.model != self._name:
                raise UserError(
                    self.env._(
                        "The mail template %(template)s is for %(model)s records, not for "
                        "%(document)s.",
                        template=template.display_name,
                        model=template.model,
                        document=self.display_name,
                    )
                )
            return thread.message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=partner.ids,
            )
        return thread.message_post(
            subject=subject,
            body=body,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=partner.ids,
        )
