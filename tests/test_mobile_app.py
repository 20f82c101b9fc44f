"""The mobile web app (/oms/app) in headless chromium at phone size, against the test server:
sign in, take orders online and offline (exactly one order on the server per order taken),
accept an order, edit a price; a screenshot of every screen goes to docs/screenshots/."""

import base64
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from odoo.addons.auth_totp.models.totp import hotp
from odoo.addons.oms_extended.tests.common import unlimited_address_space
from odoo.addons.oms_mobile_api.tests.common import OmsApiCase
from odoo.fields import Command, Domain
from odoo.tests import new_test_user, tagged
from odoo.tests.common import _registry_test_lock

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 360, "height": 740}
TABLET = {"width": 800, "height": 1280}
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PHOTO = base64.b64decode(  # a 1x1 PNG, as a phone camera would give a bigger one
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
TIMEOUT = 20_000
# An order the server refuses, queued as the app queues orders.
QUEUE_BAD_ORDER = """() => {
    const queue = window.omsApp.state.queue;
    const bad = JSON.parse(JSON.stringify(queue[0]));
    Object.assign(bad, {id: "bad", idempotencyKey: "bad-key", summary: "A deleted product"});
    bad.body.lines = [{product_id: 999999, quantity: 1}];
    queue.push(bad);
    localStorage.setItem("oms.queue", JSON.stringify(queue));
}"""
# The app's requests again, as a retry after a lost answer sends them.
REPLAY = """async (queue) => {
    const answers = [];
    for (const item of queue) {
        const response = await fetch("/oms/api/v1/orders", {
            method: "POST",
            headers: {
                Authorization: `Bearer ${window.omsApp.state.key}`,
                "Content-Type": "application/json",
                "Idempotency-Key": item.idempotencyKey,
            },
            body: JSON.stringify(item.body),
        });
        answers.push([response.status, response.headers.get("Idempotent-Replayed")]);
    }
    return answers;
}"""  # ms: the test server shares two cores


@tagged("post_install", "-at_install")
class TestMobileApp(OmsApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Failed sign-ins of other tests must not put this address on cooldown.
        getattr(cls.registry, "_login_failures", {}).clear()
        # SaleCommon's two quotations are not this shop's: the Today screen counts ours.
        (cls.empty_order | cls.sale_order).unlink()
        cls.quotation = cls._order([(cls.product, 2)], client_order_ref="PHONE-1")
        cls.confirmed = cls._order([(cls.service, 1)], confirm=True)
        cls.quotation_name, cls.confirmed_name = cls.quotation.name, cls.confirmed.name
        cls.espresso = cls.env["product.category"].create(
            {"name": "Espresso", "parent_id": cls.category.id}
        )

    @contextmanager
    def browser(self, viewport=PHONE, service_workers="block", locale="en-US"):
        self.env.flush_all()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        with (
            self.allow_requests(all_requests=True),
            unlimited_address_space(),
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
            try:
                context = browser.new_context(
                    viewport=viewport,
                    device_scale_factor=1,
                    is_mobile=viewport is PHONE,
                    has_touch=True,
                    locale=locale,
                    service_workers=service_workers,
                )
                context.set_default_timeout(TIMEOUT)
                expect.set_options(timeout=TIMEOUT)
                page = context.new_page()
                errors = []
                page.on("pageerror", lambda error: errors.append(str(error)))
                yield context, page
                self.assertEqual(errors, [], "no JavaScript error in the app")
            finally:
                browser.close()
        self.env.invalidate_all()  # the server changed the database

    def shot(self, page, name):
        page.wait_for_timeout(150)  # let the last render settle
        image = page.screenshot(full_page=False)
        self.assertTrue(image.startswith(b"\x89PNG"), f"a screenshot of {name}")
        # the README's images: written when missing or when asked (OMS_SCREENSHOTS=1), so
        # that a test run leaves the checkout as it was (dates and numbers differ each run)
        target = SCREENSHOTS / f"app_{name}.png"
        if os.environ.get("OMS_SCREENSHOTS") or not target.exists():
            target.write_bytes(image)

    def sign_in(self, page):
        page.goto(self.base_url() + "/oms/app")
        page.fill("input[name=login]", "oms_api_clerk")
        page.fill("input[name=password]", "oms_api_clerk")
        page.fill("input[name=device]", "Test phone")
        page.click("button[type=submit]")
        expect(page.locator(".bar h1")).to_have_text("Today")

    @contextmanager
    def server_state(self):
        """The database as the server left it: waits for the request in progress (the
        test and the server share one cursor) and forgets the test's cache."""
        with _registry_test_lock:
            self.env.invalidate_all()
            yield self.env

    def orders_of(self, customer):
        with self.server_state() as env:
            return env["sale.order"].search([("partner_id", "=", customer.id)])

    def new_order(self, page, quantity=1, note="", screenshot=None):
        page.click("[data-tab=new_order]")
        expect(page.locator(".bar h1")).to_have_text("New order")
        page.fill("input[name=customer_q]", "Lumi")
        page.click(".picks button:has-text('Café Lumière')")
        page.fill("input[name=product_q]", "Espresso")
        page.click(".picks button:has-text('Espresso machine')")
        for _step in range(quantity - 1):
            page.click("button[aria-label=More]")
        if note:
            page.fill("textarea[name=note]", note)
        if screenshot:
            self.shot(page, screenshot)
        page.evaluate("window.omsApp.state.toast = null")  # the message of this order
        page.click("button[name=save]")
        expect(page.locator(".toast")).to_be_visible()
        return page.locator(".toast").inner_text()

    def test_sign_in_orders_online_and_offline(self):
        before = self.orders_of(self.customer)
        with self.browser() as (context, page):
            self.step_sign_in(page)
            queue = self.step_orders_online_then_offline(context, page, before)
            self.step_replay_creates_nothing(page, queue, before)
            self.step_accept_and_invoice(page)
            self.step_email(page)
            self.step_edit_price(page)
            self.step_buy_stock(page)
            self.step_customers(page)
            self.step_sign_out(page)

    def step_sign_in(self, page):
        page.goto(self.base_url() + "/oms/app")
        expect(page.locator("input[name=login]")).to_be_visible()
        self.shot(page, "sign_in")
        # A wrong password: the server's message.
        page.fill("input[name=login]", "oms_api_clerk")
        page.fill("input[name=password]", "wrong")
        page.click("button[type=submit]")
        expect(page.locator(".notice.error")).to_have_text(
            "Wrong login, password or two-factor code."
        )
        self.sign_in(page)
        self.assertTrue(json.loads(page.evaluate("localStorage.getItem('oms.key')")))
        expect(page.locator("[data-kpi=waiting] .value")).to_have_text("1")
        expect(page.locator(".waiting .row", has_text=self.quotation_name)).to_be_visible()
        self.shot(page, "today")
        self.assertTouchTargets(page)
        with self.server_state() as env:
            keys = env["res.users.apikeys"].search([("name", "=", "OMS app: Test phone")])
            self.assertEqual(keys.user_id, self.clerk)

    def step_orders_online_then_offline(self, context, page, before):
        # Online: the order is on the server at once.
        message = self.new_order(page, quantity=2, note="Ring twice", screenshot="new_order")
        created = self.orders_of(self.customer) - before
        self.assertEqual(len(created), 1, message)
        self.assertIn(created.name, message)
        self.assertEqual(created.order_line.product_uom_qty, 2)
        self.assertIn("Ring twice", str(created.note))

        # Offline: two orders wait in the outbox, with their idempotency keys.
        context.set_offline(True)
        expect(page.locator(".bar .status")).to_have_text("Offline")
        self.assertIn("Saved offline", self.new_order(page, note="Offline 1"))
        self.assertIn("Saved offline", self.new_order(page, quantity=3, note="Offline 2"))
        self.assertEqual(len(self.orders_of(self.customer) - before), 1)
        queue = page.evaluate("JSON.parse(localStorage.getItem('oms.queue'))")
        self.assertEqual([item["status"] for item in queue], ["waiting", "waiting"])
        self.assertEqual(len({item["idempotencyKey"] for item in queue}), 2)
        expect(page.locator(".bar .count")).to_have_text("2")
        # A refused order shows the server's message (an order for a product that does
        # not exist, as after a product was deleted).
        page.evaluate(QUEUE_BAD_ORDER)
        page.click("button[aria-label=Outbox]")
        expect(page.locator(".queue")).to_have_count(3)
        # The data seen before stays readable offline.
        page.click("[data-tab=today]")
        expect(page.locator(".notice", has_text="Offline")).to_be_visible()
        expect(page.locator(".waiting .row", has_text=self.quotation_name)).to_be_visible()
        page.click("button[aria-label=Outbox]")
        self.shot(page, "outbox_offline")

        # Back online: the queue is sent by itself, each order exactly once.
        context.set_offline(False)
        expect(page.locator(".queue.waiting")).to_have_count(0)
        expect(page.locator(".queue.failed")).to_have_count(1)
        expect(page.locator(".queue.failed .error-text")).to_contain_text("999999")
        self.shot(page, "outbox_failed")
        created = self.orders_of(self.customer) - before
        self.assertEqual(len(created), 3)
        self.assertEqual(
            sorted(str(order.note) for order in created if "Offline" in str(order.note)),
            ["<p>Offline 1</p>", "<p>Offline 2</p>"],
        )
        return queue

    def step_replay_creates_nothing(self, page, queue, before):
        """Sending the queued orders again (a retry after a lost answer) creates nothing."""
        page.evaluate(
            """() => {
                const state = window.omsApp.state;
                state.queue.splice(0);
                localStorage.setItem('oms.queue', JSON.stringify(state.queue));
            }"""
        )
        self.assertEqual(page.evaluate(REPLAY, queue), [[201, "true"], [201, "true"]])
        self.assertEqual(len(self.orders_of(self.customer) - before), 3)

    def step_accept_and_invoice(self, page):
        # Orders: filter by status, then the detail.
        page.click("[data-tab=orders]")
        page.select_option("select[name=oms_state]", "quotation")
        expect(page.locator(".list .row", has_text=self.confirmed_name)).to_have_count(0)
        expect(page.locator(".list .row", has_text=self.quotation_name)).to_be_visible()
        self.shot(page, "orders")
        page.click(f".list .row:has-text('{self.quotation_name}')")
        expect(page.locator(".card h2")).to_have_text(self.quotation_name)
        self.shot(page, "order_detail")
        page.click("button:has-text('Accept order')")
        expect(page.locator(".toast")).to_contain_text("accepted")
        with self.server_state():
            self.assertEqual(self.quotation.state, "sale")
        page.click("button:has-text('Create invoice')")
        expect(page.locator(".toast")).to_contain_text("Invoice ")
        expect(page.locator("h3", has_text="Invoices")).to_be_visible()
        with self.server_state():
            self.assertEqual(self.quotation.invoice_ids.state, "posted")

    def step_email(self, page):
        page.click("button:has-text('Send e-mail')")
        expect(page.locator("input[name=subject]")).to_have_value(f"About {self.quotation_name}")
        page.fill("textarea[name=body]", "Your machine leaves tomorrow.")
        self.shot(page, "email")
        page.click("button[name=send]")
        expect(page.locator(".toast")).to_contain_text("E-mail queued")
        expect(page.locator(".card h2")).to_have_text(self.quotation_name)
        with self.server_state():
            messages = self.quotation.message_ids.filtered(
                lambda message: "leaves tomorrow" in str(message.body)
            )
            self.assertEqual(messages.subject, f"About {self.quotation_name}")
        # Again, from a mail template: the server writes subject and body.
        template = self.env.ref("sale.email_template_edi_sale")
        page.click("button:has-text('Send e-mail')")
        option = page.locator(f"select[name=template_id] option[value='{template.id}']")
        expect(option).to_have_count(1)
        page.select_option("select[name=template_id]", str(template.id))
        expect(page.locator("input[name=subject]")).to_have_count(0)
        page.evaluate("window.omsApp.state.toast = null")  # the message of this e-mail
        self.shot(page, "email_template")
        page.click("button[name=send]")
        expect(page.locator(".toast")).to_contain_text("E-mail queued")
        expect(page.locator(".card h2")).to_have_text(self.quotation_name)
        with self.server_state() as env:
            mail = env["mail.mail"].search(
                [
                    ("model", "=", "sale.order"),
                    ("res_id", "=", self.quotation.id),
                    ("subject", "!=", f"About {self.quotation_name}"),
                ]
            )
            self.assertEqual(len(mail), 1, "one e-mail from the template")
            self.assertIn(self.quotation_name, mail.subject)
            self.assertEqual(mail.recipient_ids, self.customer)
            self.assertEqual(mail.state, "outgoing")

    def step_edit_price(self, page):
        page.click("[data-tab=catalog]")
        expect(page.locator(".list .row", has_text="Espresso machine")).to_be_visible()
        self.shot(page, "catalog")
        page.click(".list .row:has-text('Espresso machine')")
        expect(page.locator("input[name=list_price]")).to_have_value("250")
        page.fill("input[name=list_price]", "275.5")
        page.fill("textarea[name=description]", "Barista grade")
        page.select_option("select[name=category_id]", label="Coffee machines / Espresso")
        # A photo from the camera (the file input the phone opens its camera for).
        page.set_input_files(
            "input[name=photo]",
            files=[{"name": "photo.png", "mimeType": "image/png", "buffer": PHOTO}],
        )
        expect(page.locator("img.preview")).to_be_visible()
        self.shot(page, "product_edit")
        page.click("button[name=save]")
        expect(page.locator(".toast")).to_contain_text("saved")
        with self.server_state():
            self.assertEqual(self.product.list_price, 275.5)
            self.assertEqual(self.product.description_sale, "Barista grade")
            self.assertEqual(self.product.categ_id, self.espresso)
            self.assertEqual(base64.b64decode(self.product.image_1920), PHOTO)

    def step_buy_stock(self, page):
        page.click("button:has-text('Buy stock')")
        page.click(".picks button:has-text('Machines Inc.')")
        page.fill("input[name=quantity]", "5")
        self.shot(page, "buy_stock")
        page.click("button[name=buy]")
        expect(page.locator(".toast")).to_contain_text("Purchase order")
        with self.server_state() as env:
            purchase = env["purchase.order"].search([("partner_id", "=", self.vendor.id)])
            self.assertEqual(purchase.order_line.product_id, self.product)
            self.assertEqual(purchase.order_line.product_qty, 5)

    def step_customers(self, page):
        page.click("[data-tab=customers]")
        expect(page.locator(".list .row", has_text="Café Lumière")).to_be_visible()
        self.shot(page, "customers")
        page.click(".list .row:has-text('Café Lumière')")
        expect(page.locator(".card h2")).to_have_text("Café Lumière")
        expect(page.locator("h3", has_text="Sales history")).to_be_visible()
        self.shot(page, "customer_detail")
        page.click("[data-tab=customers]")
        page.click(".filters button:has-text('New')")
        page.fill("input[name=name]", "Bistro Nova")
        page.fill("input[name=email]", "bonjour@nova.example.com")
        page.fill("input[name=city]", "Lille")
        self.shot(page, "customer_new")
        page.click("button:has-text('Create customer')")
        expect(page.locator(".card h2")).to_have_text("Bistro Nova")
        with self.server_state() as env:
            self.assertEqual(
                env["res.partner"].search([("name", "=", "Bistro Nova")]).city, "Lille"
            )

    def step_sign_out(self, page):
        """Sign-out removes the device's key on the server."""
        page.click("button[aria-label='Sign out']")
        expect(page.locator("input[name=login]")).to_be_visible()
        self.assertIsNone(page.evaluate("localStorage.getItem('oms.key')"))
        with self.server_state() as env:
            self.assertFalse(
                env["res.users.apikeys"].search([("name", "=", "OMS app: Test phone")])
            )

    def test_user_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        new_test_user(
            self.env,
            login="oms_app_french",
            name="Camille Durand",
            groups="oms_extended.group_oms_user",
            lang="fr_FR",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.browser(service_workers="allow") as (context, page):
            page.goto(self.base_url() + "/oms/app")
            page.fill("input[name=login]", "oms_app_french")
            page.fill("input[name=password]", "oms_app_french")
            page.click("button[type=submit]")
            # The app reloads with the texts of i18n/fr.po, from GET /translations.
            expect(page.locator(".bar h1")).to_have_text("Aujourd'hui")
            expect(page.locator("[data-kpi=orders]")).to_contain_text("Commandes du jour")
            expect(page.locator("[data-tab=customers]")).to_contain_text("Clients")
            expect(page.locator(".bar .status")).to_have_text("En ligne")
            self.shot(page, "today_fr")
            # Texts of the script too (the order statuses).
            page.click("[data-tab=orders]")
            expect(page.locator(".bar h1")).to_have_text("Commandes")
            quotation = page.locator("select[name=oms_state] option[value=quotation]")
            expect(quotation).to_have_text("Devis")
            # Offline, the app opens in French: the translations are kept with the rest.
            page.evaluate("navigator.serviceWorker.ready")
            page.reload()
            expect(page.locator(".bar h1")).to_have_text("Aujourd'hui")
            context.set_offline(True)
            page.reload()
            expect(page.locator(".bar .status")).to_have_text("Hors ligne")
            expect(page.locator("[data-tab=orders]")).to_contain_text("Commandes")
            context.set_offline(False)

    def test_user_in_lithuanian(self):
        """A browser in Lithuanian: the sign-in screen in its language (no user yet), then
        the Lithuanian user's Today screen."""
        self.env["res.lang"]._activate_lang("lt_LT")
        self.env["ir.module.module"]._load_module_terms(
            ["oms_mobile_api", "oms_mobile_app"], ["lt_LT"]
        )
        new_test_user(
            self.env,
            login="oms_app_lithuanian",
            name="Rūta Petraitė",
            groups="oms_extended.group_oms_user",
            lang="lt_LT",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.browser(locale="lt-LT") as (_context, page):
            page.goto(self.base_url() + "/oms/app")
            # Before sign-in: navigator.languages (lt-LT) → GET /oms/app/translations.
            expect(page.locator("html")).to_have_attribute("lang", "lt-LT")
            expect(page.locator("form button[type=submit]")).to_have_text("Prisijungti")
            expect(page.locator("label:has(input[name=password])")).to_contain_text("Slaptažodis")
            expect(page.locator("input[name=device]")).to_have_value("Mano naršyklė")
            self.shot(page, "sign_in_lt")
            # The server's refusal in the browser's language too.
            page.fill("input[name=login]", "oms_app_lithuanian")
            page.fill("input[name=password]", "wrong")
            page.click("button[type=submit]")
            expect(page.locator(".notice.error")).to_have_text(
                "Neteisingas prisijungimo vardas, slaptažodis arba dviejų veiksnių kodas."
            )
            page.fill("input[name=password]", "oms_app_lithuanian")
            page.click("button[type=submit]")
            # Signed in: the user's language (GET /translations).
            expect(page.locator(".bar h1")).to_have_text("Šiandien")
            expect(page.locator("[data-kpi=orders]")).to_contain_text("Užsakymai šiandien")
            expect(page.locator("[data-kpi=waiting]")).to_contain_text("Laukia patvirtinimo")
            expect(page.locator("[data-tab=customers]")).to_contain_text("Klientai")
            expect(page.locator(".bar .status")).to_have_text("Prisijungta")
            self.shot(page, "today_lt")
            page.click("[data-tab=orders]")
            expect(page.locator(".bar h1")).to_have_text("Užsakymai")
            quotation = page.locator("select[name=oms_state] option[value=quotation]")
            expect(quotation).to_have_text("Komercinis pasiūlymas")

    def test_two_factor_user_signs_in_with_the_code_or_a_key(self):
        secret = base64.b32encode(b"0123456789abcdefghij").decode()
        user = new_test_user(
            self.env,
            login="oms_app_2fa",
            name="Two Factor",
            groups="oms_extended.group_oms_user",
            lang="en_US",  # whatever the database's default language
        )
        user.sudo().totp_secret = secret  # sudo: the secret is a system-only field
        key = self._api_key(user)  # made in the preferences
        with self.browser() as (_context, page):
            page.goto(self.base_url() + "/oms/app")
            page.fill("input[name=login]", "oms_app_2fa")
            page.fill("input[name=password]", "oms_app_2fa")
            page.click("button[type=submit]")
            # Without the code: the answer of a wrong password (it never tells which).
            expect(page.locator(".notice.error")).to_have_text(
                "Wrong login, password or two-factor code."
            )
            code = hotp(base64.b32decode(secret), int(time.time() / 30))
            page.fill("input[name=totp]", f"{code:06d}")
            self.shot(page, "sign_in_two_factor")
            page.click("button[type=submit]")
            expect(page.locator(".bar h1")).to_have_text("Today")
            self.assertEqual(page.evaluate("window.omsApp.state.me.login"), "oms_app_2fa")
        # Another device: a key made in the preferences, pasted in the app.
        with self.browser() as (_context, page):
            page.goto(self.base_url() + "/oms/app")
            page.click("button.link")
            page.fill("input[name=apikey]", key)
            page.click("button[type=submit]")
            expect(page.locator(".bar h1")).to_have_text("Today")
            self.assertEqual(page.evaluate("window.omsApp.state.me.login"), "oms_app_2fa")

    def test_installable_shell_and_tablet_layout(self):
        manifest = self.url_open("/oms/app/manifest.webmanifest").json()
        self.assertEqual(manifest["start_url"], "/oms/app")
        self.assertEqual(manifest["display"], "standalone")
        self.assertEqual({icon["sizes"] for icon in manifest["icons"]}, {"192x192", "512x512"})
        for icon in manifest["icons"]:
            self.assertEqual(self.url_open(icon["src"]).status_code, 200)
        worker = self.url_open("/oms/app/sw.js")
        self.assertEqual(worker.headers["Service-Worker-Allowed"], "/oms/app")
        self.env["res.partner"].create(
            [{"name": f"Zz Customer {index:02}", "customer_rank": 1} for index in range(60)]
        )
        partners = self.env["res.partner"].with_user(self.clerk)  # the clerk's companies
        customers = partners.search_count(
            partners._oms_api_customer_domain() & Domain("name", "not like", "Zz Customer")
        )
        with self.browser(viewport=TABLET, service_workers="allow") as (context, page):
            self.sign_in(page)
            # The service worker keeps the shell for offline starts.
            page.evaluate("navigator.serviceWorker.ready")
            cached = page.evaluate(
                """async () => {
                    const cache = await caches.open('oms-app-v1');
                    return (await cache.keys()).map((r) => new URL(r.url).pathname);
                }"""
            )
            self.assertTrue(
                {"/oms/app", "/web/static/lib/owl/owl.js", "/oms_mobile_app/static/src/app/app.js"}
                <= set(cached),
                cached,
            )
            expect(page.locator("[data-kpi=waiting] .value")).to_have_text("1")
            self.shot(page, "today_tablet")
            self.assertTouchTargets(page)
            # Without network, the app opens from the service worker's copy, with the
            # data of the last visit.
            page.reload()
            expect(page.locator("[data-kpi=waiting] .value")).to_have_text("1")
            context.set_offline(True)
            page.reload()
            expect(page.locator(".bar .status")).to_have_text("Offline")
            expect(page.locator(".notice", has_text="Offline")).to_be_visible()
            expect(page.locator("[data-kpi=waiting] .value")).to_have_text("1")
            context.set_offline(False)
            expect(page.locator(".bar .status")).to_have_text("Online")

            # Long lists come by pages of 50: "More" appends the next one.
            page.click("[data-tab=customers]")
            expect(page.locator(".list .row")).to_have_count(50)
            page.click("button.more")
            expect(page.locator(".list .row")).to_have_count(customers + 60)
            expect(page.locator("button.more")).to_have_count(0)

    def assertTouchTargets(self, page):
        small = page.evaluate(
            """() => [...document.querySelectorAll('button, input:not([type=checkbox]), select')]
                .filter((el) => el.offsetParent !== null)
                .map((el) => [el.outerHTML.slice(0, 60), el.getBoundingClientRect().height])
                .filter(([, height]) => height < 44)"""
        )
        self.assertEqual(small, [], "touch targets are at least 44 px high")
