"""Customer acquisition: the cohorts report and the acquisition figures of the lifecycle."""

from datetime import date, datetime

from odoo.tests import tagged

from .test_customer_lifecycle import LifecycleCommon


@tagged("post_install", "-at_install")
class TestAcquisitionReport(LifecycleCommon):
    def test_cohorts_by_source(self):
        source = self.env["utm.source"].create({"name": "Newsletter"})
        medium = self.env["utm.medium"].create({"name": "E-mail"})
        kept = self._customer("Kept")
        gone = self._customer("Gone")
        lead = self.env["crm.lead"].create(
            {
                "name": "Kept's lead",
                "partner_id": kept.id,
                "source_id": source.id,
                "medium_id": medium.id,
                "type": "opportunity",
            }
        )
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s", [datetime(2023, 12, 31), lead.id]
        )
        self._sale(kept, 100.0, date(2024, 1, 10), opportunity_id=lead.id)
        self._sale(kept, 40.0, date(2024, 2, 1))
        self._sale(kept, 500.0, date(2024, 8, 1))
        self._sale(gone, 70.0, date(2024, 1, 20), source_id=source.id)
        self.env.flush_all()
        Report = self.env(user=self.oms_user)["oms.customer.acquisition.report"]
        rows = Report.search([("partner_id", "in", (kept | gone).ids)])
        self.assertEqual(rows.source_id, source)
        groups = Report._read_group(
            [("partner_id", "in", (kept | gone).ids)],
            ["first_order_date:month", "source_id"],
            ["customer_count:sum", "revenue_90d:sum", "retained_6m:avg", "retained_6m_count:sum"],
        )
        self.assertEqual(len(groups), 1)
        _month, group_source, count, revenue, share, retained = groups[0]
        self.assertEqual((group_source, count, retained), (source, 2, 1))
        self.assertAlmostEqual(revenue, 210.0)
        self.assertAlmostEqual(share, 50.0)
        # The lead's UTM and lead-to-order time are the customer's acquisition figures.
        self._compute()
        stat = self._stat(kept)
        self.assertEqual((stat.source_id, stat.medium_id, stat.lead_id), (source, medium, lead))
        self.assertEqual(stat.lead_days, 10)
