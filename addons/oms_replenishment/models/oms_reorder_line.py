from odoo import SUPERUSER_ID, api, fields, models

NO_STOCKOUT_DAYS = 9999.0


class OmsReorderLine(models.Model):
    """The result of the last reorder computation for one product in one warehouse: the
    figures, whether a reordering rule could be set (or why not), the risk of running out
    and the low-stock alert raised for it. The *Stock at risk* list is these lines."""

    _name = "oms.reorder.line"
    _description = "Reorder Result"
    _order = "at_risk desc, days_to_stockout, id"
    _rec_name = "product_id"

    policy_id = fields.Many2one(
        "oms.reorder.policy", required=True, ondelete="cascade", index=True, readonly=True
    )
    warehouse_id = fields.Many2one("stock.warehouse", required=True, readonly=True, index=True)
    company_id = fields.Many2one(
        related="warehouse_id.company_id", store=True, index=True, readonly=True
    )
    product_id = fields.Many2one(
        "product.product", required=True, ondelete="cascade", readonly=True, index=True
    )
    orderpoint_id = fields.Many2one(
        "stock.warehouse.orderpoint", string="Reordering Rule", ondelete="set null", readonly=True
    )
    vendor_id = fields.Many2one("res.partner", string="Main Vendor", readonly=True)
    state = fields.Selection(
        [
            ("ok", "Rule set"),
            ("manual", "Manual rule kept"),
            ("cannot", "Cannot reorder"),
        ],
        required=True,
        readonly=True,
        default="ok",
    )
    reason = fields.Char(readonly=True)
    days_observed = fields.Integer("In-stock Days", readonly=True)
    stockout_days = fields.Integer("Stock-out Days", readonly=True)
    avg_daily_demand = fields.Float("Daily Demand (mean)", digits="Product Unit", readonly=True)
    demand_std = fields.Float("Std Deviation", digits="Product Unit", readonly=True)
    forecast_daily_demand = fields.Float(
        "Daily Demand (forecast)", digits="Product Unit", readonly=True
    )
    lead_days = fields.Float("Lead Time (days)", readonly=True)
    safety_stock = fields.Float(digits="Product Unit", readonly=True)
    min_qty = fields.Float("Minimum", digits="Product Unit", readonly=True)
    max_qty = fields.Float("Maximum", digits="Product Unit", readonly=True)
    qty_on_hand = fields.Float("On Hand", digits="Product Unit", readonly=True)
    qty_forecast = fields.Float("Forecast", digits="Product Unit", readonly=True)
    days_to_stockout = fields.Float(
        "Days until Stock-out",
        compute="_compute_risk",
        store=True,
        digits=(16, 1),
        help="Forecast quantity divided by the forecast daily demand.",
    )
    at_risk = fields.Boolean(compute="_compute_risk", store=True, index=True)
    alert_activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null")
    alert_raised = fields.Boolean(
        readonly=True, help="A low-stock activity was raised for the current episode."
    )
    computed_at = fields.Datetime(readonly=True)

    _product_warehouse_unique = models.Constraint(
        "UNIQUE (warehouse_id, product_id)",
        "A product has one reorder result per warehouse.",
    )

    @api.depends(
        "qty_forecast", "forecast_daily_demand", "min_qty", "state", "policy_id.alert_cover_days"
    )
    def _compute_risk(self):
        for line in self:
            daily = line.forecast_daily_demand
            forecast = line.qty_forecast
            days = max(forecast, 0.0) / daily if daily > 0 else NO_STOCKOUT_DAYS
            line.days_to_stockout = min(days, NO_STOCKOUT_DAYS)
            under_min = line.state == "ok" and forecast < line.min_qty
            line.at_risk = bool(
                daily > 0 and (under_min or days < (line.policy_id.alert_cover_days or 0.0))
            )

    @api.model
    def _oms_store(self, warehouse, values_by_product):
        """Create or update the lines of ``warehouse``; drop the products without demand."""
        existing = {
            line.product_id.id: line for line in self.search([("warehouse_id", "=", warehouse.id)])
        }
        to_create = []
        lines = self.browse()
        for product_id, values in values_by_product.items():
            line = existing.pop(product_id, None)
            if line:
                line.write(values)
                lines |= line
            else:
                to_create.append(values)
        lines |= self.create(to_create)
        stale = self.browse([line.id for line in existing.values()])
        stale._oms_close_alerts()
        stale.unlink()
        return lines

    def _oms_buyer(self):
        self.ensure_one()
        return (
            self.vendor_id.buyer_id
            or self.product_id.with_company(self.company_id).responsible_id
            or self.policy_id.user_id
            or self.env["res.users"].browse(SUPERUSER_ID)
        )

    def _oms_update_alerts(self):
        """One activity per low-stock episode; it is closed when the stock recovers."""
        to_raise = self.filtered(lambda line: line.at_risk and not line.alert_raised)
        for line in to_raise:
            template = line.product_id.product_tmpl_id
            # sudo: one activity on this result's product, for its buyer, raised by the run
            # (an OMS manager's or the cron's); it gives the runner nothing to read or write.
            activity = template.sudo().activity_schedule(
                "mail.mail_activity_data_warning",
                summary=self.env._(
                    "Low stock in %(warehouse)s", warehouse=line.warehouse_id.display_name
                ),
                note=self.env._(
                    "Forecast %(forecast)s, minimum %(min)s, about %(days)s days of cover left.",
                    forecast=round(line.qty_forecast, 2),
                    min=round(line.min_qty, 2),
                    days=round(line.days_to_stockout, 1),
                ),
                user_id=line._oms_buyer().id,
            )
            line.write({"alert_activity_id": activity.id, "alert_raised": True})
        self.filtered(lambda line: not line.at_risk and line.alert_raised)._oms_close_alerts()

    def _oms_close_alerts(self):
        lines = self.filtered("alert_raised")
        # sudo: the activities these results raised for the buyer (not the runner's), marked
        # done by the run that sees the stock recovered; no other activity is reached.
        activities = lines.alert_activity_id.sudo().filtered("active")
        if activities:
            activities.action_feedback(feedback=self.env._("Stock recovered."))
        lines.write({"alert_activity_id": False, "alert_raised": False})

    def action_open_product(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "product.product",
            "res_id": self.product_id.id,
            "view_mode": "form",
        }
