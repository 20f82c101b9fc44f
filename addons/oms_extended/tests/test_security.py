from odoo.tests import tagged

from .common import OmsCommon


@tagged("post_install", "-at_install")
class TestOmsGroups(OmsCommon):
    def test_groups_live_in_their_own_privilege(self):
        user_group = self.env.ref("oms_extended.group_oms_user")
        manager_group = self.env.ref("oms_extended.group_oms_manager")
        privilege = self.env.ref("oms_extended.res_groups_privilege_oms")
        self.assertEqual(user_group.name, "OMS User")
        self.assertEqual(manager_group.name, "OMS Manager")
        self.assertEqual(user_group.privilege_id, privilege)
        self.assertEqual(manager_group.privilege_id, privilege)
        self.assertEqual(privilege.category_id, self.env.ref("oms_extended.module_category_oms"))

    def test_manager_implies_user(self):
        self.assertIn(
            self.env.ref("oms_extended.group_oms_user"),
            self.env.ref("oms_extended.group_oms_manager").all_implied_ids,
        )
        self.assertTrue(self.oms_manager.has_group("oms_extended.group_oms_user"))
        self.assertFalse(self.oms_user.has_group("oms_extended.group_oms_manager"))

    def test_oms_users_are_not_administrators(self):
        for user in self.oms_user | self.oms_manager:
            self.assertFalse(user.has_group("base.group_system"))
            self.assertFalse(user._is_admin())

    def test_oms_user_can_run_the_order_journey(self):
        """The user group carries the rights of every app the journey crosses."""
        for xmlid in (
            "sales_team.group_sale_salesman_all_leads",
            "stock.group_stock_user",
            "account.group_account_invoice",
        ):
            self.assertTrue(self.oms_user.has_group(xmlid), xmlid)
        for model in ("sale.order", "stock.picking", "account.move", "account.payment"):
            self.assertTrue(self.env[model].with_user(self.oms_user).has_access("create"), model)
