from datetime import date

from odoo.fields import Domain
from odoo.tests import tagged

from .common import OmsReportsCommon

# (our model, our group, sale.report group)
PAIRS = [
    ("oms.report.line", "product_id", "product_id"),
    ("oms.report.line", "product_tmpl_id", "product_tmpl_id"),
    ("oms.report.line", "categ_id", "categ_id"),
    ("oms.report.order", "partner_id", "partner_id"),
    ("oms.report.order", "country_id", "country_id"),
    ("oms.report.order", "team_id", "team_id"),
    ("oms.report.order", "source_id", "source_id"),
    ("oms.report.order", "medium_id", "medium_id"),
    ("oms.report.order", "date:day", "date:day"),
    ("oms.report.order", "date:day_of_week", "date:day_of_week"),
    ("oms.report.order", "date:hour_number", "date:hour_number"),
    ("oms.report.order", "warehouse_id", "warehouse_id"),
    ("oms.report.order", "company_id", "company_id"),
]


@tagged("post_install", "-at_install")
class TestAgreementWithSaleReport(OmsReportsCommon):
    """Before refunds, every ranking gives the figures of Odoo's sales analysis
    (confirmed orders, same filters); the refunds are then deducted."""

    def assert_agree(self, env, domain=()):
        Ranking = env["oms.report.ranking"]
        done = Domain("state", "in", env["sale.report"]._get_done_states())
        for model, ours, theirs in PAIRS:
            with self.subTest(model=model, groupby=ours, domain=domain):
                mine = {
                    Ranking._group_key(group): (round(amount, 2), round(qty, 2), round(margin, 2))
                    for group, amount, qty, margin in env[model]._read_group(
                        Domain(list(domain)), [ours], ["amount:sum", "qty:sum", "margin:sum"]
                    )
                }
                odoo = {
                    Ranking._group_key(group): (round(amount, 2), round(qty, 2), round(margin, 2))
                    for group, amount, qty, margin in env["sale.report"]._read_group(
                        done & Domain(list(domain)),
                        [theirs],
                        ["price_subtotal:sum", "product_uom_qty:sum", "margin:sum"],
                    )
                }
                self.assertTrue(mine)
                self.assertEqual(mine, odoo)

    def test_same_figures_as_sale_report(self):
        self.assert_agree(self.env)

    def test_same_figures_with_filters(self):
        Ranking = self.env["oms.report.ranking"]
        for domain in (
            Ranking._period_domain(date(2026, 1, 6), date(2026, 1, 7)),
            Ranking._filter_domain(teams=self.team_1),
            Ranking._filter_domain(countries=self.env.ref("base.fr")),
            Ranking._filter_domain(warehouses=self.warehouse, companies=self.company),
        ):
            self.assert_agree(self.env, list(domain))

    def test_refunds_deducted(self):
        Product = self.env["oms.report.line"]
        [(gross, refund, net, qty, net_qty)] = Product._read_group(
            [("product_id", "=", self.product_a.id)],
            [],
            ["amount:sum", "refund_amount:sum", "net_amount:sum", "qty:sum", "net_qty:sum"],
        )
        self.assertEqual((gross, refund, net, qty, net_qty), (300.0, 100.0, 200.0, 3.0, 2.0))
        [(refund_total,)] = self.env["oms.report.order"]._read_group([], [], ["refund_amount:sum"])
        self.assertEqual(refund_total, -self.refund.amount_total_signed)

    def test_multi_currency_companies_agree(self):
        """A second company in another currency: both companies selected, amounts are
        converted to the current company's currency exactly as sale.report does."""
        company_2 = self.env["res.company"].create(
            {"name": "OMS Forex Co", "currency_id": self.forex.id}
        )
        self.env.user.company_ids |= company_2
        order = (
            self.env["sale.order"]
            .with_company(company_2)
            .create(
                {
                    "partner_id": self.gamma.id,
                    "company_id": company_2.id,
                    "order_line": [(0, 0, {"product_id": self.product_b.id, "price_unit": 80})],
                }
            )
        )
        order.action_confirm()
        self.refresh_facts()
        both = self.env(
            context=dict(self.env.context, allowed_company_ids=[self.company.id, company_2.id])
        )
        self.assertEqual(both.companies, self.company | company_2)
        self.assert_agree(both)
        orders = {row["key"] for row in self.ranking("orders", env=both, limit=50)}
        self.assertIn(order.id, orders)
        first = self.env(context=dict(self.env.context, allowed_company_ids=[self.company.id]))
        only_first = {row["key"] for row in self.ranking("orders", env=first, limit=50)}
        self.assertNotIn(order.id, only_first)
