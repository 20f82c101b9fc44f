import json
from datetime import datetime, timedelta

from odoo.addons.oms_extended.tests.common import company_warehouse
from odoo.addons.sale.tests.common import SaleCommon
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

API = "/oms/api/v1"


@tagged("post_install", "-at_install")
class OmsApiCase(SaleCommon, HttpCase):
    """The API driven over HTTP by an OMS user who is not an administrator, with its API key,
    next to a second company whose records the user must never see. On Odoo's own sale
    fixtures (``SaleCommon``): its product and service are the catalogue's espresso
    machine and barista training."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.warehouse = company_warehouse(env, cls.company)
        # An English user, whatever the database's default language (e.g. Lithuanian).
        env["res.lang"]._activate_lang("en_US")
        cls.clerk = new_test_user(
            env,
            lang="en_US",
            login="oms_api_clerk",
            name="Mobile Clerk",
            email="clerk@example.com",
            groups="oms_extended.group_oms_user,product.group_product_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.key = cls._api_key(cls.clerk)

        cls.category = env["product.category"].create({"name": "Coffee machines"})
        cls.brand = env["product.brand"].create({"name": "Gaggia"})
        cls.vendor = cls._create_partner(name="Machines Inc.", email="sales@machines.example.com")
        cls.product.write(
            {
                "name": "Espresso machine",
                "default_code": "ESP-1",
                "is_storable": True,
                "list_price": 250.0,
                "standard_price": 120.0,
                "invoice_policy": "order",
                "categ_id": cls.category.id,
                "product_brand_id": cls.brand.id,
                "seller_ids": [Command.create({"partner_id": cls.vendor.id, "delay": 7})],
            }
        )
        env["stock.quant"]._update_available_quantity(cls.product, cls.warehouse.lot_stock_id, 10.0)
        cls.service = cls.service_product
        cls.service.write(
            {"name": "Barista training", "list_price": 80.0, "invoice_policy": "order"}
        )
        # not SaleCommon's partner, who has its quotations
        cls.customer = cls._create_partner(
            name="Café Lumière",
            is_company=True,
            email="hello@cafe-lumiere.example.com",
            city="Lyon",
            country_id=env.ref("base.fr").id,
            customer_rank=1,
        )
        cls.contact = env["res.partner"].create(
            {"name": "Louise Martin", "parent_id": cls.customer.id, "email": "louise@example.com"}
        )

        # A second company, with its own customer, product and order.
        cls.other_company = env["res.company"].create({"name": "Other Company"})
        other = env(context=dict(env.context, allowed_company_ids=cls.other_company.ids))
        cls.other_customer = other["res.partner"].create(
            {"name": "Hidden Customer", "company_id": cls.other_company.id, "customer_rank": 1}
        )
        cls.other_product = other["product.product"].create(
            {"name": "Hidden product", "company_id": cls.other_company.id, "list_price": 9.0}
        )
        cls.other_order = (
            other["sale.order"]
            .with_company(cls.other_company)
            .create(
                {
                    "partner_id": cls.other_customer.id,
                    "company_id": cls.other_company.id,
                    "order_line": [Command.create({"product_id": cls.other_product.id})],
                }
            )
        )

    @classmethod
    def _api_key(cls, user, expiration_date=None):
        # sudo: a persistent key, as an administrator gives one to a device
        return (
            cls.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate(None, "Mobile app", expiration_date)
        )

    @classmethod
    def _order(cls, lines=None, customer=None, date_order=None, confirm=False, **values):
        """An order of the clerk; ``lines`` are (product, quantity) pairs."""
        env = cls.env(user=cls.clerk)
        order = env["sale.order"].create(
            {
                "partner_id": (customer or cls.customer).id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in (lines or [(cls.service, 1)])
                ],
                **values,
            }
        )
        if confirm:
            order.action_confirm()
        if date_order:  # after the confirmation, which dates the order
            order.date_order = date_order
        return order

    def api(self, method, path, body=None, *, key=None, headers=None, raw=None):
        """Call the API as the clerk (or with ``key``); returns the requests response."""
        all_headers = {"Authorization": f"Bearer {key or self.key}"}
        if body is not None or raw is not None:
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        self.env.flush_all()  # the server reads the database, not this test's cache
        response = self.url_open(
            API + path, data=data, headers=all_headers, method=method, timeout=60
        )
        self.env.invalidate_all()  # and may have changed it
        return response

    def assertError(self, response, status, code):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.headers["Content-Type"], "application/json; charset=utf-8")
        error = response.json()["error"]
        self.assertEqual(error["code"], code, error)
        self.assertTrue(error["message"])
        self.assertIsInstance(error["details"], dict)
        return error


class OmsSignInCase(OmsApiCase):
    """Sign-ins of the mobile app (``POST /auth/token``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo puts an address on cooldown after failed sign-ins: start and end clean.
        cls._forget_login_failures()
        cls.addClassCleanup(cls._forget_login_failures)

    @classmethod
    def _forget_login_failures(cls):
        getattr(cls.registry, "_login_failures", {}).clear()

    def sign_in(self, login="oms_api_clerk", password=None, **extra):
        """``POST /auth/token``; the password of a test user is its login."""
        self.env.flush_all()
        response = self.url_open(
            f"{API}/auth/token",
            json={
                "login": login,
                "password": login.strip() if password is None else password,
                **extra,
            },
            timeout=60,
        )
        self.env.invalidate_all()
        return response


def yesterday():
    return datetime.now() - timedelta(days=1)
