from datetime import datetime

from odoo.addons.oms_mobile_api.tests.common import OmsApiCase


class TestCustomerSegment(OmsApiCase):
    def test_customer_detail_shows_the_segment(self):
        self._order(confirm=True, date_order=datetime(2024, 1, 10, 12, 0))
        response = self.api("GET", f"/customers/{self.customer.id}")
        self.assertEqual(response.status_code, 200, response.text)
        # Confirming the order computed the customer's lifecycle figures.
        self.assertTrue(self.customer.oms_segment)
        self.assertEqual(response.json()["segment"], self.customer.oms_segment)
