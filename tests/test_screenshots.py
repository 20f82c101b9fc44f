"""The README's screenshots of the main screens, taken by chromium (playwright) against the
test server, on data this test builds through the models' own methods: the Order Board, an
order paid by two payments, a shipment and its tracking timeline, the stock at risk, a
customer's Customer 360 tab, the document access log, the Sales Dashboard and the mobile
app's Today screen. Each screen is checked for its real content before it is taken.

One browser and one sign-in per language: ``TestScreenshots`` in English into
docs/screenshots/, ``TestScreenshotsLithuanian`` as a user switched to lt_LT into
docs/lt/screenshots/ (Odoo's own Lithuanian loaded from its lt.po files, and the OMS
addons' where they have one).

The images are written when missing or when asked (``OMS_SCREENSHOTS=1``), so that a test
run leaves the checkout as it was (dates and numbers differ at each run)."""

import os
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from pathlib import Path
from unittest.mock import patch

from playwright.sync_api import expect, sync_playwright

from odoo import fields
from odoo.addons.oms_extended.tests.common import OmsOrderCommon, unlimited_address_space
from odoo.addons.oms_shipping.tests.common_shipment import make_order, setup_shipping
from odoo.tests import Form, HttpCase, new_test_user, tagged

CHROMIUM = "/usr/bin/chromium"
DOCS = Path(__file__).resolve().parent.parent / "docs"
TIMEOUT = 30_000
NAVIGATION_TIMEOUT = 180_000  # ms: the test server shares two cores with other work
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 360, "height": 740}
# the modules whose Lithuanian the screens show (Odoo's, and ours once they have an lt.po)
LT_MODULES = [
    "base",
    "web",
    "mail",
    "product",
    "uom",
    "sales_team",
    "sale",
    "sale_management",
    "sale_stock",
    "stock",
    "account",
    "payment",
    "account_payment",
    "delivery",
    "stock_delivery",
    "purchase",
    "purchase_stock",
    "crm",
    "sale_crm",
    "contacts",
    "portal",
]
# (day before today, sold): a product that sells every day and is nearly out of stock
HISTORY = [(-14, 4), (-12, 3), (-10, 5), (-8, 4), (-6, 3), (-4, 4), (-2, 5), (-1, 4)]


