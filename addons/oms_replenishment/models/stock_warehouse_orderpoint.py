from odoo import SUPERUSER_ID, fields, models

# A user who changes these on a rule of a reorder policy takes it over (oms_manual).
OMS_MANUAL_FIELDS = ("product_min_qty", "product_max_qty", "trigger")


class StockWarehouseOrderpoint(models.Model):
    """Reordering rules set by a reorder policy keep the figures they come from. Rules that
    no policy set behave exactly as in Odoo."""

    _inherit = "stock.warehouse.orderpoint"

    oms_policy_id = fields.Many2one(
        "oms.reorder.policy",
        string="Reorder Policy",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        copy=False,
    )
    oms_manual = fields.Boolean(
        "Kept by Hand",
        copy=False,
        help="The reorder policy no longer changes this rule. Set when a user edits the "
        "minimum, maximum or trigger of a rule the policy created.",
    )
    oms_avg_daily_demand = fields.Float(
        "Daily Demand (mean)", digits="Product Unit", readonly=True, copy=False
    )
    oms_demand_std = fields.Float(
        "Daily Demand (std dev)", digits="Product Unit", readonly=True, copy=False
    )
    oms_forecast_daily_demand = fields.Float(
        "Daily Demand (forecast)", digits="Product Unit", readonly=True, copy=False
    )
    oms_stockout_days = fields.Integer("Stock-out Days Excluded", readonly=True, copy=False)
    oms_lead_days = fields.Float("Lead Time Used (days)", readonly=True, copy=False)
    oms_safety_stock = fields.Float(
        "Safety Stock", digits="Product Unit", readonly=True, copy=False
    )
    oms_computed_at = fields.Datetime("Computed On", readonly=True, copy=False)

    def write(self, vals):
        if (
            not self.env.context.get("oms_reorder_write")
            and "oms_manual" not in vals
            and any(name in vals for name in OMS_MANUAL_FIELDS)
        ):
            owned = self.filtered(lambda op: op.oms_policy_id and not op.oms_manual)
            if owned:
                owned_vals = dict(vals, oms_manual=True)
                super(StockWarehouseOrderpoint, owned).write(owned_vals)
                return super(StockWarehouseOrderpoint, self - owned).write(vals)
        return super().write(vals)

    def _oms_policy_may_write(self):
        """Whether a reorder policy may set this rule: its own rules unless a user took them
        over, and Odoo's empty suggestions of the replenishment report."""
        self.ensure_one()
        if not self.active or self.oms_manual:
            return False
        if self.oms_policy_id:
            return True
        return (
            self.trigger == "manual"
            and self.create_uid.id == SUPERUSER_ID
            and not self.product_min_qty
            and not self.product_max_qty
        )

    def _post_process_scheduler(self):
        res = super()._post_process_scheduler()
        self._oms_confirm_policy_rfqs()
        return res

    def _oms_confirm_policy_rfqs(self):
        """Confirm the RFQs raised by the rules of policies that confirm their vendors'
        RFQs automatically; an RFQ holding other lines is left to the buyer."""
        orderpoints = self.filtered(
            lambda op: op.oms_policy_id.auto_confirm and op.oms_policy_id.auto_confirm_partner_ids
        )
        if not orderpoints:
            return
        lines = (
            self.env["purchase.order.line"]
            # sudo: the RFQs the scheduler (or the user who clicked "Order") just raised for
            # these rules; a policy set by an OMS manager decides their vendors' are confirmed
            .sudo()
            .search([("orderpoint_id", "in", orderpoints.ids), ("order_id.state", "=", "draft")])
        )
        for order in lines.order_id:
            policies = order.order_line.orderpoint_id.oms_policy_id
            if all(line.orderpoint_id in orderpoints for line in order.order_line) and all(
                order.partner_id in policy.auto_confirm_partner_ids for policy in policies
            ):
                order.button_confirm()
