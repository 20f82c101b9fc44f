from fastapi import Depends

from ..dependencies import UserEnv, idempotency_key_optional
from ..schemas import EmailCreate, EmailSent
from ..schemas.email import Recipient
from .common import api_router, errors, get_reference

router = api_router("emails")


@router.post(
    "/emails",
    status_code=202,
    summary="E-mail a customer",
    responses=errors(422),
    dependencies=[Depends(idempotency_key_optional)],
)
def send_email(env: UserEnv, body: EmailCreate) -> EmailSent:
    """Queues an e-mail to the customer (or to the order's customer) in Odoo's outgoing
    mail queue, and logs it in the chatter of the order (or of the customer)."""
    order = get_reference(env, "sale.order", body.order_id, "order_id")
    customer = get_reference(env, "res.partner", body.customer_id, "customer_id")
    template = get_reference(env, "mail.template", body.template_id, "template_id")
    document = order or customer
    recipient = customer or order.partner_id
    message = document._oms_api_send_email(
        recipient, template=template, subject=body.subject, body=body.body
    )
    return EmailSent(
        message_id=message.id,
        model=document._name,
        res_id=document.id,
        subject=message.subject or None,
        recipients=[
            Recipient(id=partner.id, name=partner.display_name, email=partner.email)
            for partner in message.partner_ids
        ],
        state="queued",
    )
