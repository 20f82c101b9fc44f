from odoo.tools.translate import code_translations

from ..dependencies import UserEnv
from ..schemas import Translations
from .common import api_router

router = api_router("session")


@router.get("/translations", summary="The app's texts in the user's language")
def get_translations(env: UserEnv) -> Translations:
    """The code translations of the app (module `oms_mobile_api`, the terms of its JavaScript
    and templates, from its `i18n/<lang>.po` files) in the user's language: what Odoo's web
    client gets from `/web/webclient/translations`, as one {English: translated} object."""
    lang = env.lang or "en_US"
    translations = code_translations.get_web_translations("oms_mobile_api", lang)
    return Translations(
        lang=lang,
        messages={message["id"]: message["string"] for message in translations["messages"]},
    )
