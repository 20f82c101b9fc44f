from odoo.fields import Command

from .common import OmsApiCase


class TestQueryCount(OmsApiCase):
    """Every list route runs the same number of queries for a page of 1 or of 30 records
    (each with its lines, customer, products...): no query per record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.products = env["product.product"].create(
            [
                {
                    "name": f"Grinder {index}",
                    "is_storable": True,
                    "list_price": 10.0 + index,
                    "categ_id": cls.category.id,
                    "product_brand_id": cls.brand.id,
                    "taxes_id": [],
                }
                for index in range(30)
            ]
        )
        for product in cls.products:
            env["stock.quant"]._update_available_quantity(product, cls.warehouse.lot_stock_id, 5.0)
        cls.customers = env["res.partner"].create(
            [
                {
                    "name": f"Roastery {index}",
                    "customer_rank": 1,
                    "country_id": env.ref("base.be").id,
                }
                for index in range(30)
            ]
        )
        env["sale.order"].create(
            [
                {
                    "partner_id": customer.id,
                    "user_id": cls.clerk.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 1})
                        for product in cls.products[index : index + 3]
                    ],
                }
                for index, customer in enumerate(cls.customers)
            ]
        )

    def _assert_constant(self, path):
        """The queries of a page of 1, then the same count for pages of 10 and 30."""
        self.api("GET", f"{path}limit=30")  # warm the caches (routing, rules, ...)
        count0 = self.cr.sql_log_count
        response = self.api("GET", f"{path}limit=1")
        queries = self.cr.sql_log_count - count0
        self.assertEqual(len(response.json()["items"]), 1)
        for limit in (10, 30):
            with self.assertQueryCount(queries):
                response = self.api("GET", f"{path}limit={limit}")
            self.assertEqual(len(response.json()["items"]), limit)
        return queries

    def test_orders(self):
        queries = self._assert_constant("/orders?")
        self.assertLess(queries, 30)  # 16 here: authentication, search, 8 reads, ...
        page = self.api("GET", "/orders?limit=30").json()["items"]
        self.assertEqual(sum(len(order["lines"]) for order in page), 30 * 3 - 3)

    def test_customers(self):
        self.assertLess(self._assert_constant("/customers?q=Roastery&"), 20)  # 8 here

    def test_categories(self):
        self.env["product.category"].create(
            [{"name": f"Beans {index}", "parent_id": self.category.id} for index in range(30)]
        )
        self.assertLess(self._assert_constant("/product-categories?q=Beans&"), 15)

    def test_products(self):
        # 25 here: the stock quantities take a few queries
        self.assertLess(self._assert_constant(f"/products?category_id={self.category.id}&"), 40)

    def test_mail_templates(self):
        self.env["mail.template"].create(
            [
                {"name": f"Reminder {index}", "model_id": self.env.ref("sale.model_sale_order").id}
                for index in range(30)
            ]
        )
        self.assertLess(self._assert_constant("/mail-templates?model=sale.order&"), 15)
