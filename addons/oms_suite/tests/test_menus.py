from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestOmsMenuTour(HttpCase):
    def test_oms_user_opens_the_menus_in_the_browser(self):
        """Every section of the Order Management app, as the suite installs it."""
        new_test_user(self.env, login="oms_tour_user", groups="oms_extended.group_oms_user")
        self.start_tour("/odoo", "oms_open_menus", login="oms_tour_user")

    def test_the_suite_is_the_order_management_app(self):
        suite = self.env["ir.module.module"].search([("name", "=", "oms_suite")])
        self.assertTrue(suite.application)
        self.assertEqual(suite.state, "installed")
        core = self.env["ir.module.module"].search([("name", "=", "oms_extended")])
        self.assertFalse(core.application)
