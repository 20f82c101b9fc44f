from odoo import api, models
from odoo.addons.oms_extended.order_states import QUOTATION_STATES
from odoo.fields import Domain


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _oms_api_customer_domain(self):
        """The customers of the mobile app: partners with a customer invoice or an order."""
        return Domain("name", "!=", False) & (
            Domain("customer_rank", ">", 0) | Domain("sale_order_ids", "!=", False)
        )

    @api.model
    def _oms_api_vendor_domain(self):
        """The vendors of the mobile app: partners that sell one of the caller's products
        (vendor pricelists), or that Odoo ranks as suppliers (a purchase or a vendor bill)."""
        sellers = self.env["product.supplierinfo"]._search([])
        return Domain("name", "!=", False) & (
            Domain("supplier_rank", ">", 0) | Domain("id", "in", sellers.subselect("partner_id"))
        )

    @api.model
    def _oms_api_create_customer(self, values):
        return self.create(dict(values, customer_rank=1))

    def _oms_api_segment(self):
        """The customer's lifecycle segment in the caller's company, or None: filled in when
        ``oms_customer_lifecycle`` is installed (bridge ``oms_customer_lifecycle_mobile_api``)."""
        self.ensure_one()

    def _oms_api_sales_summary(self):
        """Sales history of the customer (and its contacts), as the caller sees it:
        confirmed orders and open quotations, totals per currency."""
        self.ensure_one()
        domain = Domain("partner_id", "child_of", self.commercial_partner_id.id)
        orders = self.env["sale.order"]._read_group(
            domain & Domain("state", "in", self.env["sale.report"]._get_done_states()),
            ["currency_id"],
            [
                "__count",
                "amount_total:sum",
                "oms_amount_due:sum",
                "date_order:min",
                "date_order:max",
            ],
        )
        quotations = self.env["sale.order"].search_count(
            domain & Domain("state", "in", QUOTATION_STATES)
        )
        return {
            "order_count": sum(count for _currency, count, *_rest in orders),
            "quotation_count": quotations,
            "first_order_date": min((first for *_rest, first, _last in orders), default=None),
            "last_order_date": max((last for *_rest, last in orders), default=None),
            "totals": [
                {"currency": currency.name, "amount_total": total, "amount_due": due}
                for currency, _count, total, due, _first, _last in orders
            ],
        }
