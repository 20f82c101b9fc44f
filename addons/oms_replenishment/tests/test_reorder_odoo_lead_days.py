"""Vendor and lead time of the reorder policies come from Odoo's own replenishment:
``product._select_seller`` (price validity) and ``stock.rule._get_lead_days`` (vendor
delay, days to purchase, route delays), the lead time Odoo shows on the reordering rule."""

from datetime import timedelta

from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .test_reorder import HISTORY, ReorderCommon


@tagged("post_install", "-at_install")
class TestReorderOdooLeadDays(ReorderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.storekeeper = new_test_user(
            cls.env,
            login="oms_storekeeper",
            groups="stock.group_stock_user,purchase.group_purchase_user",
        )
        cls.other_vendor = cls.env["res.partner"].create({"name": "Green Coffee Traders"})

    def _line(self, product):
        return self.env["oms.reorder.line"].search(
            [("warehouse_id", "=", self.warehouse.id), ("product_id", "=", product.id)]
        )

    def _odoo_lead_days(self, orderpoint):
        """What Odoo's own replenishment shows, read by a storekeeper who buys."""
        orderpoint = orderpoint.with_user(self.storekeeper)
        orderpoint.invalidate_recordset(["lead_days"])
        return orderpoint.lead_days

    def test_expired_vendor_price_is_not_chosen(self):
        # The first vendor in sequence has a price line that ended yesterday: Odoo's
        # _select_seller passes over it, and so does the policy.
        self.product.seller_ids.write({"sequence": 1, "date_end": self.today - timedelta(days=1)})
        self.env["product.supplierinfo"].create(
            {
                "partner_id": self.other_vendor.id,
                "product_tmpl_id": self.product.product_tmpl_id.id,
                "sequence": 2,
                "delay": 6,
                "price": 12.0,
            }
        )
        self.company.days_to_purchase = 1.0
        self._policy().with_user(self.oms_manager).action_compute_now()
        line = self._line(self.product).with_user(self.storekeeper)
        self.assertEqual(line.vendor_id, self.other_vendor)
        self.assertAlmostEqual(line.lead_days, 7.0)
        self.assertAlmostEqual(line.lead_days, self._odoo_lead_days(line.orderpoint_id))

    def test_no_valid_price_means_no_vendor(self):
        self.product.seller_ids.date_start = self.today + timedelta(days=3)
        self._policy().with_user(self.oms_manager).action_compute_now()
        line = self._line(self.product)
        self.assertEqual(line.state, "cannot")
        self.assertIn("No vendor", line.reason)

    def test_route_and_purchase_lead_days_as_odoo_computes_them(self):
        """A route that receives at a dock and moves the goods to stock in 3 days: the
        rule's delay, the vendor delay and the days to purchase, as on Odoo's rule."""
        dock = self.env["stock.location"].create(
            {"name": "Dock", "usage": "internal", "location_id": self.warehouse.view_location_id.id}
        )
        route = self.env["stock.route"].create(
            {
                "name": "Buy through the dock",
                "product_selectable": True,
                "company_id": self.company.id,
                "rule_ids": [
                    Command.create(
                        {
                            "name": "Dock to stock",
                            "action": "pull",
                            "procure_method": "make_to_order",
                            "location_src_id": dock.id,
                            "location_dest_id": self.stock.id,
                            "picking_type_id": self.warehouse.int_type_id.id,
                            "delay": 3,
                            "company_id": self.company.id,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Buy to dock",
                            "action": "buy",
                            "location_dest_id": dock.id,
                            "picking_type_id": self.warehouse.in_type_id.id,
                            "company_id": self.company.id,
                        }
                    ),
                ],
            }
        )
        product = self._product("Dock beans", vendor_delay=4)
        product.route_ids = route
        self._history(product, HISTORY)
        orderpoint = self.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": product.id,
                "location_id": self.stock.id,
                "warehouse_id": self.warehouse.id,
                "route_id": route.id,
                "trigger": "manual",
            }
        )
        self.company.days_to_purchase = 2.0
        self._policy().with_user(self.oms_manager).action_compute_now()
        line = self._line(product)
        self.assertEqual(line.orderpoint_id, orderpoint)
        self.assertAlmostEqual(line.lead_days, 3.0 + 4.0 + 2.0)
        self.assertAlmostEqual(line.lead_days, self._odoo_lead_days(orderpoint))
        self.assertAlmostEqual(orderpoint.oms_lead_days, 9.0)

    def test_rule_vendor_set_by_hand_is_used(self):
        """A vendor chosen on the reordering rule (Odoo's *Vendor* column) is the one
        whose delay counts, as in Odoo's replenishment."""
        chosen = self.env["product.supplierinfo"].create(
            {
                "partner_id": self.other_vendor.id,
                "product_tmpl_id": self.product.product_tmpl_id.id,
                "sequence": 50,
                "delay": 9,
                "price": 11.0,
            }
        )
        orderpoint = self.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": self.product.id,
                "location_id": self.stock.id,
                "warehouse_id": self.warehouse.id,
                "supplier_id": chosen.id,
            }
        )
        self._policy().with_user(self.oms_manager).action_compute_now()
        line = self._line(self.product)
        self.assertEqual(line.vendor_id, self.other_vendor)
        self.assertAlmostEqual(line.lead_days, 9.0)
        self.assertAlmostEqual(line.lead_days, self._odoo_lead_days(orderpoint))
