from typing import Literal

from pydantic import BaseModel, Field

TemplateModel = Literal["sale.order", "res.partner"]


class MailTemplate(BaseModel):
    id: int
    name: str = Field(description="In the user's language.")
    model: TemplateModel = Field(
        description="`sale.order`: send it with `order_id`; `res.partner`: with `customer_id`."
    )


class MailTemplatePage(BaseModel):
    items: list[MailTemplate]
    next_cursor: str | None = Field(
        description="Pass it as `cursor` to get the next page; null on the last page."
    )
