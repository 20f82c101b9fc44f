from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import OmsReportsCommon


@tagged("post_install", "-at_install")
class TestReportsUi(HttpCase, OmsReportsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the dashboard opens on the last 30 days: move the orders there
        recent = fields.Datetime.now() - timedelta(days=2)
        (cls.o1 | cls.o2 | cls.o3 | cls.o4).date_order = recent
        cls.refresh_facts()

    def test_ranking_views_in_the_browser(self):
        self.start_tour("/odoo", "oms_reports_ranking", login="oms_user")

    def test_best_sellers_in_the_browser(self):
        self.start_tour("/odoo", "oms_reports_best_sellers", login="oms_user")

    def test_dashboard_in_the_browser(self):
        self.start_tour("/odoo", "oms_reports_dashboard", login="oms_user")
