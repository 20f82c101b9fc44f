from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import OmsReportsCommon


@tagged("post_install", "-at_install")
class TestRankingSecurity(OmsReportsCommon):
    def test_salesman_sees_own_documents_only(self):
        env = self.env(user=self.salesman)
        self.assertFalse(self.salesman.has_group("sales_team.group_sale_salesman_all_leads"))
        for key in ("orders", "products", "customers", "countries", "brands", "dates"):
            with self.subTest(ranking=key):
                rows = self.ranking(key, env=env)
                self.assertEqual(sum(row["net_amount"] for row in rows), 100.0)
        self.assertEqual([row["key"] for row in self.ranking("orders", env=env)], [self.o3.id])
        # sale.report agrees: the same single order.
        self.assertEqual(
            env["sale.report"].search([("state", "=", "sale")]).mapped("order_reference"),
            [self.o3],
        )

    def test_oms_user_sees_all_documents(self):
        env = self.env(user=self.oms_user)
        self.assertEqual(len(self.ranking("orders", env=env)), 4)

    def test_other_company_hidden(self):
        company_2 = self.env["res.company"].create({"name": "OMS Other Co"})
        order = (
            self.env["sale.order"]
            .with_company(company_2)
            .create(
                {
                    "partner_id": self.beta.id,
                    "company_id": company_2.id,
                    "order_line": [(0, 0, {"product_id": self.product_a.id})],
                }
            )
        )
        order.action_confirm()
        self.refresh_facts()
        # The OMS user belongs to the first company only.
        env = self.env(user=self.oms_user)
        self.assertNotIn(company_2, self.oms_user.company_ids)
        keys = [row["key"] for row in self.ranking("orders", env=env, limit=50)]
        self.assertNotIn(order.id, keys)
        rows = env["oms.report.line"].search([("order_id", "=", order.id)])
        self.assertFalse(rows)
        # Once allowed in both companies and both selected, the order shows.
        self.oms_user.company_ids |= company_2
        env = self.env(
            user=self.oms_user,
            context=dict(self.env.context, allowed_company_ids=[self.company.id, company_2.id]),
        )
        keys = [row["key"] for row in self.ranking("orders", env=env, limit=50)]
        self.assertIn(order.id, keys)

    def test_rebuild_needs_oms_manager(self):
        """The full rebuild runs raw SQL over every order: OMS managers only (and the
        superuser: the cron, the install hook)."""
        Fact = self.env["oms.sale.fact"]
        for user in (self.salesman, self.oms_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Fact.with_user(user).action_rebuild()
        Fact.with_user(self.oms_manager).action_rebuild()
        Fact.action_rebuild()
        self.assertEqual(len(self.ranking("orders")), 4)
