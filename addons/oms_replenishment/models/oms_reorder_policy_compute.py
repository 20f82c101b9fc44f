import logging
import math
from statistics import NormalDist

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_round

from .oms_reorder_policy import REORDER_LOCK_CLASS, WRITE_BATCH

_logger = logging.getLogger(__name__)


class OmsReorderPolicy(models.Model):
    """One run of the reorder policies of a warehouse: statistics, formula, reordering
    rules, results and alerts (``_oms_compute_warehouse``)."""

    _inherit = "oms.reorder.policy"

    @api.model
    def _oms_vendors_and_lead_days(self, products, warehouse, orderpoints, today):
        """{product_id: (product.supplierinfo, lead days)}: the vendor and the lead time
        Odoo's own replenishment uses for the product's reordering rule in ``warehouse``.

        The vendor is the rule's own (``supplier_id``) or ``product._select_seller``
        (vendor order, company, price validity on ``today``); the lead time is
        ``stock.rule._get_lead_days`` of the rule's rules (route delays, vendor delay,
        days to purchase), the ``lead_days`` Odoo shows on the reordering rule.

        Ours differs in one point: the seller is chosen for no quantity (``quantity=None``,
        the minimum quantities of the price lines are not applied), as Odoo's
        ``_get_lead_days`` does, because the quantity to order comes out of the lead time;
        the purchase order's vendor for the quantity ordered is still chosen by Odoo's buy
        rule when the reordering rule runs. Rules are looked up once per route set, as
        Odoo's ``_compute_rules`` does, not once per product."""
        company = warehouse.company_id
        location = warehouse.lot_stock_id
        buy_route = warehouse.buy_pull_id.route_id
        products = products.with_company(company)
        rules_cache, result = {}, {}
        for product in products:
            orderpoint = orderpoints.get(product.id)
            route = orderpoint.route_id if orderpoint else buy_route
            # What stock.rule._get_rule reads of the product (Odoo's own cache key adds
            # get_total_routes(), a search per product that _get_rule does not use).
            key = (route, product.route_ids | product.categ_id.total_route_ids)
            if key not in rules_cache:
                rules_cache[key] = product._get_rules_from_location(location, route_ids=route)
            values = orderpoint._get_lead_days_values() if orderpoint else {}
            seller = values.get("supplierinfo") or product._select_seller(
                quantity=None, date=today, uom_id=product.uom_id
            )
            if not seller:
                result[product.id] = (seller, 0.0)
                continue
            values["supplierinfo"] = seller
            delays, _descriptions = (
                rules_cache[key]
                .with_context(bypass_delay_description=True)
                ._get_lead_days(product, **values)
            )
            result[product.id] = (seller, delays["total_delay"])
        return result

    @api.model
    def _oms_lock_warehouse(self, warehouse):
        """Take the lock of a run of ``warehouse``'s policies: a transaction-level advisory
        lock (REORDER_LOCK_CLASS, warehouse id), released by the commit or the rollback
        that ends the run. UserError when another run of the warehouse holds it (the
        nightly run, another user's *Compute now*): runs never stack or wait."""
        self.env.cr.execute(
            SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", REORDER_LOCK_CLASS, warehouse.id)
        )
        if not self.env.cr.fetchone()[0]:
            raise UserError(
                self.env._(
                    "The reorder policies of %(warehouse)s are being computed right now (by "
                    "the nightly run or another user): try again in a few minutes.",
                    warehouse=warehouse.display_name,
                )
            )

    def _oms_reorder_figures(self, stats, lead_days, product, today=None):
        """The formula, on the statistics of one product. Returns a dict of figures."""
        self.ensure_one()
        today = today or self._oms_warehouse_today(self.warehouse_id)
        level = max(stats["level"], 0.0)
        factors = stats["factors"]
        horizon = max(math.ceil(lead_days), 1)
        upcoming = [
            factors[fields.Date.add(today, days=i).isoweekday() - 1] for i in range(horizon)
        ]
        lead_factor = sum(upcoming) / len(upcoming)
        lead_demand = level * lead_factor * lead_days
        z = NormalDist().inv_cdf(self.service_level / 100.0)
        safety = z * stats["std"] * math.sqrt(lead_days + self.review_period_days)
        min_qty = lead_demand + safety
        if self.max_method == "eoq" and product.standard_price > 0:
            holding = product.standard_price * self.holding_rate / 100.0
            eoq = math.sqrt(2.0 * level * 365.0 * self.order_cost / holding)
            max_qty = min_qty + eoq
        else:
            max_qty = min_qty + level * self.cover_days
        rounding = product.uom_id.rounding
        return {
            "daily_demand": level,
            "lead_demand": lead_demand,
            "safety_stock": safety,
            "min_qty": float_round(min_qty, precision_rounding=rounding, rounding_method="UP"),
            "max_qty": float_round(max_qty, precision_rounding=rounding, rounding_method="UP"),
        }

    def _oms_policy_for(self, product):
        """The policy of ``product`` among ``self`` (one warehouse): deepest category."""
        best, depth = None, -1
        path = product.categ_id.parent_path or ""
        for policy in self:
            if not policy.categ_id:
                policy_depth = 0
            elif path.startswith(policy.categ_id.parent_path):
                policy_depth = policy.categ_id.parent_path.count("/")
            else:
                continue
            if policy_depth > depth:
                best, depth = policy, policy_depth
        return best

    @api.model
    def _oms_compute_warehouse(self, warehouse, today=None):
        """Statistics (one SQL pass), formula, orderpoints and alerts of one warehouse."""
        policies = self.search([("warehouse_id", "=", warehouse.id)])
        if not policies:
            return self.env["oms.reorder.line"]
        self._oms_lock_warehouse(warehouse)
        today = today or self._oms_warehouse_today(warehouse)
        now = fields.Datetime.now()
        stats, policy_of = policies._oms_warehouse_statistics(warehouse, today)
        products = (
            self.env["product.product"].browse(list(stats)).with_company(warehouse.company_id)
        )
        forecasts = {
            p["id"]: p["virtual_available"]
            for p in products.with_context(warehouse_id=warehouse.id).read(["virtual_available"])
        }
        Orderpoint = self.env["stock.warehouse.orderpoint"].with_context(
            active_test=False, oms_reorder_write=True
        )
        orderpoints = {
            op.product_id.id: op
            for op in Orderpoint.search(
                [
                    ("product_id", "in", products.ids),
                    ("location_id", "=", warehouse.lot_stock_id.id),
                    ("company_id", "=", warehouse.company_id.id),
                ]
            )
        }
        vendors = self._oms_vendors_and_lead_days(products, warehouse, orderpoints, today)
        line_values, to_create, to_write = {}, [], []
        for product in products:
            policy = policy_of[product.id]
            seller, lead = vendors[product.id]
            values, op_values = policy._oms_product_result(
                product, stats[product.id], seller, lead, today
            )
            values.update(
                warehouse_id=warehouse.id,
                qty_forecast=forecasts.get(product.id, 0.0),
                computed_at=now,
            )
            orderpoint = orderpoints.get(product.id)
            if op_values:
                op_values["oms_computed_at"] = now
                if not orderpoint:
                    op_values.update(
                        # Not Odoo's sequence: it costs a locked round trip per rule.
                        name=f"{warehouse.code}/OMS/{product.id:06d}",
                        product_id=product.id,
                        location_id=warehouse.lot_stock_id.id,
                        warehouse_id=warehouse.id,
                        company_id=warehouse.company_id.id,
                        trigger="auto",
                        route_id=warehouse.buy_pull_id.route_id.id,
                    )
                    to_create.append(op_values)
                elif orderpoint._oms_policy_may_write():
                    if not orderpoint.oms_policy_id:
                        # Odoo's own empty suggestion of the replenishment report: adopted.
                        op_values["trigger"] = "auto"
                    to_write.append((orderpoint, op_values))
                else:
                    values.update(
                        state="manual",
                        reason=self.env._("A reordering rule set by hand is kept as it is."),
                    )
            line_values[product.id] = values
        for chunk in range(0, len(to_create), WRITE_BATCH):
            for op in Orderpoint.create(to_create[chunk : chunk + WRITE_BATCH]):
                orderpoints[op.product_id.id] = op
        for orderpoint, op_values in to_write:
            orderpoint.write(op_values)
        for product_id, values in line_values.items():
            values["orderpoint_id"] = (
                orderpoints[product_id].id if product_id in orderpoints else False
            )
        lines = self.env["oms.reorder.line"]._oms_store(warehouse, line_values)
        lines._oms_update_alerts()
        policies.last_run = now
        _logger.info(
            "Reorder policies of %s: %d products, %d rules created, %d updated",
            warehouse.display_name,
            len(line_values),
            len(to_create),
            len(to_write),
        )
        return lines

    def _oms_warehouse_statistics(self, warehouse, today):
        """One SQL pass per warehouse (one per distinct demand window of its policies).
        Returns ({product_id: statistics}, {product_id: policy})."""
        stats, policy_of = {}, {}
        for window in sorted(set(self.mapped("demand_window_days"))):
            window_stats = self._oms_demand_statistics(warehouse, window, today=today)
            for product in self.env["product.product"].browse(list(window_stats)):
                policy = self._oms_policy_for(product)
                if policy and policy.demand_window_days == window:
                    stats[product.id] = window_stats[product.id]
                    policy_of[product.id] = policy
        return stats, policy_of

    def _oms_product_result(self, product, stats, seller, lead, today):
        """(values of the result line, values of the orderpoint or None) for one product,
        with its vendor and lead time (``_oms_vendors_and_lead_days``)."""
        self.ensure_one()
        _ = self.env._
        values = {
            "policy_id": self.id,
            "product_id": product.id,
            "days_observed": stats["n"],
            "stockout_days": stats["stockout_days"],
            "avg_daily_demand": stats["mean"],
            "demand_std": stats["std"],
            "forecast_daily_demand": max(stats["level"], 0.0),
            "qty_on_hand": stats["on_hand"],
            "lead_days": lead,
            "vendor_id": seller.partner_id.id if seller else False,
            "state": "cannot",
            "reason": False,
            "safety_stock": 0.0,
            "min_qty": 0.0,
            "max_qty": 0.0,
        }
        if not seller:
            values["reason"] = _(
                "No vendor: add one on the product's Purchase tab, with a price valid today."
            )
            return values, None
        if lead <= 0:
            values["reason"] = _(
                "No lead time: the vendor %(vendor)s has a delivery lead time of 0 days, and "
                "neither the company's days to purchase nor the route add any.",
                vendor=seller.partner_id.display_name,
            )
            return values, None
        figures = self._oms_reorder_figures(stats, lead, product, today=today)
        values.update(
            state="ok",
            safety_stock=figures["safety_stock"],
            min_qty=figures["min_qty"],
            max_qty=figures["max_qty"],
        )
        return values, {
            "oms_policy_id": self.id,
            "product_min_qty": figures["min_qty"],
            "product_max_qty": figures["max_qty"],
            "oms_avg_daily_demand": stats["mean"],
            "oms_demand_std": stats["std"],
            "oms_forecast_daily_demand": figures["daily_demand"],
            "oms_stockout_days": stats["stockout_days"],
            "oms_lead_days": lead,
            "oms_safety_stock": figures["safety_stock"],
        }
