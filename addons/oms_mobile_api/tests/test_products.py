import base64
from datetime import datetime, timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import new_test_user

from .common import OmsApiCase

# A 1x1 PNG.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
    )
).decode()


class TestProducts(OmsApiCase):
    def _product(self, product_id, query=""):
        response = self.api("GET", f"/products/{product_id}{query}")
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def test_list_with_availability(self):
        # 3 of the 10 reserved by an order; 5 more arriving in 3 days.
        self._order([(self.product, 3)], confirm=True)
        purchase = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_qty": 5})],
            }
        )
        purchase.button_confirm()
        arrival = fields.Datetime.now().replace(microsecond=0) + timedelta(days=3)
        purchase.picking_ids.scheduled_date = arrival
        response = self.api("GET", "/products?limit=200")
        self.assertEqual(response.status_code, 200, response.text)
        items = {item["id"]: item for item in response.json()["items"]}
        self.assertNotIn(self.other_product.id, items)
        espresso = items[self.product.id]
        self.assertEqual(espresso["availability"]["on_hand"], 10.0)
        self.assertEqual(espresso["availability"]["free"], 7.0)
        self.assertEqual(espresso["availability"]["forecast"], 12.0)
        self.assertEqual(espresso["availability"]["next_incoming_date"], arrival.isoformat() + "Z")
        self.assertEqual(espresso["category"], {"id": self.category.id, "name": "Coffee machines"})
        self.assertEqual(espresso["brand"], {"id": self.brand.id, "name": "Gaggia"})
        self.assertEqual(espresso["type"], "goods")
        self.assertEqual(items[self.service.id]["type"], "service")
        # Per warehouse: another warehouse has none of it.
        other_warehouse = self.env["stock.warehouse"].create({"name": "Depot", "code": "DEP"})
        item = self._product(self.product.id, f"?warehouse_id={other_warehouse.id}")
        self.assertEqual(item["availability"]["on_hand"], 0.0)
        item = self._product(self.product.id, f"?warehouse_id={self.warehouse.id}")
        self.assertEqual(item["availability"]["on_hand"], 10.0)

    def test_categories(self):
        child = self.env["product.category"].create(
            {"name": "Grinders", "parent_id": self.category.id}
        )
        response = self.api("GET", "/product-categories?limit=200")
        self.assertEqual(response.status_code, 200, response.text)
        items = response.json()["items"]
        names = [item["name"] for item in items]
        self.assertEqual(names, sorted(names))
        self.assertIn({"id": child.id, "name": "Coffee machines / Grinders"}, items)
        response = self.api("GET", "/product-categories?q=grind")
        self.assertEqual([item["id"] for item in response.json()["items"]], [child.id])
        page = self.api("GET", "/product-categories?limit=1").json()
        self.assertEqual(len(page["items"]), 1)
        second = self.api("GET", f"/product-categories?limit=1&cursor={page['next_cursor']}")
        self.assertEqual(second.json()["items"][0]["name"], names[1])

    def test_search(self):
        def ids(query):
            return {item["id"] for item in self.api("GET", f"/products?{query}").json()["items"]}

        self.assertEqual(ids("q=ESP-1"), {self.product.id})
        self.assertEqual(ids(f"category_id={self.category.id}"), {self.product.id})
        self.product.barcode = "4006381333931"
        self.assertEqual(ids("q=4006381333931"), {self.product.id})

    def test_promise_date(self):
        def promise(quantity, warehouse=None):
            query = f"?quantity={quantity}" + (f"&warehouse_id={warehouse}" if warehouse else "")
            response = self.api("GET", f"/products/{self.product.id}/availability{query}")
            self.assertEqual(response.status_code, 200, response.text)
            return response.json()

        today = fields.Date.context_today(self.clerk)
        # 10 on hand, 4 of them promised to an order.
        self._order([(self.product, 4)], confirm=True)
        result = promise(6)
        self.assertEqual((result["promise_date"], result["source"]), (str(today), "stock"))
        self.assertEqual(result["free"], 6.0)
        # 8 more arrive in 5 days: 9 can be promised then, not before.
        purchase = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_qty": 8})],
            }
        )
        purchase.button_confirm()
        purchase.picking_ids.scheduled_date = datetime.now() + timedelta(days=5)
        purchase.picking_ids.move_ids.date = datetime.now() + timedelta(days=5)
        result = promise(9)
        self.assertEqual(
            (result["promise_date"], result["source"]), (str(today + timedelta(days=5)), "incoming")
        )
        # More than that: bought from the vendor, 7 days of lead time.
        result = promise(20)
        self.assertEqual(result["source"], "vendor_lead_time")
        self.assertEqual(result["promise_date"], str(today + timedelta(days=7)))
        self.assertEqual(result["shortage"], 6.0)
        # Without a vendor: cannot be promised.
        self.product.seller_ids.unlink()
        result = promise(20)
        self.assertEqual((result["promise_date"], result["source"]), (None, "unavailable"))
        # In a warehouse without stock nor receipts.
        depot = self.env["stock.warehouse"].create({"name": "Depot", "code": "DEP"})
        self.assertEqual(promise(1, depot.id)["source"], "unavailable")
        # A service is always available.
        response = self.api("GET", f"/products/{self.service.id}/availability?quantity=100")
        self.assertEqual(response.json()["source"], "stock")
        # A quantity is required and positive.
        self.assertError(
            self.api("GET", f"/products/{self.product.id}/availability"), 400, "invalid_request"
        )
        self.assertError(
            self.api("GET", f"/products/{self.product.id}/availability?quantity=0"),
            400,
            "invalid_request",
        )

    def test_create_product(self):
        response = self.api(
            "POST",
            "/products",
            {
                "name": "Milk frother",
                "default_code": "MF-1",
                "barcode": "5901234123457",
                "list_price": 39.9,
                "standard_price": 12,
                "description": "Frothy.",
                "category_id": self.category.id,
                "brand_id": self.brand.id,
                "image": PNG,
            },
        )
        self.assertEqual(response.status_code, 201, response.text)
        body = response.json()
        product = self.env["product.product"].browse(body["id"])
        self.assertEqual(product.name, "Milk frother")
        self.assertTrue(product.is_storable)
        self.assertEqual(product.lst_price, 39.9)
        self.assertEqual(product.standard_price, 12.0)
        self.assertEqual(product.product_brand_id, self.brand)
        self.assertTrue(product.image_1920)
        self.assertEqual(body["description"], "Frothy.")
        service = self.api("POST", "/products", {"name": "Repair", "type": "service"}).json()
        self.assertEqual((service["type"], service["is_storable"]), ("service", False))

    def test_update_product(self):
        response = self.api(
            "PATCH",
            f"/products/{self.product.id}",
            {
                "name": "Espresso machine Pro",
                "list_price": 299,
                "standard_price": 130,
                "description": "Now with a steam wand.",
                "barcode": "4006381333931",
                "brand_id": None,
                "image": PNG,
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.product.name, "Espresso machine Pro")
        self.assertEqual(self.product.lst_price, 299.0)
        self.assertEqual(self.product.standard_price, 130.0)
        self.assertEqual(self.product.barcode, "4006381333931")
        self.assertFalse(self.product.product_brand_id)
        self.assertTrue(self.product.image_1920)
        self.assertEqual(self.product.default_code, "ESP-1", "absent fields are left alone")
        # Archive and restore.
        self.api("PATCH", f"/products/{self.product.id}", {"active": False})
        self.assertFalse(self.product.active)
        response = self.api("PATCH", f"/products/{self.product.id}", {"active": True})
        self.assertTrue(response.json()["active"])
        self.assertTrue(self.product.active)

    def test_update_refused(self):
        url = f"/products/{self.product.id}"
        self.assertError(self.api("PATCH", url, {"name": None}), 400, "invalid_request")
        self.assertError(self.api("PATCH", url, {"list_price": -1}), 400, "invalid_request")
        self.assertError(self.api("PATCH", url, {"image": "not base64!"}), 400, "invalid_request")
        error = self.assertError(
            self.api("PATCH", url, {"image": base64.b64encode(b"not an image").decode()}),
            422,
            "business_rule",
        )
        self.assertIn("image", error["message"])
        self.assertError(
            self.api("PATCH", url, {"category_id": 999999999}), 422, "unknown_reference"
        )
        self.assertError(
            self.api("PATCH", f"/products/{self.other_product.id}", {"name": "Mine"}),
            404,
            "not_found",
        )
        self.assertEqual(self.other_product.name, "Hidden product")
        self.assertEqual(self.product.name, "Espresso machine")

    def test_catalog_needs_product_rights(self):
        """An OMS user without the right to create products: 403, nothing changed."""
        seller = new_test_user(
            self.env, login="oms_api_seller", groups="oms_extended.group_oms_user"
        )
        key = self._api_key(seller)
        response = self.api("PATCH", f"/products/{self.product.id}", {"name": "X"}, key=key)
        self.assertError(response, 403, "forbidden")
        self.assertError(self.api("POST", "/products", {"name": "X"}, key=key), 403, "forbidden")
        self.assertEqual(self.product.name, "Espresso machine")
        # Reading the catalog is allowed.
        self.assertEqual(self.api("GET", "/products", key=key).status_code, 200)
