from fastapi import APIRouter

from . import customers, emails, me, orders, products, purchase_orders

api_router = APIRouter()
api_router.include_router(me.public_router)
for module in (me, orders, customers, products, purchase_orders, emails):
    api_router.include_router(module.router)
