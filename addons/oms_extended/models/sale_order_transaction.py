from odoo import models
from odoo.fields import Command


class SaleOrder(models.Model):
    """Card and PayPal payments through Odoo's payment providers."""

    _inherit = "sale.order"

    def _oms_create_transaction(self, provider, payment_method, amount, token=None):
        """A provider transaction paying ``amount`` of the order (card, PayPal)."""
        self.ensure_one()
        # Only for users who may take payments (Odoo's billing rights).
        self.env["account.payment"].check_access("create")
        # Superuser, as Odoo's account.payment.action_post creates token transactions: the
        # provider's data is not readable by users who take payments; the caller (the
        # register wizard, OMS users) has checked the order, the amount and the token.
        Transaction = self.env["payment.transaction"].sudo()
        link = [Command.set(self.ids)]
        return Transaction.create(
            {
                "provider_id": provider.id,
                "payment_method_id": payment_method.id,
                "reference": Transaction._compute_reference(provider.code, sale_order_ids=link),
                "amount": amount,
                "currency_id": self.currency_id.id,
                "partner_id": self.partner_id.id,
                "token_id": token.id if token else False,
                "operation": "offline" if token else "online_redirect",
                "sale_order_ids": link,
            }
        )
