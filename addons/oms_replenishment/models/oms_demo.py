from datetime import datetime, time, timedelta

from odoo import api, fields, models

# Past customer deliveries, (days ago, quantity), of the demo's two replenished products:
# coffee beans sell about 4 a day and are nearly sold out; kettles sell one a day.
BEANS_SALES = [(day, 3 + day % 3) for day in range(28, 0, -1)]
KETTLE_SALES = [(day, 1) for day in range(20, 0, -1)]


class OmsDemo(models.AbstractModel):
    """A reorder policy computed on a history of deliveries, with stock at risk."""

    _inherit = "oms.demo"

    @api.model
    def _oms_demo_vendor(self):
        Partner = self.env["res.partner"]
        vendor = Partner.search([("email", "=", "sales@green-coffee.example.com")], limit=1)
        return vendor or Partner.create(
            {
                "name": "Green Coffee Traders",
                "is_company": True,
                "email": "sales@green-coffee.example.com",
                "buyer_id": self.env.user.id,
            }
        )

    @api.model
    def _oms_demo_move(self, product, source, dest, quantity, days_ago):
        """A done stock move ``days_ago``: the warehouse's history (a move is dated when it
        is done, so a past one is dated afterwards, with its move lines)."""
        move = self.env["stock.move"].create(
            {
                "product_id": product.id,
                "product_uom": product.uom_id.id,
                "product_uom_qty": quantity,
                "location_id": source.id,
                "location_dest_id": dest.id,
            }
        )
        move._action_confirm()
        move._action_assign()
        move.quantity = quantity
        move.picked = True
        move._action_done()
        today = fields.Date.context_today(self)
        date = datetime.combine(today - timedelta(days=days_ago), time(12))
        move.write({"date": date})
        move.move_line_ids.write({"date": date})
        return move

    @api.model
    def _oms_demo_history(self, product, received, sales):
        """``received`` units came in from the vendor before ``sales`` went out."""
        stock = self._oms_demo_warehouse().lot_stock_id
        suppliers = self.env.ref("stock.stock_location_suppliers")
        customers = self.env.ref("stock.stock_location_customers")
        first_day = max(day for day, _qty in sales) + 1
        self._oms_demo_move(product, suppliers, stock, received, first_day)
        for day, quantity in sales:
            self._oms_demo_move(product, stock, customers, quantity, day)

    @api.model
    def _oms_demo_build_reorder(self):
        """Two products with a month of deliveries, bought from a vendor with a week's lead
        time; the warehouse's reorder policy computed: the beans are at risk, and their
        reordering rule orders them (*Order Once*): the policy confirms that vendor's
        purchase orders at once."""
        vendor = self._oms_demo_vendor()
        beans = self.env["product.product"].create(
            {
                "name": "Single-Origin Beans 250 g",
                "default_code": "OMS-DEMO-SINGLE",
                "is_storable": True,
                "list_price": 9.0,
                "standard_price": 4.0,
                "seller_ids": [
                    fields.Command.create({"partner_id": vendor.id, "delay": 7, "price": 4.0})
                ],
            }
        )
        kettle = self._oms_demo_products()[1]
        kettle.seller_ids = [
            fields.Command.create({"partner_id": vendor.id, "delay": 5, "price": 20.0})
        ]
        self._oms_demo_history(beans, 120, BEANS_SALES)
        self._oms_demo_history(kettle, 40, KETTLE_SALES)
        policy = self.env["oms.reorder.policy"].create(
            {
                "name": "Main warehouse",
                "warehouse_id": self._oms_demo_warehouse().id,
                "demand_window_days": 30,
                "service_level": 95.0,
                "cover_days": 30.0,
                "alert_cover_days": 7.0,
                "auto_confirm": True,
                "auto_confirm_partner_ids": [fields.Command.set(vendor.ids)],
            }
        )
        policy.action_compute_now()
        at_risk = policy.line_ids.filtered("at_risk")
        at_risk.orderpoint_id.action_replenish()
        return policy
