from datetime import timedelta

from odoo import api, fields, models

# A regular customer's orders, days ago: three months without an order now.
WINBACK_ORDER_DAYS = (300, 210, 100)


class OmsDemo(models.AbstractModel):
    """Customer figures, segment changes and a win-back opportunity."""

    _inherit = "oms.demo"

    @api.model
    def _oms_demo_build_lifecycle(self):
        """A regular customer who stopped ordering three months ago, with the lifecycle
        computed as the nightly run did a month ago (a valuable, active customer) and as it
        does today (at risk): the segment change opens a win-back opportunity, since the
        company asks for one above a lifetime value of 100."""
        company = self._oms_demo_company()
        company.oms_retention_clv_threshold = 100.0
        grinder, kettle, beans = self._oms_demo_products()
        customer = self.env["res.partner"].create(
            {
                "name": "Vilnius Coffee House",
                "is_company": True,
                "city": "Vilnius",
                "email": "buying@vilnius-coffee.example.com",
                "country_id": self.env.ref("base.lt").id,
            }
        )
        for days in WINBACK_ORDER_DAYS:
            order = self._oms_demo_order(
                customer, [(grinder, 2), (kettle, 4), (beans, 20)], "bank_transfer"
            )
            self._oms_demo_backdate(order, days)
        Stat = self.env["oms.customer.stat"]
        today = fields.Date.context_today(self)
        Stat._oms_compute_lifecycle(company, today=today - timedelta(days=30))
        Stat._oms_compute_lifecycle(company, today=today)
        return customer
