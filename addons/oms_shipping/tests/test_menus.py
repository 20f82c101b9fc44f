from odoo.addons.oms_extended.tests.common import OmsCommon
from odoo.addons.oms_extended.tests.test_menus import oms_menu_tree, open_action
from odoo.tests import tagged

SHIPPING_MENUS = {
    "oms_shipping.menu_oms_shipments",
    "oms_shipping.menu_oms_shipment_problems",
    "oms_shipping.menu_oms_shipment_events",
    "oms_shipping.menu_oms_shipment_event_import",
}


@tagged("post_install", "-at_install")
class TestShippingMenus(OmsCommon):
    def test_oms_user_opens_the_shipping_menus(self):
        env = self.env(user=self.oms_user)
        tree = oms_menu_tree(env)
        self.assertLessEqual(SHIPPING_MENUS, set(tree))
        section = tree["oms_extended.menu_oms_shipping"]["children"]
        for xmlid in SHIPPING_MENUS:
            with self.subTest(menu=xmlid):
                self.assertIn(tree[xmlid]["id"], section)
                self.assertIn("records", open_action(env, tree[xmlid]))
