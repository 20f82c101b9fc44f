from odoo import api, fields, models
from odoo.fields import Command

# The demo's products: (reference, name, sales price, cost)
DEMO_PRODUCTS = [
    ("OMS-DEMO-GRINDER", "Coffee Grinder", 120.0, 70.0),
    ("OMS-DEMO-KETTLE", "Gooseneck Kettle", 45.0, 20.0),
    ("OMS-DEMO-BEANS", "Espresso Beans 1 kg", 25.0, 11.0),
]
# The demo's customers: (name, city, e-mail)
DEMO_CUSTOMERS = [
    ("Kavinė Aušra", "Vilnius", "ausra@example.com"),
    ("Baltic Roasters", "Kaunas", "orders@baltic-roasters.example.com"),
    ("Café Lumière", "Klaipėda", "hello@cafe-lumiere.example.com"),
    ("Nordic Beans", "Šiauliai", "buy@nordic-beans.example.com"),
    ("Morning Cup", "Panevėžys", "team@morning-cup.example.com"),
]


class OmsDemo(models.AbstractModel):
    """Builds the demo data of the OMS addons through the models' own methods (confirm,
    deliver, invoice, collect, ...), so that the demo stays true when the code changes.

    Each addon adds its ``_oms_demo_build_*`` method; its ``demo/`` XML calls it with
    ``<function>``, and the tests call the same methods. The methods are private: nothing
    reaches them over RPC. The records they make (names, reasons) are demo data, in
    English, not interface strings: they are not in the translation catalogues."""

    _name = "oms.demo"
    _description = "Order Management Demo Data"

    # ------------------------------------------------------------------ building blocks

    @api.model
    def _oms_demo_company(self):
        return self.env.company

    @api.model
    def _oms_demo_warehouse(self):
        return self.env["stock.warehouse"].search(
            [("company_id", "=", self._oms_demo_company().id)], limit=1
        )

    @api.model
    def _oms_demo_customers(self):
        """The demo's customers, created once (found again by their e-mail)."""
        Partner = self.env["res.partner"]
        country = self.env.ref("base.lt", raise_if_not_found=False)
        customers = Partner
        for name, city, email in DEMO_CUSTOMERS:
            partner = Partner.search([("email", "=", email)], limit=1)
            if not partner:
                partner = Partner.create(
                    {
                        "name": name,
                        "is_company": True,
                        "city": city,
                        "email": email,
                        "country_id": country.id if country else False,
                    }
                )
            customers |= partner
        return customers

    @api.model
    def _oms_demo_products(self):
        """The demo's storable products (invoiced on delivery), 500 of each in stock."""
        Product = self.env["product.product"]
        products = Product
        stock = self._oms_demo_warehouse().lot_stock_id
        for code, name, price, cost in DEMO_PRODUCTS:
            product = Product.search([("default_code", "=", code)], limit=1)
            if not product:
                product = Product.create(
                    {
                        "name": name,
                        "default_code": code,
                        "is_storable": True,
                        "list_price": price,
                        "standard_price": cost,
                        "invoice_policy": "delivery",
                    }
                )
                self._oms_demo_stock(product, 500.0, stock)
            products |= product
        return products

    @api.model
    def _oms_demo_stock(self, product, quantity, location=None):
        """An inventory adjustment, as a storekeeper applies it."""
        location = location or self._oms_demo_warehouse().lot_stock_id
        quant = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": product.id,
                    "location_id": location.id,
                    "inventory_quantity": quantity,
                }
            )
        )
        quant.action_apply_inventory()
        return quant

    @api.model
    def _oms_demo_cash_journal(self):
        """The company's cash journal (cash and cash on delivery are collected there),
        created when its chart of accounts has none."""
        company = self._oms_demo_company()
        Journal = self.env["account.journal"]
        journal = Journal.search(
            [*Journal._check_company_domain(company), ("type", "=", "cash")], limit=1
        )
        return journal or Journal.create(
            {"name": "Cash", "code": "CSHD", "type": "cash", "company_id": company.id}
        )

    @api.model
    def _oms_demo_order(self, partner, lines, method=None, confirm=True, **vals):
        """An order of ``lines`` ((product, quantity) pairs), confirmed unless told. The demo
        orders have no automation rule: the automation would move them on (deliver, invoice)
        and the demo keeps each one where it shows its status."""
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "oms_payment_method": method or False,
                "oms_workflow_id": False,
                "require_payment": False,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
                **vals,
            }
        )
        if confirm:
            order.action_confirm()
        return order

    @api.model
    def _oms_demo_deliver(self, order, ratio=1.0, tracking_ref=None):
        """Validate the order's open delivery for ``ratio`` of each quantity (the rest as a
        backorder), as the warehouse does; ``tracking_ref``: the carrier's number."""
        picking = order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel") and p.picking_type_code == "outgoing"
        )
        if tracking_ref:
            picking.carrier_tracking_ref = tracking_ref
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty * ratio
        picking.move_ids.picked = True
        result = picking.with_context(skip_backorder=ratio >= 1.0).button_validate()
        if isinstance(result, dict) and result.get("res_model"):  # backorder wizard
            wizard = self.env[result["res_model"]].with_context(**result["context"]).create({})
            wizard.process()
        return picking

    @api.model
    def _oms_demo_invoice(self, order):
        """Invoice what was delivered and post the invoice."""
        invoices = order._create_invoices()
        invoices.action_post()
        return invoices

    @api.model
    def _oms_demo_pay(self, order, method, amount=None):
        """Record the customer's payment on the order (``_oms_register_payment``)."""
        return order._oms_register_payment(amount or order.oms_amount_due, method)

    @api.model
    def _oms_demo_backdate(self, order, days):
        """Date a confirmed order ``days`` ago: the demo's history of past sales (Odoo
        dates an order when it is confirmed, so a past order is dated afterwards)."""
        order.date_order = fields.Datetime.subtract(fields.Datetime.now(), days=days)

    # ------------------------------------------------------------------ the demo

    @api.model
    def _oms_demo_build_orders(self):
        """An order in every status of the Order Board (except *Shipped*, which needs the
        carrier's tracking of oms_shipping), paid by each collection method."""
        a, b, c, d, e = self._oms_demo_customers()
        grinder, kettle, beans = self._oms_demo_products()
        self._oms_demo_cash_journal()
        orders = self.env["sale.order"]
        # Quotation: nothing decided yet.
        orders |= self._oms_demo_order(a, [(grinder, 1), (beans, 4)], "card", confirm=False)
        # Awaiting payment: confirmed, the customer must prepay by bank transfer first.
        orders |= self._oms_demo_order(
            b, [(kettle, 3)], "bank_transfer", require_payment=True, prepayment_percent=1.0
        )
        # Ready to ship: paid by card.
        ready = self._oms_demo_order(c, [(grinder, 2)], "card")
        self._oms_demo_pay(ready, "card")
        # Partially shipped: paid by PayPal, half of it delivered.
        partial = self._oms_demo_order(d, [(beans, 10), (kettle, 2)], "paypal")
        self._oms_demo_pay(partial, "paypal")
        self._oms_demo_deliver(partial, ratio=0.5)
        # Delivered: paid in cash at the counter, not invoiced yet.
        delivered = self._oms_demo_order(e, [(kettle, 1), (beans, 2)], "cash")
        self._oms_demo_pay(delivered, "cash")
        self._oms_demo_deliver(delivered)
        # Invoiced: delivered and invoiced, the bank transfer not in yet.
        invoiced = self._oms_demo_order(a, [(beans, 6)], "bank_transfer")
        self._oms_demo_deliver(invoiced)
        self._oms_demo_invoice(invoiced)
        # Done: delivered, invoiced and paid; by bank transfer, by card, and cash on
        # delivery (validating the delivery records the cash the carrier collects).
        for partner, lines, method in (
            (b, [(grinder, 1), (kettle, 1)], "bank_transfer"),
            (c, [(beans, 8)], "card"),
            (e, [(grinder, 1)], "cod"),
        ):
            done = self._oms_demo_order(partner, lines, method)
            if method != "cod":
                self._oms_demo_pay(done, method)
            self._oms_demo_deliver(done)
            self._oms_demo_invoice(done)
            done._oms_reconcile_payments()
            orders |= done
        # Cancelled: the customer changed their mind.
        cancelled = self._oms_demo_order(d, [(grinder, 3)], "card")
        cancelled.action_cancel()
        # Exception: the card payment failed.
        failed = self._oms_demo_order(b, [(kettle, 2), (beans, 2)], "card", confirm=False)
        failed._oms_set_exception("payment", "Payment by card failed: the card was declined.")
        return orders | ready | partial | delivered | invoiced | cancelled | failed
