"""A user switched to Lithuanian sees the Order Management menu, the order statuses and the
Order Board in Lithuanian, from i18n/lt.po."""

from odoo.tests import new_test_user, tagged

from .common import OmsOrderCommon


@tagged("post_install", "-at_install")
class TestLithuanian(OmsOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("lt_LT")
        cls.env.ref("base.module_oms_extended")._update_translations(["lt_LT"], overwrite=True)
        cls.lt_user = new_test_user(
            cls.env,
            login="oms_lt_user",
            lang="lt_LT",
            groups="sales_team.group_sale_salesman,oms_extended.group_oms_user",
        )
        cls.lt_env = cls.env(user=cls.lt_user, context={"lang": cls.lt_user.lang})

    def test_menu(self):
        root = self.env.ref("oms_extended.menu_oms_root").with_env(self.lt_env)
        self.assertEqual(root.name, "Užsakymų valdymas")
        menus = self.lt_env["ir.ui.menu"].load_menus(debug=False)
        names = {menu["name"] for menu in menus.values() if isinstance(menu, dict)}
        self.assertIn("Užsakymų valdymas", names)
        self.assertIn("Užsakymų lenta", names)
        self.assertNotIn("Order Management", names)

    def test_order_status(self):
        description = self.lt_env["sale.order"].fields_get(["oms_state"])["oms_state"]
        self.assertEqual(description["string"], "Užsakymo būsena")
        labels = dict(description["selection"])
        self.assertEqual(labels["ready_to_ship"], "Paruošta siųsti")
        self.assertEqual(labels["awaiting_payment"], "Laukiama apmokėjimo")
        # A new quotation: the Order Board shows it in its column, under Odoo's own word.
        order = self._order([(self.product, 1)], env=self.lt_env)
        self.assertEqual(order.oms_state, "quotation")
        self.assertEqual(labels[order.oms_state], "Komercinis pasiūlymas")

    def test_english_user_keeps_english(self):
        root = self.env.ref("oms_extended.menu_oms_root").with_context(lang="en_US")
        self.assertEqual(root.name, "Order Management")
