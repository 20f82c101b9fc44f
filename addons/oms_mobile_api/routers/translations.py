from ..dependencies import UserEnv
from ..schemas import Translations
from .common import api_router

router = api_router("session")


@router.get("/translations", summary="The app's texts in the user's language")
def get_translations(env: UserEnv) -> Translations:
    """The code translations of the API's clients (the terms of the mobile app's
    JavaScript and templates, from the `i18n/<lang>.po` files of its module) in the user's
    language: what Odoo's web client gets from `/web/webclient/translations`, as one
    {English: translated} object."""
    lang = env.lang or "en_US"
    return Translations(lang=lang, messages=env["fastapi.endpoint"]._oms_api_translations(lang))
