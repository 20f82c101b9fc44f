import hashlib
import hmac
import json
import socket
import time
from unittest.mock import patch

import requests
from requests.structures import CaseInsensitiveDict

from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user

SECRET = "whsec-test-0123456789"


def setup_shipping(cls):
    """A carrier with a webhook secret, a customer, a storable product in stock and a
    salesperson; for TransactionCase and HttpCase classes alike."""
    env = cls.env
    company = env.company
    if not company.chart_template:
        env["account.chart.template"].try_loading("generic_coa", company=company)
    cls.warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    cls.ship_product = env["product.product"].create(
        {"name": "Grinder", "is_storable": True, "list_price": 40.0, "taxes_id": []}
    )
    env["stock.quant"]._update_available_quantity(
        cls.ship_product, cls.warehouse.lot_stock_id, 1000.0
    )
    delivery_product = env["product.product"].create(
        {"name": "Parcel delivery", "type": "service", "list_price": 0.0, "taxes_id": []}
    )
    cls.carrier = env["delivery.carrier"].create(
        {
            "name": "Fast Parcel",
            "delivery_type": "fixed",
            "fixed_price": 0.0,
            "product_id": delivery_product.id,
            "oms_code": "fastparcel",
            "oms_webhook_secret": SECRET,
        }
    )
    cls.ship_customer = env["res.partner"].create(
        {"name": "Bistro Nord", "email": "bistro@example.com"}
    )
    cls.salesperson = env["res.users"].search([("login", "=", "admin")], limit=1)


def setup_polling(cls):
    """``setup_shipping`` without mail tracking, the carrier polled through the generic
    JSON adapter (its tracking URL template)."""
    cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
    setup_shipping(cls)
    with FakeCarrierHTTP():
        cls.carrier.write({"oms_tracking_url_template": TRACKING_URL})


def make_order(cls, tracking=None, validate=False, **vals):
    """A confirmed order of the shipping product; its delivery gets the carrier and
    ``tracking``, and is validated when ``validate``."""
    order = cls.env["sale.order"].create(
        {
            "partner_id": cls.ship_customer.id,
            "user_id": cls.salesperson.id,
            "order_line": [Command.create({"product_id": cls.ship_product.id})],
            **vals,
        }
    )
    order.action_confirm()
    picking = order.picking_ids
    picking.carrier_id = cls.carrier
    if tracking:
        picking.carrier_tracking_ref = tracking
    if validate:
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking.button_validate()
    return order


def sign(body, secret=SECRET, timestamp=None):
    """The webhook headers of ``body`` (bytes)."""
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = hmac.new(
        secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return {
        "X-OMS-Timestamp": timestamp,
        "X-OMS-Signature": signature,
        "Content-Type": "application/json",
    }


def process_inbox(env):
    """Run the processor of stored webhook requests as its cron does (without committing)
    and forget the cache (requests are stored by SQL)."""
    env.flush_all()
    with patch.object(
        type(env["ir.cron"]), "_commit_progress", lambda self, *args, **kwargs: float("inf")
    ):
        env["oms.tracking.inbox"].sudo()._cron_oms_process_inbox()
    env.invalidate_all()


def event(number, status, when, **extra):
    return {"tracking_number": number, "status": status, "time": when, **extra}


def body_of(payload):
    return json.dumps(payload).encode()


# ---------------------------------------------------------------------- carrier HTTP mocks

PUBLIC_IP = "93.184.216.34"
TRACKING_HOST = "tracking.example.com"
TRACKING_URL = f"https://{TRACKING_HOST}/track/{{tracking_number}}"


class FakeCarrierHTTP:
    """Replaces the DNS lookup and the transport of outbound carrier requests (no network).

    ``dns`` maps host names to their addresses; ``handler(url)`` returns
    ``(status, headers, body)``, where ``body`` is bytes or an iterable of byte pieces;
    ``hits`` lists the URLs requested, ``lookups`` the host names resolved."""

    def __init__(self, handler=None, dns=None):
        self.handler = handler or (lambda url: (200, {}, b"[]"))
        self.dns = {TRACKING_HOST: [PUBLIC_IP], **(dns or {})}
        self.hits, self.lookups, self.kwargs = [], [], []
        self._patches = []

    def resolve(self, host, port):
        self.lookups.append(host)
        if host not in self.dns:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return list(self.dns[host])

    def send(self, adapter, request, **kwargs):
        self.hits.append(request.url)
        self.kwargs.append(kwargs)
        status, headers, body = self.handler(request.url)
        response = requests.Response()
        response.status_code = status
        response.headers = CaseInsensitiveDict(headers)
        response.url = request.url
        response.request = request
        response.raw = _Pieces([body] if isinstance(body, bytes) else body)
        return response

    def __enter__(self):
        from odoo.addons.oms_shipping import carrier_http

        self._patches = [
            patch.object(carrier_http, "resolve", self.resolve),
            patch.object(carrier_http.PublicHTTPSAdapter, "send", self._bound_send()),
        ]
        for one in self._patches:
            one.start()
        return self

    def _bound_send(self):
        fake = self

        def send(adapter, request, **kwargs):
            return fake.send(adapter, request, **kwargs)

        return send

    def __exit__(self, *exc):
        for one in reversed(self._patches):
            one.stop()


class _Pieces:
    """A response body served in the given pieces (as urllib3's ``stream`` would)."""

    def __init__(self, pieces):
        self.pieces = iter(pieces)

    def stream(self, amt=None, decode_content=True):
        yield from self.pieces

    def close(self):
        self.pieces = iter(())


def json_answer(payload, status=200):
    return status, {"Content-Type": "application/json"}, json.dumps(payload).encode()


class ShipmentCase(TransactionCase):
    """``setup_shipping`` with a storekeeper (``storekeeper_login``), tracking disabled."""

    storekeeper_login = "ship_storekeeper"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        setup_shipping(cls)
        cls.storekeeper = new_test_user(
            cls.env, login=cls.storekeeper_login, groups="stock.group_stock_user"
        )
