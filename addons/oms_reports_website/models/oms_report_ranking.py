from odoo import api, models


class OmsReportRanking(models.Model):
    _inherit = "oms.report.ranking"

    @api.model
    def _specs(self):
        specs = super()._specs()
        specs["pages"] = ("oms.report.page", "product_id", ("view_count", "order_count"))
        specs["page_orders"] = (
            "oms.report.page",
            "product_id",
            ("order_count", "net_amount", "view_count"),
        )
        return specs
