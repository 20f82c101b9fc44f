from .auth import Revoked, Token, TokenRequest
from .common import ErrorResponse, Reference
from .customer import Customer, CustomerCreate, CustomerDetail, CustomerPage
from .email import EmailCreate, EmailSent
from .mail_template import MailTemplate, MailTemplatePage
from .me import Me, Version
from .order import Invoice, Order, OrderCreate, OrderDetail, OrderPage
from .product import (
    CategoryPage,
    Product,
    ProductCreate,
    ProductPage,
    ProductPromise,
    ProductUpdate,
)
from .purchase import PurchaseOrder, PurchaseOrderCreate
from .translations import Translations
