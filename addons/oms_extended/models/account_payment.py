from odoo import api, fields, models

from .oms_workflow import PAYMENT_METHODS


class AccountPayment(models.Model):
    _inherit = "account.payment"

    oms_sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index="btree_not_null",
        copy=False,
        check_company=True,
        help="The order this payment was collected for (deposit, payment or refund).",
    )
    oms_order_amount = fields.Monetary(
        string="Amount in Order Currency",
        currency_field="oms_order_currency_id",
        compute="_compute_oms_order_amount",
        store=True,
        help="Signed amount (refunds are negative) converted at the payment date.",
    )
    oms_order_currency_id = fields.Many2one(
        related="oms_sale_order_id.currency_id", string="Order Currency"
    )
    oms_method = fields.Selection(
        selection=PAYMENT_METHODS,
        string="Collection Method",
        copy=False,
    )

    # A provider notification received twice must never record two payments.
    _oms_unique_transaction = models.UniqueIndex(
        "(payment_transaction_id) WHERE payment_transaction_id IS NOT NULL",
        "A payment already exists for this payment transaction.",
    )

    @api.depends("amount", "currency_id", "date", "payment_type", "oms_sale_order_id.currency_id")
    def _compute_oms_order_amount(self):
        for payment in self:
            order = payment.oms_sale_order_id
            if not order or not payment.currency_id:
                payment.oms_order_amount = 0.0
                continue
            amount = payment.currency_id._convert(
                payment.amount,
                order.currency_id,
                payment.company_id,
                payment.date or fields.Date.context_today(payment),
            )
            payment.oms_order_amount = amount if payment.payment_type == "inbound" else -amount

    @api.model_create_multi
    def create(self, vals_list):
        payments = super().create(vals_list)
        payments.oms_sale_order_id._oms_mark_for_automation()
        return payments

    def write(self, vals):
        orders = self.oms_sale_order_id
        res = super().write(vals)
        if "state" in vals or "oms_sale_order_id" in vals:
            (orders | self.oms_sale_order_id)._oms_mark_for_automation()
        return res
