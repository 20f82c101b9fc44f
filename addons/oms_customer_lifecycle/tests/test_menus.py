from odoo.addons.oms_extended.tests.common import OmsCommon
from odoo.addons.oms_extended.tests.test_menus import oms_menu_tree, open_action
from odoo.tests import tagged

LIFECYCLE_MENUS = {
    "oms_customer_lifecycle.menu_oms_pipeline",
    "oms_customer_lifecycle.menu_oms_customer_lifecycle",
    "oms_customer_lifecycle.menu_oms_customer_segment_history",
    "oms_customer_lifecycle.menu_oms_customer_acquisition",
}


@tagged("post_install", "-at_install")
class TestCustomerLifecycleMenus(OmsCommon):
    def test_oms_user_opens_the_customer_menus(self):
        env = self.env(user=self.oms_user)
        tree = oms_menu_tree(env)
        self.assertLessEqual(LIFECYCLE_MENUS, set(tree))
        for xmlid in LIFECYCLE_MENUS:
            with self.subTest(menu=xmlid):
                self.assertIn("records", open_action(env, tree[xmlid]))
