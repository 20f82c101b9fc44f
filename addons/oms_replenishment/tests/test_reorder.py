import math
import statistics
from datetime import datetime, time, timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, fields
from odoo.addons.oms_extended.tests.test_automation import no_commit
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from ..models.oms_reorder_policy import SMOOTHING_ALPHA
from .common import WarehouseCommon

# Hand-made history, in days before today: (day, received, sold).
# Day -12 sells out; days -11, -10, -9 are out of stock (nothing on hand, nothing sold);
# day -5 is in stock with no sale (a real zero).
HISTORY = [
    (-14, 10, 2),
    (-13, 0, 3),
    (-12, 0, 5),
    (-8, 20, 4),
    (-7, 0, 2),
    (-6, 0, 2),
    (-4, 0, 2),
    (-3, 0, 2),
    (-2, 0, 2),
    (-1, 0, 2),
]
# The demand of the 11 in-stock days, oldest first.
IN_STOCK_DEMAND = [2, 3, 5, 4, 2, 2, 0, 2, 2, 2, 2]


class ReorderCommon(WarehouseCommon):
    """A warehouse with a product's hand-made history, and builders for policies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["oms.reorder.policy"])
        cls.buyer = new_test_user(
            cls.env, login="oms_buyer", name="Buyer", groups="oms_extended.group_oms_user"
        )
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Beans Wholesale", "buyer_id": cls.buyer.id}
        )
        cls.category = cls.env["product.category"].create({"name": "Coffee"})
        cls.product = cls._product("Arabica 1kg", vendor_delay=5)
        cls._history(cls.product, HISTORY)
        cls.manager_env = cls.env(user=cls.oms_manager)
        cls.user_env = cls.env(user=cls.oms_user)
        # Inventory staff outside the OMS groups.
        cls.stock_manager = new_test_user(
            cls.env, login="stock_boss", groups="stock.group_stock_manager"
        )

    @classmethod
    def _product(cls, name, vendor_delay=None, price=10.0):
        product = cls.env["product.product"].create(
            {
                "name": name,
                "is_storable": True,
                "categ_id": cls.category.id,
                "standard_price": price,
                "uom_id": cls.env.ref("uom.product_uom_unit").id,
            }
        )
        if vendor_delay is not None:
            cls.env["product.supplierinfo"].create(
                {
                    "partner_id": cls.vendor.id,
                    "product_tmpl_id": product.product_tmpl_id.id,
                    "delay": vendor_delay,
                    "price": price,
                }
            )
        return product

    @classmethod
    def _move(cls, product, source, dest, qty, day):
        return cls._done_move(
            product, source, dest, qty, datetime.combine(cls.today + timedelta(days=day), time(12))
        )

    @classmethod
    def _history(cls, product, history):
        for day, received, sold in history:
            if received:
                cls._move(product, cls.suppliers, cls.stock, received, day)
            if sold:
                cls._move(product, cls.stock, cls.customers, sold, day)

    def _policy(self, env=None, **vals):
        env = env or self.manager_env
        return env["oms.reorder.policy"].create(
            {
                "name": "Main",
                "warehouse_id": self.warehouse.id,
                "demand_window_days": 14,
                "service_level": 95.0,
                "review_period_days": 1.0,
                "cover_days": 30.0,
                **vals,
            }
        )

    def _expected_level(self):
        level = statistics.mean(IN_STOCK_DEMAND)
        for demand in IN_STOCK_DEMAND:
            level = SMOOTHING_ALPHA * demand + (1 - SMOOTHING_ALPHA) * level
        return level

    def _run(self, policy):
        policy.action_compute_now()
        return self.env["oms.reorder.line"].search(
            [("warehouse_id", "=", self.warehouse.id), ("product_id", "=", self.product.id)]
        )


@tagged("post_install", "-at_install")
class TestReorder(ReorderCommon):
    # ---------------------------------------------------------------- statistics

    def test_statistics_exclude_stockout_days(self):
        stats = self.env["oms.reorder.policy"]._oms_demand_statistics(self.warehouse, 14)
        row = stats[self.product.id]
        self.assertEqual(row["n"], 11, "14 days less the 3 out-of-stock days")
        self.assertEqual(row["stockout_days"], 3)
        self.assertAlmostEqual(row["total"], 26.0)
        self.assertAlmostEqual(row["mean"], statistics.mean(IN_STOCK_DEMAND))
        self.assertAlmostEqual(row["std"], statistics.stdev(IN_STOCK_DEMAND))
        self.assertAlmostEqual(row["on_hand"], 4.0)
        self.assertEqual(row["factors"], [1.0] * 7, "under 4 weeks of data: no seasonality")
        self.assertAlmostEqual(row["level"], self._expected_level())
        # Counting the out-of-stock days as zero demand would understate it.
        self.assertLess(26.0 / 14, row["mean"])

    def test_window_opening_out_of_stock(self):
        """Out of stock since before the window: its first days are left out too."""
        product = self._product("Late beans", vendor_delay=2)
        self._history(product, [(-20, 3, 3), (-8, 10, 2), (-3, 0, 1)])
        row = self.env["oms.reorder.policy"]._oms_demand_statistics(self.warehouse, 14)[product.id]
        kept = [2, 0, 0, 0, 0, 1, 0, 0]
        self.assertEqual((row["n"], row["stockout_days"]), (8, 6))
        self.assertAlmostEqual(row["mean"], statistics.mean(kept))
        self.assertAlmostEqual(row["std"], statistics.stdev(kept))

    def test_weekly_seasonality(self):
        """Over 8 weeks, a product sold only at weekends gets weekend factors of 3.5."""
        product = self._product("Weekend beans", vendor_delay=3)
        history = [(-60, 200, 0)]
        for day in range(-56, 0):
            weekday = (self.today + timedelta(days=day)).isoweekday()
            history.append((day, 0, 2 if weekday in (6, 7) else 0))
        self._history(product, history)
        row = self.env["oms.reorder.policy"]._oms_demand_statistics(self.warehouse, 56)[product.id]
        self.assertEqual(row["n"], 56)
        self.assertAlmostEqual(row["mean"], 32 / 56)
        self.assertEqual([round(f, 6) for f in row["factors"]], [0.2] * 5 + [3.5, 3.5])

    # ---------------------------------------------------------------- formula, rules

    def test_formula_creates_auto_orderpoint(self):
        policy = self._policy()
        line = self._run(policy)
        level = self._expected_level()
        std = statistics.stdev(IN_STOCK_DEMAND)
        z = statistics.NormalDist().inv_cdf(0.95)
        safety = z * std * math.sqrt(5 + 1)
        expected_min = math.ceil((level * 5 + safety) * 100) / 100
        expected_max = math.ceil((level * 5 + safety + level * 30) * 100) / 100
        self.assertEqual(line.state, "ok")
        self.assertAlmostEqual(line.safety_stock, safety, places=2)
        self.assertAlmostEqual(line.min_qty, expected_min, places=2)
        self.assertAlmostEqual(line.max_qty, expected_max, places=2)
        orderpoint = line.orderpoint_id
        self.assertEqual(orderpoint.trigger, "auto")
        self.assertEqual(orderpoint.oms_policy_id, policy)
        self.assertEqual(orderpoint.location_id, self.stock)
        self.assertAlmostEqual(orderpoint.product_min_qty, expected_min, places=2)
        self.assertAlmostEqual(orderpoint.product_max_qty, expected_max, places=2)
        self.assertAlmostEqual(orderpoint.oms_lead_days, 5.0)
        self.assertEqual(orderpoint.oms_stockout_days, 3)
        self.assertAlmostEqual(orderpoint.oms_safety_stock, safety, places=2)

        # The company's days to purchase add to the vendor delay, as in purchase_stock.
        self.company.days_to_purchase = 2.0
        line = self._run(policy)
        self.assertAlmostEqual(line.lead_days, 7.0)
        self.assertEqual(line.orderpoint_id, orderpoint, "updated, not duplicated")
        self.assertAlmostEqual(orderpoint.oms_safety_stock, z * std * math.sqrt(7 + 1), places=2)

    def test_eoq_maximum(self):
        policy = self._policy(max_method="eoq", order_cost=40.0, holding_rate=25.0)
        line = self._run(policy)
        eoq = math.sqrt(2 * self._expected_level() * 365 * 40.0 / (10.0 * 0.25))
        self.assertAlmostEqual(line.max_qty - line.min_qty, eoq, delta=0.02)

    def test_manual_orderpoints_are_left_alone(self):
        policy = self._policy()
        orderpoint = self._run(policy).orderpoint_id
        # An inventory manager (not in the OMS groups) edits the minimum: the rule is his now.
        orderpoint.with_user(self.stock_manager).product_min_qty = 1.0
        self.assertTrue(orderpoint.oms_manual)
        line = self._run(policy)
        self.assertEqual(line.state, "manual")
        self.assertEqual(orderpoint.product_min_qty, 1.0)

        # A rule someone made by hand before any policy is never taken over.
        other = self._product("Robusta 1kg", vendor_delay=4)
        self._history(other, [(-10, 50, 5), (-3, 0, 5)])
        hand_made = (
            self.env["stock.warehouse.orderpoint"]
            .with_user(self.stock_manager)
            .create(
                {
                    "product_id": other.id,
                    "location_id": self.stock.id,
                    "product_min_qty": 3.0,
                    "product_max_qty": 9.0,
                }
            )
        )
        policy.action_compute_now()
        other_line = policy.line_ids.filtered(lambda line: line.product_id == other)
        self.assertEqual(other_line.state, "manual")
        self.assertEqual((hand_made.product_min_qty, hand_made.product_max_qty), (3.0, 9.0))
        self.assertFalse(hand_made.oms_policy_id)

    def test_odoo_suggestion_is_taken_over(self):
        """The empty manual rule Odoo's replenishment report creates becomes the policy's."""
        suggestion = self.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": self.product.id,
                "location_id": self.stock.id,
                "trigger": "manual",
                "product_min_qty": 0.0,
                "product_max_qty": 0.0,
            }
        )
        self.assertEqual(suggestion.create_uid.id, SUPERUSER_ID)
        policy = self._policy()
        line = self._run(policy)
        self.assertEqual(line.orderpoint_id, suggestion)
        self.assertEqual(suggestion.trigger, "auto")
        self.assertEqual(suggestion.oms_policy_id, policy)
        self.assertGreater(suggestion.product_min_qty, 0)

    def test_cron_goes_on_after_a_failing_warehouse(self):
        self._policy()
        warehouse_2 = self.env["stock.warehouse"].create({"name": "Second", "code": "WH2"})
        self._policy(name="Second", warehouse_id=warehouse_2.id)
        original = type(self.env["oms.reorder.policy"])._oms_compute_warehouse

        def compute(policy_model, warehouse, today=None):
            if warehouse == warehouse_2:
                raise ValidationError(policy_model.env._("Broken warehouse"))
            return original(policy_model, warehouse, today=today)

        with (
            patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit),
            patch.object(type(self.env["oms.reorder.policy"]), "_oms_compute_warehouse", compute),
        ):
            self.env["oms.reorder.policy"]._cron_oms_reorder()
        line = self.env["oms.reorder.line"].search([("product_id", "=", self.product.id)])
        self.assertEqual(line.warehouse_id, self.warehouse)

    def test_orderpoints_without_policy_unchanged(self):
        """Editing a rule no policy set behaves as in Odoo (no flag)."""
        plain = self._product("Tea", vendor_delay=2)
        orderpoint = self.env["stock.warehouse.orderpoint"].create(
            {"product_id": plain.id, "location_id": self.stock.id}
        )
        orderpoint.product_min_qty = 5.0
        self.assertFalse(orderpoint.oms_manual)

    def test_cannot_reorder_reasons(self):
        no_vendor = self._product("Unsourced beans")
        self._history(no_vendor, [(-10, 30, 3), (-2, 0, 4)])
        no_lead = self._product("Local beans", vendor_delay=0)
        self._history(no_lead, [(-9, 30, 1)])
        policy = self._policy()
        policy.action_compute_now()
        lines = {line.product_id: line for line in policy.line_ids}
        self.assertEqual(lines[no_vendor].state, "cannot")
        self.assertIn("No vendor", lines[no_vendor].reason)
        self.assertEqual(lines[no_lead].state, "cannot")
        self.assertIn("No lead time", lines[no_lead].reason)
        self.assertFalse(lines[no_vendor].orderpoint_id)
        self.assertEqual(lines[self.product].state, "ok", "the others are still computed")
        self.assertEqual(policy.cannot_count, 2)

    def test_rfq_through_odoo_scheduler(self):
        policy = self._policy(auto_confirm=True, auto_confirm_partner_ids=[self.vendor.id])
        line = self._run(policy)
        self.assertLess(line.qty_forecast, line.min_qty)
        self.env["stock.rule"].run_scheduler(company_id=self.company.id)
        po_line = self.env["purchase.order.line"].search(
            [("orderpoint_id", "=", line.orderpoint_id.id)]
        )
        self.assertEqual(po_line.partner_id, self.vendor)
        # Odoo orders up to the maximum, rounded up to whole units of the vendor.
        self.assertEqual(po_line.product_qty, math.ceil(line.max_qty - 4.0))
        self.assertEqual(po_line.order_id.state, "purchase", "confirmed for this vendor")

    def test_rfq_stays_draft_without_auto_confirm(self):
        line = self._run(self._policy())
        self.env["stock.rule"].run_scheduler(company_id=self.company.id)
        po_line = self.env["purchase.order.line"].search(
            [("orderpoint_id", "=", line.orderpoint_id.id)]
        )
        self.assertEqual(po_line.order_id.state, "draft")

    # ---------------------------------------------------------------- alerts

    def test_alert_raised_once_and_closed_on_recovery(self):
        policy = self._policy()
        line = self._run(policy)
        self.assertTrue(line.at_risk)
        self.assertIn(line, self.env["oms.reorder.line"].search([("at_risk", "=", True)]))
        activity = line.alert_activity_id
        self.assertEqual(activity.user_id, self.buyer, "the vendor's buyer")
        self.assertEqual(activity.res_id, self.product.product_tmpl_id.id)
        self._run(policy)
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "product.template"),
                ("res_id", "=", self.product.product_tmpl_id.id),
            ]
        )
        self.assertEqual(activities, activity, "one activity, not one per run")

        self._move(self.product, self.suppliers, self.stock, 200, 0)
        line = self._run(policy)
        self.assertFalse(line.at_risk)
        self.assertFalse(line.alert_raised)
        self.assertFalse(activity.active, "closed (done) when the stock recovered")
        self.assertGreater(line.days_to_stockout, 30)

    def test_digest_mail(self):
        policy = self._policy(digest=True, user_id=self.buyer.id)
        self._run(policy)
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit):
            self.env["oms.reorder.policy"]._cron_oms_stock_digest()
        # in the buyer's language: found by its record, not by its (translated) subject
        mail = self.env["mail.mail"].search(
            [("model", "=", "oms.reorder.policy"), ("res_id", "=", policy.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(self.product.name, str(mail.body_html))

    # ---------------------------------------------------------------- cron

    def test_cron_computes_every_warehouse(self):
        self._policy()
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit):
            self.env["oms.reorder.policy"]._cron_oms_reorder()
        orderpoint = self.env["stock.warehouse.orderpoint"].search(
            [("product_id", "=", self.product.id)]
        )
        self.assertTrue(orderpoint.oms_policy_id)

    # ---------------------------------------------------------------- validation

    def test_policy_validation(self):
        cases = [
            ({"service_level": 100.0}, "service level"),
            ({"service_level": 20.0}, "service level"),
            ({"demand_window_days": -5}, "demand window"),
            ({"demand_window_days": 5000}, "demand window"),
            ({"review_period_days": -1}, "review period"),
            ({"cover_days": -3}, "cover"),
            ({"max_method": "eoq", "order_cost": 0}, "cost per order"),
            ({"max_method": "eoq", "holding_rate": 300}, "holding cost"),
        ]
        for vals, message in cases:
            with self.subTest(vals=vals), self.assertRaises(ValidationError) as error:
                self._policy(**vals)
            self.assertIn(message, str(error.exception))
        self._policy()
        with self.assertRaises(ValidationError) as error:
            self._policy(name="Twin")
        self.assertIn("already has a reorder policy", str(error.exception))

    def test_category_policy_wins(self):
        general = self._policy()
        coffee = self._policy(name="Coffee", categ_id=self.category.id, service_level=99.0)
        general.action_compute_now()
        line = self.env["oms.reorder.line"].search([("product_id", "=", self.product.id)])
        self.assertEqual(line.policy_id, coffee)
        self.assertEqual(line.orderpoint_id.oms_policy_id, coffee)

    # ---------------------------------------------------------------- security

    def test_oms_user_reads_but_cannot_edit_policies(self):
        policy = self._policy()
        policy.action_compute_now()
        as_user = policy.with_user(self.oms_user)
        self.assertEqual(as_user.name, "Main")
        self.assertTrue(as_user.line_ids.read(["days_to_stockout"]))
        with self.assertRaises(AccessError):
            as_user.write({"service_level": 90.0})
        with self.assertRaises(AccessError):
            self._policy(env=self.user_env, name="Mine")
        with self.assertRaises(AccessError):
            as_user.action_compute_now()
        # The orderpoint form shows the figures to OMS users.
        with Form(line_orderpoint := policy.line_ids.orderpoint_id.with_user(self.oms_user)):
            pass
        self.assertTrue(line_orderpoint.oms_forecast_daily_demand)

    def test_multi_company(self):
        company_b = self.env["res.company"].create({"name": "OMS Reorder B"})
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)])
        manager_b = new_test_user(
            self.env,
            login="oms_manager_b",
            groups="oms_extended.group_oms_manager",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        policy_a = self._policy()
        policy_a.action_compute_now()
        env_b = self.env(
            user=manager_b, context=dict(self.env.context, allowed_company_ids=company_b.ids)
        )
        policy_b = env_b["oms.reorder.policy"].create(
            {"name": "B", "warehouse_id": warehouse_b.id, "company_id": company_b.id}
        )
        self.assertEqual(env_b["oms.reorder.policy"].search([]), policy_b)
        self.assertFalse(env_b["oms.reorder.line"].search([]))
        policy_b.action_compute_now()
        self.assertFalse(policy_b.line_ids, "company A's demand is not company B's")
        with self.assertRaises(AccessError):
            env_b["oms.reorder.policy"].browse(policy_a.id).read(["name"])
