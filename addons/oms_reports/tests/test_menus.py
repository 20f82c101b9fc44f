from odoo.addons.oms_extended.tests.common import OmsCommon
from odoo.addons.oms_extended.tests.test_menus import oms_menu_tree, open_action
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestOmsReportsMenus(OmsCommon):
    def test_oms_user_opens_sales_analysis(self):
        tree = oms_menu_tree(self.env(user=self.oms_user))
        self.assertIn("oms_reports.menu_oms_sales_analysis", tree)
        self.assertNotIn("oms_reports.menu_oms_brands", tree)
        menu = tree["oms_reports.menu_oms_sales_analysis"]
        self.assertIn("records", open_action(self.env(user=self.oms_user), menu))

    def test_oms_user_opens_every_ranking(self):
        env = self.env(user=self.oms_user)
        tree = oms_menu_tree(env)
        ours = [xmlid for xmlid in tree if xmlid.startswith("oms_reports.menu_oms_report_")]
        self.assertEqual(len(ours), 10)  # 9 rankings and the dashboard
        self.assertIn("oms_reports.menu_oms_report_dashboard", ours)
        self.assertNotIn("oms_reports.menu_oms_report_schedules", ours)
        for xmlid in ours:
            with self.subTest(menu=xmlid):
                self.assertIn("records", open_action(env, tree[xmlid]))

    def test_oms_manager_manages_brands(self):
        env = self.env(user=self.oms_manager)
        tree = oms_menu_tree(env)
        self.assertIn("oms_reports.menu_oms_brands", tree)
        open_action(env, tree["oms_reports.menu_oms_brands"])
        open_action(env, tree["oms_reports.menu_oms_report_schedules"])
        brand = env["product.brand"].create({"name": "Acme"})
        product = self.env["product.template"].create(
            {"name": "Anvil", "product_brand_id": brand.id}
        )
        self.assertEqual(brand.products_count, 1)
        self.assertEqual(product.product_brand_id.name, "Acme")