@tagged("post_install", "-at_install")
class TestScreenshots(HttpCase, OmsOrderCommon):
    LANG = "en_US"
    LOCALE = "en-US"
    FOLDER = DOCS / "screenshots"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        if cls.LANG != "en_US":
            env["res.lang"]._activate_lang(cls.LANG)
            oms = env["ir.module.module"].search(
                [("name", "=like", "oms\\_%"), ("state", "=", "installed")]
            )
            env["ir.module.module"]._load_module_terms(LT_MODULES + oms.mapped("name"), [cls.LANG])
        getattr(cls.registry, "_login_failures", {}).clear()
        cls.default_rule.active = False  # the orders stay where this test puts them
        # SaleCommon's quotations are not this shop's: the Order Board shows this test's
        (cls.empty_order | cls.sale_order).unlink()
        cls.desk = new_test_user(
            env,
            login="oms_desk",
            name="Order Desk",
            email="desk@example.com",
            lang=cls.LANG,
            tz="Europe/Vilnius",
            groups="oms_extended.group_oms_manager,product.group_product_manager",
        )
        cls.desk_env = env(user=cls.desk, context={"lang": cls.LANG})
        setup_shipping(cls)
        cls._orders()
        cls._shipments()
        cls._stock_at_risk()
        cls._customer_figures()
        cls._facts()
        env.flush_all()
        env.cr.flush()  # the pre-commit hooks: the access log's entries of the above

    # ------------------------------------------------------------------ the data
    @classmethod
    def _orders(cls):
        env = cls.desk_env
        names = ["Café Lumière", "Bistro Nord", "Kavinė Aušra", "Green Bean Bar", "Espresso Point"]
        cls.customers = cls.customer | cls.ship_customer
        for name in names[2:]:
            cls.customers |= env["res.partner"].create({"name": name, "is_company": True})
        (cls.customer | cls.ship_customer).is_company = True
        for customer, code in zip(cls.customers, ("lt", "lv", "lt", "pl", "ee"), strict=True):
            customer.country_id = cls.env.ref(f"base.{code}")
        now = fields.Datetime.now()
        cls.board = env["sale.order"]
        # a month of sales for the dashboard and the customer figures
        for day in range(28, 0, -3):
            customer = cls.customers[day % len(cls.customers)]
            order = cls._order([(cls.product, 1 + day % 3), (cls.service, 1)], env=env)
            order.partner_id = customer
            order.action_confirm()
            order.date_order = now - timedelta(days=day)
            cls._deliver(order)
            invoice = order._create_invoices()
            invoice.action_post()
            cls.board |= order
        cls.quotation = cls._order([(cls.product, 3)], env=env)
        cls.awaiting = cls._order([(cls.product, 2), (cls.service, 1)], env=env)
        cls._pay(cls.awaiting, "bank_transfer", 100.0)  # a deposit, the rest awaited
        cls.ready = cls._order([(cls.product, 1)], env=env)
        cls.ready.action_confirm()
        # paid by a deposit on the bank and the balance in cash
        cls.paid = cls._order([(cls.product, 2), (cls.service, 1)], env=env)
        cls.paid.action_confirm()
        cls._pay(cls.paid, "bank_transfer", 100.0)
        cls._pay(cls.paid, "cash", cls.paid.oms_amount_due)
        cls.board |= cls.quotation | cls.awaiting | cls.ready | cls.paid

    @classmethod
    def _pay(cls, order, method, amount):
        action = order.with_env(cls.desk_env).action_oms_register_payment()
        context = dict(cls.desk_env.context, **action["context"])
        with Form(cls.desk_env["oms.order.payment"].with_context(**context)) as form:
            form.method = method
            form.amount = amount
        form.record.action_register()

    @classmethod
    def _shipments(cls):
        Event = cls.env["oms.shipment.event"].sudo()
        now = fields.Datetime.now()

        def at(hours):
            return fields.Datetime.to_string(now - timedelta(hours=hours))

        cls.shipped = make_order(cls, tracking="FP-4410-2291", validate=True)
        cls.shipment = cls.shipped.oms_shipment_ids
        Event._oms_ingest(
            cls.carrier,
            [
                {
                    "tracking_number": "FP-4410-2291",
                    "status": "picked_up",
                    "time": at(30),
                    "location": "Vilnius hub",
                    "description": "Picked up from the warehouse",
                },
                {
                    "tracking_number": "FP-4410-2291",
                    "status": "in_transit",
                    "time": at(20),
                    "location": "Kaunas depot",
                    "description": "Sorted, on its way",
                },
                {
                    "tracking_number": "FP-4410-2291",
                    "status": "out_for_delivery",
                    "time": at(2),
                    "location": "Kaunas",
                    "description": "With the courier",
                },
            ],
        )
        cls.problem = make_order(cls, tracking="FP-4410-3307", validate=True)
        Event._oms_ingest(
            cls.carrier,
            [
                {
                    "tracking_number": "FP-4410-3307",
                    "status": "exception",
                    "time": at(5),
                    "location": "Klaipėda depot",
                    "description": "Address not found",
                },
            ],
        )
        cls.board |= cls.shipped | cls.problem

    @classmethod
    def _stock_at_risk(cls):
        env = cls.env
        env.company.days_to_purchase = 0.0
        stock = cls.warehouse.lot_stock_id
        vendor = env["res.partner"].create({"name": "Beans Wholesale", "is_company": True})
        cls.beans = env["product.product"].create(
            {"name": "Arabica beans 1 kg", "is_storable": True, "standard_price": 12.0}
        )
        env["product.supplierinfo"].create(
            {
                "partner_id": vendor.id,
                "product_tmpl_id": cls.beans.product_tmpl_id.id,
                "delay": 7,
                "price": 12.0,
            }
        )
        today = fields.Date.context_today(cls.beans)

        def day(offset):
            return datetime.combine(today + timedelta(days=offset), time(12))

        cls._move(cls.beans, env.ref("stock.stock_location_suppliers"), stock, 40, day(-15))
        for offset, sold in HISTORY:
            cls._move(
                cls.beans, stock, env.ref("stock.stock_location_customers"), sold, day(offset)
            )
        cls.policy = env(user=cls.desk)["oms.reorder.policy"].create(
            {
                "name": "Main warehouse",
                "warehouse_id": cls.warehouse.id,
                "demand_window_days": 14,
                "service_level": 95.0,
                "review_period_days": 1.0,
                "cover_days": 30.0,
            }
        )
        cls.policy.action_compute_now()

    @classmethod
    def _move(cls, product, source, dest, qty, when):
        move = cls.env["stock.move"].create(
            {
                "product_id": product.id,
                "product_uom": product.uom_id.id,
                "product_uom_qty": qty,
                "location_id": source.id,
                "location_dest_id": dest.id,
            }
        )
        move._action_confirm()
        move._action_assign()
        move.quantity = qty
        move.picked = True
        move._action_done()
        move.write({"date": when})
        move.move_line_ids.write({"date": when})

    @classmethod
    def _customer_figures(cls):
        cls.customers.with_env(cls.desk_env).action_oms_recompute_lifecycle()

    @classmethod
    def _facts(cls):
        """What a commit does for the summary tables: the queue, then its cron."""
        cls.env.flush_all()
        cls.env.cr.flush()
        with patch.object(type(cls.env["ir.cron"]), "_commit_progress", return_value=60.0):
            cls.env["oms.sale.fact"]._process_queue()
        cls.desk.oms_dashboard_filters = {
            "period": "last_30",
            "row_limit": 5,
            "ranking_ids": [
                cls.env.ref(f"oms_reports.ranking_{key}").id
                for key in ("products", "customers", "countries")
            ],
        }

    # ------------------------------------------------------------------ the browser
    def label(self, record, field, value=None):
        """The label of a selection field's value, in the user's language."""
        env = record.with_env(self.desk_env).env
        selection = dict(record._fields[field]._description_selection(env))
        return selection[value or record[field]]

    @contextmanager
    def browser(self):
        self.env.flush_all()
        with (
            self.allow_requests(all_requests=True),
            unlimited_address_space(),
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-zygote"]
            )
            try:
                yield browser
            finally:
                browser.close()
        self.env.invalidate_all()

    def new_page(self, browser, viewport, cookie=False, **options):
        context = browser.new_context(
            viewport=viewport, locale=self.LOCALE, device_scale_factor=1, **options
        )
        context.set_default_timeout(TIMEOUT)
        expect.set_options(timeout=TIMEOUT)
        # the first page builds the web client's assets when no earlier test did
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT)
        if cookie:
            context.add_cookies(
                [{"name": "session_id", "value": self.session.sid, "url": self.base_url()}]
            )
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        return page

    def shot(self, page, name, full_page=False):
        page.wait_for_timeout(400)  # let the last render settle
        image = page.screenshot(full_page=full_page)
        self.assertTrue(image.startswith(b"\x89PNG"), name)
        self.FOLDER.mkdir(parents=True, exist_ok=True)
        target = self.FOLDER / f"{name}.png"
        if os.environ.get("OMS_SCREENSHOTS") or not target.exists():
            target.write_bytes(image)
        self.taken.append(name)

    def open(self, page, path, selector):
        page.goto(f"{self.base_url()}/odoo/{path}", wait_until="domcontentloaded")
        page.wait_for_selector(selector, timeout=NAVIGATION_TIMEOUT)
        expect(page.locator(".o_loading_indicator")).to_have_count(0)

    def tab(self, page, name):
        page.click(f".o_notebook_headers a[name={name}]")

    def test_screenshots(self):
        self.errors, self.taken = [], []
        self.authenticate("oms_desk", "oms_desk")
        with self.browser() as browser:
            page = self.new_page(browser, DESKTOP, cookie=True)
            self.screen_order_board(page)
            self.screen_order_payments(page)
            self.screen_shipment(page)
            self.screen_stock_at_risk(page)
            self.screen_customer_360(page)
            self.screen_access_log(page)
            self.screen_dashboard(page)
            lang = page.evaluate('odoo.loader.modules.get("@web/core/user").user.lang')
            self.assertEqual(lang.replace("-", "_"), self.LANG, "the web client's language")
            self.screen_app(browser)
        self.assertEqual(self.errors, [], "no JavaScript error")
        self.assertEqual(len(self.taken), 8)

    def screen_order_board(self, page):
        self.open(page, "action-oms_extended.action_oms_order_board", ".o_kanban_group")
        for order in self.quotation | self.awaiting | self.ready | self.problem:
            column = page.locator(".o_kanban_group", has_text=self.label(order, "oms_state"))
            expect(column.locator(".o_kanban_record", has_text=order.name)).to_be_visible()
        self.assertEqual(
            (self.quotation.oms_state, self.awaiting.oms_state, self.ready.oms_state),
            ("quotation", "awaiting_payment", "ready_to_ship"),
        )
        self.assertEqual(self.problem.oms_state, "exception")
        self.shot(page, "order_board")

    def screen_order_payments(self, page):
        order = self.paid
        self.assertEqual(order.oms_payment_state, "paid")
        self.assertEqual(len(order.oms_payment_ids), 2)
        self.open(
            page,
            f"action-oms_extended.action_oms_order_board/{order.id}",
            ".o_form_view .o_statusbar_status",
        )
        expect(page.locator(".o_form_view .oe_title")).to_contain_text(order.name)
        self.tab(page, "oms_journey")
        expect(page.locator("div[name=oms_payment_state]")).to_have_text(
            self.label(order, "oms_payment_state")
        )
        expect(page.locator("button[name=action_oms_view_payments]")).to_contain_text("2")
        self.shot(page, "order_payments")

    def screen_shipment(self, page):
        shipment = self.shipment
        self.assertEqual(shipment.status, "out_for_delivery")
        self.open(page, f"action-oms_shipping.action_oms_shipment/{shipment.id}", ".o_form_view h1")
        expect(page.locator("div[name=tracking_ref] input")).to_have_value("FP-4410-2291")
        timeline = page.locator("div[name=event_ids] .o_data_row")
        expect(timeline).to_have_count(3)
        expect(timeline.filter(has_text="Kaunas depot")).to_have_count(1)
        expect(page.locator(".o_statusbar_status button.o_arrow_button_current")).to_have_text(
            self.label(shipment, "status")
        )
        self.shot(page, "shipment_tracking")

    def screen_stock_at_risk(self, page):
        line = self.env["oms.reorder.line"].search(
            [("product_id", "=", self.beans.id), ("warehouse_id", "=", self.warehouse.id)]
        )
        self.assertTrue(line.at_risk, "a product that sells out before its vendor delivers")
        self.open(page, "action-oms_replenishment.action_oms_stock_at_risk", ".o_list_view")
        expect(page.locator(".o_data_row", has_text="Arabica beans 1 kg")).to_be_visible()
        self.shot(page, "stock_at_risk")

    def screen_customer_360(self, page):
        customer = self.customer
        self.assertTrue(customer.oms_customer_stat_ids, "figures computed")
        self.open(page, f"action-account.res_partner_action_customer/{customer.id}", ".o_form_view")
        self.tab(page, "oms_customer_360")
        expect(page.locator("div[name=oms_segment]")).to_have_text(
            self.label(customer, "oms_segment")
        )
        expect(page.locator("div[name=oms_customer_stat_ids] .o_data_row")).to_have_count(1)
        self.shot(page, "customer_360")

    def screen_access_log(self, page):
        Log = self.env["oms.document.log"]
        logged = Log.search([("res_model", "=", "sale.order"), ("res_id", "=", self.paid.id)])
        self.assertTrue(logged, "the paid order's creation and changes are logged")
        self.open(page, "action-oms_audit.action_oms_document_log", ".o_list_view .o_data_row")
        expect(page.locator(".o_data_row", has_text=self.paid.name).first).to_be_visible()
        expect(page.locator(".o_data_row", has_text="Order Desk").first).to_be_visible()
        self.shot(page, "access_log")

    def screen_dashboard(self, page):
        page.set_viewport_size({"width": 1440, "height": 1500})
        self.open(
            page,
            "action-oms_reports.action_oms_sales_dashboard",
            ".o_oms_ranking[data-ranking-key=countries] canvas.o_oms_ranking_chart",
        )
        customers = page.locator(".o_oms_ranking[data-ranking-key=customers]")
        expect(customers).to_contain_text(self.customers[0].name)
        self.shot(page, "sales_dashboard", full_page=True)
        page.set_viewport_size(DESKTOP)

    def screen_app(self, browser):
        """The mobile app: its own sign-in (an API key for the device), then Today."""
        page = self.new_page(browser, PHONE, is_mobile=True, has_touch=True)
        page.goto(f"{self.base_url()}/oms/app")
        page.fill("input[name=login]", "oms_desk")
        page.fill("input[name=password]", "oms_desk")
        page.fill("input[name=device]", "Shop phone")
        page.click("button[type=submit]")
        waiting = page.locator("[data-kpi=waiting] .value")
        expect(waiting).to_be_visible()
        expect(page.locator(".waiting .row", has_text=self.quotation.name)).to_be_visible()
        self.shot(page, "mobile_today")
        page.context.close()


@tagged("post_install", "-at_install")
class TestScreenshotsLithuanian(TestScreenshots):
    """The same screens as a user switched to Lithuanian, for docs/lt/."""

    LANG = "lt_LT"
    LOCALE = "lt-LT"
    FOLDER = DOCS / "lt" / "screenshots"

    def test_lithuanian_is_loaded(self):
        """Odoo's own terms are in Lithuanian for the user (the OMS addons' once their
        lt.po files are there)."""
        state = self.env["sale.order"]._fields["state"]
        labels = dict(state._description_selection(self.desk_env))
        self.assertEqual(labels["draft"], "Komercinis pasiūlymas")
        self.assertEqual(self.desk.lang, "lt_LT")
