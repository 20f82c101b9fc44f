from fastapi import APIRouter

from . import (
    auth,
    customers,
    emails,
    mail_templates,
    me,
    orders,
    products,
    purchase_orders,
    translations,
)

api_router = APIRouter()
api_router.include_router(me.public_router)
api_router.include_router(auth.public_router)
for module in (
    me,
    auth,
    orders,
    customers,
    products,
    purchase_orders,
    emails,
    mail_templates,
    translations,
):
    api_router.include_router(module.router)
