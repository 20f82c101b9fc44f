from datetime import date, datetime

import odoo
from odoo.addons.oms_extended.tests.test_menus import oms_menu_tree, open_action
from odoo.addons.oms_reports.tests.common import OmsReportsCommon
from odoo.tests import tagged
from odoo.tools import SQL


def _bridge_in_database():
    """pytest-odoo collects ``addons/*/tests`` whatever is installed; like Odoo's own
    test runner, run these tests only where the bridge is (being) installed, i.e.
    where ``website_sale`` is."""
    db_names = odoo.tools.config["db_name"] or []
    if isinstance(db_names, str):
        db_names = [db_names]
    if not db_names:
        return True
    with odoo.sql_db.db_connect(db_names[0]).cursor() as cr:
        cr.execute(
            SQL(
                "SELECT 1 FROM ir_module_module WHERE name = %s AND state IN %s",
                "oms_reports_website",
                ("installed", "to install", "to upgrade"),
            )
        )
        return bool(cr.fetchone())


if _bridge_in_database():

    @tagged("post_install", "-at_install")
    class TestTopPages(OmsReportsCommon):
        """Product page views (website.track) and the orders of the same customer that
        followed within 30 days (see OmsReportsCommon for the orders)."""

        @classmethod
        def setUpClass(cls):
            super().setUpClass()
            website = cls.env["website"].search([("company_id", "=", cls.company.id)], limit=1)
            Visitor = cls.env["website.visitor"]
            beta = Visitor.create({"access_token": str(cls.beta.id), "website_id": website.id})
            anonymous = Visitor.create({"access_token": "0" * 32, "website_id": website.id})
            assert beta.partner_id == cls.beta and not anonymous.partner_id

            def view(visitor, product, when):
                cls.env["website.track"].create(
                    {
                        "visitor_id": visitor.id,
                        "product_id": product.id,
                        "url": f"/shop/{product.id}",
                        "visit_datetime": datetime.fromisoformat(when),
                    }
                )

            view(beta, cls.product_a, "2026-01-04 10:00:00")  # followed by o1
            view(beta, cls.product_a, "2026-01-06 10:00:00")  # followed by o3
            view(anonymous, cls.product_a, "2026-01-04 11:00:00")
            view(beta, cls.product_c, "2026-01-03 10:00:00")  # Beta never bought C
            view(anonymous, cls.product_c, "2026-01-03 12:00:00")
            cls.env.flush_all()

        def test_top_pages_by_views(self):
            rows = self.ranking("pages")
            self.assertEqual(
                [(r["label"], r["view_count"], r["order_count"]) for r in rows],
                [("Anvil", 3, 2), ("Crate", 2, 0)],
            )

        def test_top_pages_by_orders_that_followed(self):
            rows = self.ranking("page_orders")
            self.assertEqual(
                [(r["label"], r["order_count"], r["net_amount"]) for r in rows[:1]],
                [("Anvil", 2, 200.0)],
            )
            [(visitors,)] = self.env["oms.report.page"]._read_group(
                [("product_id", "=", self.product_a.id)], [], ["visitor_count:count_distinct"]
            )
            self.assertEqual(visitors, 2)

        def test_date_filter_and_dashboard(self):
            Ranking = self.env["oms.report.ranking"]
            domain = Ranking._period_domain(date(2026, 1, 5), date(2026, 1, 6))
            self.assertEqual(
                [(r["label"], r["view_count"]) for r in self.ranking("pages", domain)],
                [("Anvil", 1)],
            )
            dashboard = self.env["oms.report.dashboard"].create(
                {
                    "date_from": date(2026, 1, 3),
                    "date_to": date(2026, 1, 7),
                    "ranking_ids": [(6, 0, self.env.ref("oms_reports_website.ranking_pages").ids)],
                }
            )
            [block] = dashboard._ranking_blocks(*dashboard._scope())
            self.assertIn("Top product pages", block["title"])
            content, __ = dashboard._render_xlsx()
            self.assertTrue(content)

        def test_orders_of_the_website_company_only(self):
            """A view on a website of company 2 is followed by the orders of company 2
            only, not by the customer's orders in another company."""
            company_2 = self.env["res.company"].create({"name": "OMS Web Co 2"})
            website_2 = self.env["website"].create({"name": "Shop 2", "company_id": company_2.id})
            delta = self.env["res.partner"].create({"name": "Delta"})
            visitor = self.env["website.visitor"].create(
                {"access_token": str(delta.id), "website_id": website_2.id}
            )
            self.env["website.track"].create(
                {
                    "visitor_id": visitor.id,
                    "product_id": self.product_a.id,
                    "url": f"/shop/{self.product_a.id}",
                    "visit_datetime": datetime(2026, 1, 4, 10),
                }
            )
            orders = {}
            for company, day in ((self.company, 5), (company_2, 6)):
                order = (
                    self.env["sale.order"]
                    .with_company(company)
                    .create(
                        {
                            "partner_id": delta.id,
                            "company_id": company.id,
                            "order_line": [(0, 0, {"product_id": self.product_a.id})],
                        }
                    )
                )
                order.action_confirm()
                order.date_order = datetime(2026, 1, day, 10)
                orders[company] = order
            self.refresh_facts()
            both = self.env(
                context=dict(self.env.context, allowed_company_ids=(self.company | company_2).ids)
            )
            [row] = both["oms.report.page"].search([("visitor_id", "=", visitor.id)])
            self.assertEqual((row.company_id, row.order_id), (company_2, orders[company_2]))

        def test_menu_opens_for_oms_user(self):
            env = self.env(user=self.oms_user)
            tree = oms_menu_tree(env)
            self.assertIn(
                "records", open_action(env, tree["oms_reports_website.menu_oms_report_page"])
            )
