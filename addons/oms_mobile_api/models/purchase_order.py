from odoo import api, models
from odoo.fields import Command


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    @api.model
    def _oms_api_create(self, values, lines, confirm=True):
        """Order goods from a vendor: a request for quotation with ``lines`` (dicts with
        ``product_id``, ``quantity``, optionally ``price_unit``; otherwise the vendor's
        price list and lead time apply), confirmed into a purchase order when ``confirm``."""
        order_lines = []
        for line in lines:
            line_values = {"product_id": line["product_id"], "product_qty": line["quantity"]}
            if line.get("price_unit") is not None:
                line_values["price_unit"] = line["price_unit"]
            if values.get("date_planned"):
                line_values["date_planned"] = values["date_planned"]
            order_lines.append(Command.create(line_values))
        order = self.create(dict(values, order_line=order_lines))
        if confirm:
            order.button_confirm()
        return order
