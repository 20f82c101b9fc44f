import base64
import io
from datetime import date
from unittest.mock import patch

import openpyxl

from odoo.tests import tagged

from .common import OmsReportsCommon


@tagged("post_install", "-at_install")
class TestScheduledReports(OmsReportsCommon):
    def _schedule(self, **vals):
        return (
            self.env["oms.report.schedule"]
            .with_user(self.oms_manager)
            .create(
                {
                    "name": "Weekly rankings",
                    "user_ids": [(6, 0, self.oms_user.ids)],
                    "ranking_ids": [
                        (
                            6,
                            0,
                            (
                                self.env.ref("oms_reports.ranking_products")
                                | self.env.ref("oms_reports.ranking_customers")
                            ).ids,
                        )
                    ],
                    "period_days": 3,
                    "next_date": date(2026, 1, 8),
                    **vals,
                }
            )
        )

    def _mails(self, schedule):
        return self.env["mail.mail"].search(
            [("model", "=", schedule._name), ("res_id", "=", schedule.id)]
        )

    def test_send_rankings_to_users(self):
        schedule = self._schedule()
        schedule._send(today=date(2026, 1, 8))
        mail = self._mails(schedule)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.oms_user.partner_id)
        self.assertIn("Weekly rankings", mail.subject)
        self.assertEqual(schedule.next_date, date(2026, 1, 15))
        [attachment] = mail.attachment_ids
        self.assertTrue(attachment.name.endswith("2026-01-05 2026-01-07.xlsx"))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        self.assertEqual(book.sheetnames, ["Filters", "Top products", "Top customers", "Chart"])
        self.assertEqual(book["Top products"]["B2"].value, "Anvil")
        self.assertEqual(book["Top products"]["C2"].value, 200.0)

    def test_cron_sends_due_schedules_only(self):
        due = self._schedule()
        later = self._schedule(name="Later", next_date=date(2999, 1, 1))
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", return_value=60.0):
            self.env["oms.report.schedule"]._cron_send_due()
        self.assertEqual(len(self._mails(due)), 1)
        self.assertFalse(self._mails(later))
        self.assertTrue(due.last_sent)
