from datetime import datetime

from .common import OmsApiCase


class TestPurchaseOrders(OmsApiCase):
    def test_order_from_vendor(self):
        response = self.api(
            "POST",
            "/purchase-orders",
            {
                "vendor_id": self.vendor.id,
                "vendor_reference": "Q-2024-17",
                "warehouse_id": self.warehouse.id,
                "date_planned": "2030-02-01T09:00:00Z",
                "lines": [
                    {"product_id": self.product.id, "quantity": 12},
                    {"product_id": self.product.id, "quantity": 1, "price_unit": 99.5},
                ],
            },
        )
        self.assertEqual(response.status_code, 201, response.text)
        body = response.json()
        order = self.env["purchase.order"].browse(body["id"])
        self.assertEqual(order.state, "purchase")
        self.assertEqual(order.partner_id, self.vendor)
        self.assertEqual(order.partner_ref, "Q-2024-17")
        self.assertEqual(order.user_id, self.clerk)
        self.assertEqual(order.order_line.mapped("date_planned"), [datetime(2030, 2, 1, 9, 0)] * 2)
        self.assertEqual(order.order_line[1].price_unit, 99.5)
        self.assertEqual(body["state"], "purchase")
        self.assertEqual(body["receipts"][0]["type"], "incoming")
        self.assertEqual(sum(line["quantity"] for line in body["lines"]), 13.0)
        # The receipt shows in the product's forecast.
        product = self.api("GET", f"/products/{self.product.id}").json()
        self.assertEqual(product["availability"]["forecast"], 23.0)

    def test_request_for_quotation_only(self):
        response = self.api(
            "POST",
            "/purchase-orders",
            {
                "vendor_id": self.vendor.id,
                "confirm": False,
                "lines": [{"product_id": self.product.id, "quantity": 2}],
            },
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(response.json()["state"], "draft")
        self.assertEqual(response.json()["receipts"], [])

    def test_refused(self):
        body = {"vendor_id": self.vendor.id, "lines": [{"product_id": self.product.id}]}
        self.assertError(self.api("POST", "/purchase-orders", body), 400, "invalid_request")
        body = {
            "vendor_id": self.other_customer.id,
            "lines": [{"product_id": self.product.id, "quantity": 1}],
        }
        self.assertError(self.api("POST", "/purchase-orders", body), 422, "unknown_reference")
        self.assertFalse(self.env["purchase.order"].search([("partner_id", "=", self.vendor.id)]))
