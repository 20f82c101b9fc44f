from odoo.addons.oms_extended.tests.common import OmsCommon
from odoo.addons.oms_extended.tests.test_menus import oms_menu_tree, open_action
from odoo.tests import tagged

USER_MENUS = {
    "oms_replenishment.menu_oms_purchasing",
    "oms_replenishment.menu_oms_replenishment",
    "oms_replenishment.menu_oms_purchase_orders",
    "oms_replenishment.menu_oms_stock_at_risk",
    "oms_replenishment.menu_oms_reorder_results",
}


@tagged("post_install", "-at_install")
class TestReplenishmentMenus(OmsCommon):
    def test_oms_user_buys(self):
        """Replenishing is part of the OMS user's journey: the group carries Purchase."""
        self.assertTrue(self.oms_user.has_group("purchase.group_purchase_user"))
        self.assertTrue(self.oms_manager.has_group("purchase.group_purchase_manager"))
        self.assertTrue(self.env["purchase.order"].with_user(self.oms_user).has_access("create"))
        self.assertFalse(
            self.env["stock.warehouse.orderpoint"].with_user(self.employee).has_access("read")
        )

    def _check(self, user, expected, hidden=()):
        env = self.env(user=user)
        tree = oms_menu_tree(env)
        self.assertLessEqual(expected, set(tree))
        for xmlid in hidden:
            self.assertNotIn(xmlid, tree)
        for xmlid in expected:
            with self.subTest(menu=xmlid):
                if tree[xmlid]["action_id"]:
                    self.assertIn("records", open_action(env, tree[xmlid]))

    def test_oms_user_opens_the_purchasing_menus(self):
        self._check(
            self.oms_user, USER_MENUS, hidden={"oms_replenishment.menu_oms_reorder_policies"}
        )

    def test_oms_manager_opens_the_reorder_policies(self):
        self._check(self.oms_manager, USER_MENUS | {"oms_replenishment.menu_oms_reorder_policies"})
