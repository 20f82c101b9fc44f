from odoo.addons.oms_mobile_api.tests.common import OmsApiCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestApiViews(OmsApiCase):
    def _views(self, order):
        # The test's environment is the superuser's: it reads the whole log.
        return self.env["oms.document.log"].search(
            [
                ("res_model", "=", "sale.order"),
                ("res_id", "=", order.id),
                ("action", "=", "view"),
            ]
        )

    def test_an_order_fetched_through_the_api_is_logged_once_a_minute(self):
        order = self._order([(self.product, 2)])
        response = self.api("GET", f"/orders/{order.id}")
        self.assertEqual(response.status_code, 200, response.text)
        self.env.invalidate_all()
        view = self._views(order)
        self.assertEqual(len(view), 1)
        self.assertEqual(view.user_id, self.clerk)
        self.assertEqual(view.channel, "api")
        self.assertTrue(view.ip_address)
        # fetched again within the minute: no second entry
        self.assertEqual(self.api("GET", f"/orders/{order.id}").status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(len(self._views(order)), 1)

    def test_lists_and_orders_of_other_companies_log_nothing(self):
        order = self._order([(self.product, 1)])
        self.assertEqual(self.api("GET", "/orders").status_code, 200)
        response = self.api("GET", f"/orders/{self.other_order.id}")
        self.assertEqual(response.status_code, 404)
        self.env.invalidate_all()
        self.assertFalse(self._views(order))
        self.assertFalse(self._views(self.other_order))
