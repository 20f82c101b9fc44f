from odoo import api, models


class FastapiEndpoint(models.Model):
    _inherit = "fastapi.endpoint"

    @api.model
    def _oms_api_translation_modules(self):
        """The app's texts (its ES modules' ``_t()`` and its OWL templates) are this
        module's code translations: the API's ``GET /translations`` serves them."""
        return [*super()._oms_api_translation_modules(), "oms_mobile_app"]
