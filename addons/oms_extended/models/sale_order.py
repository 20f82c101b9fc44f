from odoo import api, fields, models

from ..order_states import FULLY_PAID_STATES, OMS_STATES, QUOTATION_STATES, state_keys


class SaleOrder(models.Model):
    """Order status: where each order is in its journey, and its exceptions."""

    _inherit = "sale.order"

    oms_state = fields.Selection(
        OMS_STATES,
        string="Order Status",
        compute="_compute_oms_state",
        store=True,
        index=True,
        tracking=True,
        group_expand="_read_group_expand_oms_state",
        help="Where the order is in its journey, summed up from the order, delivery, "
        "invoice and payment states.",
    )

    oms_exception_type = fields.Selection(
        [
            ("payment", "Payment Failed"),
            ("shipment", "Shipment Exception"),
            ("automation", "Automation Step Failed"),
        ],
        string="Exception",
        copy=False,
        tracking=True,
    )

    oms_exception_reason = fields.Text(string="Exception Reason", copy=False)

    oms_delivered = fields.Boolean(
        string="Delivered to Customer",
        copy=False,
        help="Set when the customer received the goods (carrier confirmation, manual "
        "confirmation, or validated service / drop-ship delivery).",
    )

    @api.model
    def _read_group_expand_oms_state(self, values, domain):
        return list(state_keys(OMS_STATES))

    @api.depends(
        "state",
        "delivery_status",
        "invoice_status",
        "oms_payment_state",
        "oms_exception_type",
        "oms_delivered",
        "require_payment",
        "prepayment_percent",
        "oms_amount_paid",
        "transaction_ids.state",
    )
    def _compute_oms_state(self):
        for order in self:
            order.oms_state = order._oms_get_state()

    def _oms_get_state(self):
        """The journey status of one order; override to add statuses."""
        self.ensure_one()
        if self.state == "cancel":
            return "cancelled"
        if self.oms_exception_type:
            return "exception"
        payment_started = self.oms_payment_state == "partial" or any(
            tx.state in ("pending", "authorized") for tx in self.transaction_ids
        )
        if self.state in QUOTATION_STATES:
            return "awaiting_payment" if payment_started else "quotation"
        return self._oms_get_confirmed_state()

    def _oms_get_confirmed_state(self):
        """The journey status of a confirmed order."""
        self.ensure_one()
        ship_state = self._oms_get_shipping_state()
        if ship_state == "ready_to_ship":
            return "awaiting_payment" if self._oms_awaits_prepayment() else ship_state
        if ship_state != "delivered":
            return ship_state
        if self.invoice_status == "invoiced":
            paid = self.oms_payment_state in FULLY_PAID_STATES
            return "done" if paid else "invoiced"
        return "delivered"

    def _oms_awaits_prepayment(self):
        """Odoo asked the customer to prepay (``require_payment``, ``prepayment_percent``
        of the total) and that prepayment is not in yet."""
        self.ensure_one()
        if not self.require_payment:
            return False
        required = self.amount_total * (self.prepayment_percent or 1.0)
        return self.currency_id.compare_amounts(self.oms_amount_paid, required) < 0

    def _oms_get_shipping_state(self):
        """ready_to_ship, partially_shipped, shipped or delivered."""
        self.ensure_one()
        pickings = self.picking_ids.filtered(lambda p: p.state != "cancel")
        if not pickings:
            return "delivered" if self.oms_delivered else "ready_to_ship"
        if self.delivery_status in ("started", "partial"):
            return "partially_shipped"
        if self.delivery_status != "full":
            return "ready_to_ship"
        in_transit = self._oms_is_in_transit(pickings)
        return "shipped" if in_transit and not self.oms_delivered else "delivered"

    def _oms_is_in_transit(self, pickings):
        """Whether the goods of these done transfers are still on their way to the customer.
        No carrier tracking here: delivered once the transfer is done. ``oms_shipping``
        overrides it (a tracking number means shipped until the carrier delivers) and adds
        its fields to the dependencies of ``_compute_oms_state``."""
        self.ensure_one()
        return False

    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        if error:
            return error
        archived = self.order_line.product_id.filtered(lambda p: not p.active)
        if archived:
            return self.env._(
                "Order %(order)s cannot be confirmed: these products are archived: "
                "%(products)s. Restore them or remove their lines first.",
                order=self.name,
                products=", ".join(archived.mapped("display_name")),
            )
        return False

    def action_oms_clear_exception(self):
        self._oms_check_automation_user()
        self.write({"oms_exception_type": False, "oms_exception_reason": False})
        self.activity_unlink(["mail.mail_activity_data_todo"], only_automated=False)
        self._oms_mark_for_automation()
        return True

    def action_oms_mark_delivered(self):
        self._oms_check_automation_user()
        self.filtered(lambda o: o.state == "sale").oms_delivered = True
        self._oms_mark_for_automation()
        return True

    def _oms_set_exception(self, kind, reason):
        """Put the orders in exception and tell their salesperson what failed."""
        self.write({"oms_exception_type": kind, "oms_exception_reason": reason})
        label = dict(self._fields["oms_exception_type"]._description_selection(self.env))[kind]
        for order in self:
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=label,
                note=reason,
                user_id=order.user_id.id or self.env.uid,
            )
