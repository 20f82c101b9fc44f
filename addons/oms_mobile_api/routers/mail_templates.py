from typing import Annotated

from fastapi import Query

from odoo.fields import Domain

from ..dependencies import UserEnv
from ..paging import Cursor, Limit, search_page
from ..schemas import MailTemplate, MailTemplatePage
from ..schemas.mail_template import TemplateModel
from .common import api_router

router = api_router("emails")


@router.get("/mail-templates", summary="Mail templates to send with POST /emails")
def list_mail_templates(
    env: UserEnv,
    model: Annotated[
        TemplateModel,
        Query(
            description="`sale.order` for an e-mail about an order, `res.partner` to a customer."
        ),
    ],
    cursor: Cursor = None,
    limit: Limit = 50,
) -> MailTemplatePage:
    """The mail templates of orders or of contacts that the user may read, by name."""
    templates, next_cursor = search_page(
        env["mail.template"],
        Domain("model", "=", model),
        "name",
        cursor=cursor,
        limit=limit,
        field_names=["model"],
    )
    return MailTemplatePage(
        items=[
            MailTemplate(id=template.id, name=template.name or "", model=template.model)
            for template in templates
        ],
        next_cursor=next_cursor,
    )
