from odoo import api, models


class ResLang(models.Model):
    _inherit = "res.lang"

    @api.model
    def _get_lang_from_accept_language(self, accept_language):
        """A malformed Accept-Language header is ignored (RFC 9110), not a server error:
        the ``fastapi`` dispatcher parses it before any route runs."""
        try:
            return super()._get_lang_from_accept_language(accept_language)
        except ValueError:
            return None
