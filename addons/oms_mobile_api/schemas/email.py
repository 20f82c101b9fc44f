from pydantic import BaseModel, Field, model_validator

from .common import Id, InputModel, ShortText


class EmailCreate(InputModel):
    """To a customer, or about an order (to its customer unless ``customer_id`` is given):
    either a mail template, or a subject and a body."""

    customer_id: Id | None = Field(default=None, description="Recipient (a customer).")
    order_id: Id | None = Field(
        default=None, description="The order the e-mail is about; logged on it."
    )
    template_id: Id | None = Field(
        default=None,
        description="A mail template of sale orders (with `order_id`) or of contacts (without).",
    )
    subject: ShortText | None = Field(default=None, min_length=1)
    body: str | None = Field(default=None, min_length=1, max_length=100000, description="Text.")

    @model_validator(mode="after")
    def _check_content(self):
        if not self.customer_id and not self.order_id:
            raise ValueError("give customer_id, order_id or both")
        if self.template_id and (self.subject or self.body):
            raise ValueError("give template_id, or subject and body, not both")
        if not self.template_id and not (self.subject and self.body):
            raise ValueError("give template_id, or subject and body")
        return self


class Recipient(BaseModel):
    id: int
    name: str
    email: str


class EmailSent(BaseModel):
    message_id: int = Field(description="The message logged on the document.")
    model: str = Field(description="`sale.order` or `res.partner`.")
    res_id: int
    subject: str | None
    recipients: list[Recipient]
    state: str = Field(description="`queued`: waiting in Odoo's outgoing mail queue.")
