from collections import defaultdict
from datetime import timedelta

from odoo import fields, models
from odoo.fields import Domain
from odoo.tools import float_compare

OPEN_MOVE_STATES = ("waiting", "confirmed", "partially_available", "assigned")


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _oms_api_availability(self):
        """``{product id: {on_hand, free, forecast, next_incoming_date}}`` for the products,
        in the warehouse of the context (``warehouse_id``) or all warehouses of the allowed
        companies: a fixed number of queries for any number of products."""
        _quants, domain_in, _out = self._get_domain_locations()
        next_incoming = dict(
            self.env["stock.move"]._read_group(
                Domain(domain_in)
                & Domain("product_id", "in", self.ids)
                & Domain("state", "in", OPEN_MOVE_STATES),
                ["product_id"],
                ["date:min"],
            )
        )
        return {
            product.id: {
                "on_hand": product.qty_available,
                "free": product.free_qty,
                "forecast": product.virtual_available,
                "next_incoming_date": next_incoming.get(product),
            }
            for product in self
        }

    def _oms_api_promise(self, quantity):
        """The first day we can promise ``quantity`` of the product, in the warehouse of the
        context (``warehouse_id``) or all warehouses of the allowed companies.

        The forecast stock of each day is what is on hand, plus the receipts, less the
        deliveries planned until that day (the deliveries include the reserved goods).
        The promise is the first day from which the forecast stays at or above
        ``quantity`` for good (goods promised to earlier orders are never promised twice),
        today at the earliest. When even the last forecast falls short, the goods must be
        bought: today plus the vendor's lead time and the company's purchase lead time.
        Services and consumables are always available.

        Returns a dict: ``promise_date`` (None when no vendor supplies the shortage),
        ``source`` (``stock``, ``incoming``, ``vendor_lead_time`` or ``unavailable``),
        ``on_hand``, ``free``, ``forecast``, ``shortage`` (what must be bought)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        result = {
            "on_hand": self.qty_available,
            "free": self.free_qty,
            "forecast": self.virtual_available,
            "shortage": 0.0,
            "promise_date": today,
            "source": "stock",
        }
        if not self.is_storable:
            return result
        rounding = self.uom_id.rounding
        # Forecast stock at the end of each day with planned moves, from today on.
        _quants, domain_in, domain_out = self._get_domain_locations()
        deltas = defaultdict(float)
        outgoing = 0.0
        open_moves = Domain("product_id", "=", self.id) & Domain("state", "in", OPEN_MOVE_STATES)
        for domain, sign in ((domain_in, 1), (domain_out, -1)):
            for day, qty in self.env["stock.move"]._read_group(
                Domain(domain) & open_moves, ["date:day"], ["product_qty:sum"]
            ):
                deltas[max(fields.Date.to_date(day), today)] += sign * qty
                outgoing += qty if sign < 0 else 0.0
        levels = []
        level = self.qty_available
        for day in sorted(deltas):
            level += deltas[day]
            levels.append((day, level))
        if not levels or levels[0][0] > today:
            levels.insert(0, (today, self.qty_available))
        # Walking back from the last day: the first day from which every later level
        # covers the quantity.
        promise = None
        lowest = float("inf")
        for day, level in reversed(levels):
            lowest = min(lowest, level)
            if float_compare(lowest, quantity, precision_rounding=rounding) < 0:
                break
            promise = day
        if promise is not None:
            # From stock: what is on hand covers the quantity after every delivery planned.
            from_stock = (
                float_compare(self.qty_available - outgoing, quantity, precision_rounding=rounding)
                >= 0
            )
            result.update(promise_date=promise, source="stock" if from_stock else "incoming")
            return result
        seller = (
            self._select_seller(quantity=quantity - levels[-1][1], uom_id=self.uom_id)
            or self.seller_ids[:1]
        )
        if not seller:
            shortage = quantity - min(level for _day, level in levels)
            result.update(promise_date=None, source="unavailable", shortage=shortage)
            return result
        # Bought today, the goods arrive after the lead times: they must cover the lowest
        # forecast from then on.
        arrival = today + timedelta(days=round(seller.delay + self.env.company.days_to_purchase))
        before = [level for day, level in levels if day <= arrival]
        after = [level for day, level in levels if day > arrival]
        shortage = quantity - min(before[-1:] + after)
        result.update(promise_date=arrival, source="vendor_lead_time", shortage=shortage)
        return result
