from odoo import api, models
from odoo.fields import Command
from odoo.tools import SQL


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _oms_api_read(self):
        """Hook: the API returns these orders whole to its caller (``GET /orders/{id}``);
        modules that follow reads extend it (``oms_audit_mobile_api`` logs a view)."""
        return self

    @api.model
    def _oms_api_create(self, values, lines, confirm=False):
        """Create a quotation from the mobile app, and confirm it when ``confirm``.

        ``values`` are the order's fields; ``lines`` are dicts with ``product_id``,
        ``quantity`` and optionally ``price_unit``, ``discount`` and ``description``
        (otherwise priced by the customer's pricelist as in the web client)."""
        order = self.create(
            dict(
                values,
                order_line=[Command.create(self._oms_api_line_values(line)) for line in lines],
            )
        )
        if confirm:
            order._oms_api_confirm()
        return order

    @api.model
    def _oms_api_line_values(self, line):
        values = {"product_id": line["product_id"], "product_uom_qty": line["quantity"]}
        for key, field in (
            ("price_unit", "price_unit"),
            ("discount", "discount"),
            ("description", "name"),
        ):
            if line.get(key) is not None:
                values[field] = line[key]
        return values

    def _oms_api_confirm(self):
        """Accept the order: confirm it, which reserves its stock. An order already
        confirmed is left as it is, so that accepting it again is harmless."""
        self.ensure_one()
        if self.state != "sale":
            self._oms_lock_stock()
            self.action_confirm()
        return True

    def _oms_lock_stock(self):
        """Lock the stock (quants) of the order's goods in its warehouse until the
        transaction ends.

        Odoo reserves on a quant it can lock at once and, when another transaction holds
        it, on a new quant: two confirmations at the same time, each seeing the same free
        stock, then reserve it twice. With the quants locked first, the second
        confirmation waits for the first, fails with a serialization error when the first
        commits, and Odoo retries it on fresh data: it reserves what is left, never more
        than is on hand. The locks are taken in id order (no deadlock between orders)."""
        self.ensure_one()
        products = self.order_line.product_id.filtered("is_storable")
        if not products or not self.warehouse_id:
            return
        self.env.cr.execute(
            SQL(
                """
                SELECT quant.id
                  FROM stock_quant quant
                  JOIN stock_location location ON location.id = quant.location_id
                 WHERE quant.product_id IN %s AND location.parent_path LIKE %s
              ORDER BY quant.id
                   FOR NO KEY UPDATE OF quant
                """,
                tuple(products.ids),
                f"{self.warehouse_id.view_location_id.parent_path}%",
            )
        )

    def _oms_api_invoice(self):
        """Create the invoice of what the order has to invoice, and post it, with the
        rights of the user: posting needs billing rights, as in the web client
        (``AccessError`` otherwise, and the API rolls the draft invoice back with it)."""
        self.ensure_one()
        # Odoo creates invoices as superuser: post them as the user, so that
        # ``action_post`` checks the user's rights.
        invoices = self._create_invoices().with_env(self.env)
        invoices.action_post()
        return invoices

    def _oms_api_payments(self):
        """The order's payments the user may read: none for a user without access to
        payments (e.g. a plain salesperson), who still sees the order and its payment
        status, as in the web client."""
        self.ensure_one()
        if not self._has_field_access(self._fields["oms_payment_ids"], "read"):
            return self.env["account.payment"]
        if not self.env["account.payment"].has_access("read"):
            return self.env["account.payment"]
        return self.oms_payment_ids
