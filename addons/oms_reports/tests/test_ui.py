import os
import random
from datetime import timedelta
from pathlib import Path

from odoo import fields
from odoo.addons.oms_extended.tests.common import unlimited_address_space
from odoo.tests import HttpCase, tagged

from .common import OmsReportsCommon

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


@tagged("post_install", "-at_install")
class TestReportsUi(HttpCase, OmsReportsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the dashboard opens on the last 30 days: move the orders there
        recent = fields.Datetime.now() - timedelta(days=2)
        (cls.o1 | cls.o2 | cls.o3 | cls.o4).date_order = recent
        cls.refresh_facts()

    def test_ranking_views_in_the_browser(self):
        self.start_tour("/odoo", "oms_reports_ranking", login="oms_user")

    def test_best_sellers_in_the_browser(self):
        self.start_tour("/odoo", "oms_reports_best_sellers", login="oms_user")


@tagged("post_install", "-at_install")
class TestSalesDashboardUi(HttpCase, OmsReportsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # o2, o3, o4 in the last 30 days (the default period), o1 in the previous 30
        now = fields.Datetime.now()
        (cls.o2 | cls.o3 | cls.o4).date_order = now - timedelta(days=2)
        cls.o1.date_order = now - timedelta(days=35)
        cls.refresh_facts()

    def test_sales_dashboard_in_the_browser(self):
        """The client action loads, draws its charts without JS errors, opens the
        orders of a row and remembers the filters."""
        self.start_tour("/odoo", "oms_reports_sales_dashboard", login="oms_user")
        filters = self.oms_user.oms_dashboard_filters
        self.assertEqual((filters["period"], filters["row_limit"]), ("last_30", 1))

    def test_compare_periods_in_the_browser(self):
        """Compare Periods on a ranking's pivot and list: against the previous 30 days
        (o1: Anvil first, Bolt second) Bolt went up, Anvil down, Crate is new."""
        self.start_tour("/odoo", "oms_reports_compare_periods", login="oms_user")


@tagged("post_install", "-at_install")
class TestScreenshots(HttpCase, OmsReportsCommon):
    """Screenshots of the Sales Dashboard and of a ranking for the README, taken by
    chromium (playwright) on two months of made-up sales, into docs/screenshots/."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rng = random.Random(15)
        now = fields.Datetime.now().replace(hour=10)
        Partner = cls.env["res.partner"]
        countries = [cls.env.ref(f"base.{code}") for code in ("be", "fr", "de", "nl", "us")]
        customers = [cls.beta, cls.gamma] + [
            Partner.create({"name": name, "country_id": rng.choice(countries).id})
            for name in ("Delta Tools", "Epsilon Ltd", "Zeta Works", "Eta Shop", "Theta & Co")
        ]
        teams = [cls.team_1, cls.team_2]
        orders = cls.env["sale.order"]
        for day in range(0, 60, 2):
            for __ in range(rng.randint(1, 2)):
                lines = [(key, rng.randint(1, 5)) for key in rng.sample("abc", rng.randint(1, 3))]
                orders |= cls._order(
                    rng.choice(customers), rng.choice(teams), f"{now - timedelta(days=day)}", lines
                )
            if day % 4 == 0:  # the same day last year
                lines = [(key, rng.randint(1, 4)) for key in rng.sample("abc", rng.randint(1, 2))]
                orders |= cls._order(
                    rng.choice(customers),
                    rng.choice(teams),
                    f"{now - timedelta(days=day + 365)}",
                    lines,
                )
        cls.refresh_facts()
        cls.orders = orders

    def _screenshot(self, url, selector, name, height=900):
        from playwright.sync_api import sync_playwright

        self.authenticate("oms_user", "oms_user")
        errors = []
        with (
            self.allow_requests(all_requests=True),
            unlimited_address_space(),
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--no-zygote"],
            )
            try:
                page = browser.new_page(viewport={"width": 1440, "height": height})
                page.on(
                    "console",
                    lambda message: message.type == "error" and errors.append(message.text),
                )
                page.on("pageerror", lambda error: errors.append(str(error)))
                page.context.add_cookies(
                    [{"name": "session_id", "value": self.session.sid, "url": self.base_url()}]
                )
                page.goto(f"{self.base_url()}{url}")
                page.wait_for_selector(selector, timeout=30000)
                page.wait_for_timeout(500)
                image = page.screenshot(full_page=True)
            finally:
                browser.close()
        self.assertFalse(errors, "JS errors in the browser")
        self.assertEqual(image[:8], b"\x89PNG\r\n\x1a\n")
        # the README's images: written when missing or when asked (OMS_SCREENSHOTS=1),
        # so that a test run leaves the checkout clean
        target = SCREENSHOTS / name
        if SCREENSHOTS.is_dir() and (os.environ.get("OMS_SCREENSHOTS") or not target.exists()):
            target.write_bytes(image)
        return image

    def test_screenshots(self):
        self.oms_user.oms_dashboard_filters = {
            "period": "last_30",
            "row_limit": 5,
            "ranking_ids": [
                self.env.ref(f"oms_reports.ranking_{key}").id
                for key in ("products", "customers", "countries")
            ],
        }
        self._screenshot(
            "/odoo/action-oms_reports.action_oms_sales_dashboard",
            ".o_oms_ranking[data-ranking-key=countries] canvas.o_oms_ranking_chart",
            "dashboard.png",
            height=1900,
        )
        self._screenshot(
            "/odoo/action-oms_reports.action_oms_report_customer?view_type=list",
            ".o_list_view .o_group_header",
            "ranking.png",
        )
