from odoo import api, models


class OmsDemo(models.AbstractModel):
    """A brand for the demo's products and a weekly scheduled report."""

    _inherit = "oms.demo"

    @api.model
    def _oms_demo_build_reports(self):
        """The demo's products get a brand (the Top Brands ranking); the rankings' facts
        are refreshed (their cron's work, done at once so that they show the demo's sales);
        the administrator gets a weekly e-mail of the main rankings, sent once already."""
        brand = self.env["product.brand"].create({"name": "Aušra Coffee Works"})
        self._oms_demo_products().product_tmpl_id.product_brand_id = brand
        self.env["oms.sale.fact"]._refresh()
        admin = self.env.ref("base.user_admin")
        schedule = self.env["oms.report.schedule"].create(
            {
                "name": "Weekly sales rankings",
                "ranking_ids": [
                    (
                        6,
                        0,
                        [
                            self.env.ref("oms_reports.ranking_products").id,
                            self.env.ref("oms_reports.ranking_customers").id,
                            self.env.ref("oms_reports.ranking_countries").id,
                        ],
                    )
                ],
                "user_ids": [(6, 0, admin.ids)],
                "period_days": 7,
                "interval_type": "weeks",
            }
        )
        schedule._send()
        return schedule
