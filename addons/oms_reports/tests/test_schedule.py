import base64
import io
from datetime import date
from unittest.mock import patch

import openpyxl
from psycopg2.errors import SerializationFailure

from odoo.exceptions import LockError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import OmsReportsCommon

SCHEDULE_LOGGER = "odoo.addons.oms_reports.models.oms_report_schedule"


@tagged("post_install", "-at_install")
class TestScheduledReports(OmsReportsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the recipients read English (the database's default language may be another one)
        cls.env["res.lang"]._activate_lang("en_US")
        (cls.oms_user | cls.salesman).lang = "en_US"

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

    def _workbook(self, mail):
        [attachment] = mail.attachment_ids
        return openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))

    def _cron(self):
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", return_value=60.0):
            self.env["oms.report.schedule"]._cron_send_due()

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
        self._cron()
        self.assertEqual(len(self._mails(due)), 1)
        self.assertFalse(self._mails(later))
        self.assertTrue(due.last_sent)

    def test_each_recipient_gets_own_figures(self):
        """Rendered with each recipient's rights: the salesperson restricted to their own
        documents receives their own sales only."""
        schedule = self._schedule(user_ids=[(6, 0, (self.oms_user | self.salesman).ids)])
        schedule._send(today=date(2026, 1, 8))
        mails = self._mails(schedule)
        self.assertEqual(len(mails), 2)
        by_partner = {mail.recipient_ids: mail for mail in mails}
        products = self._workbook(by_partner[self.salesman.partner_id])["Top products"]
        rows = [[cell.value for cell in row][1:3] for row in products.iter_rows(min_row=2)]
        self.assertEqual(rows, [["Anvil", 100.0]])
        products = self._workbook(by_partner[self.oms_user.partner_id])["Top products"]
        self.assertEqual([products["B2"].value, products["C2"].value], ["Anvil", 200.0])
        self.assertFalse(schedule.last_error)

    def test_recipient_without_rights_gets_nothing(self):
        """An employee who cannot read the rankings, and a salesperson outside the
        schedule's company, get no e-mail; the schedule says why; the others get theirs."""
        company_2 = self.env["res.company"].create({"name": "OMS Schedule Co"})
        (self.oms_user | self.oms_manager).company_ids |= company_2
        recipients = self.oms_user | self.employee | self.salesman
        schedule = self._schedule(user_ids=[(6, 0, recipients.ids)], company_id=company_2.id)
        with mute_logger(SCHEDULE_LOGGER):
            schedule._send(today=date(2026, 1, 8))
        self.assertEqual(self._mails(schedule).recipient_ids, self.oms_user.partner_id)
        self.assertIn(self.employee.name, schedule.last_error)
        self.assertIn(self.salesman.name, schedule.last_error)
        self.assertNotIn(self.oms_user.name, schedule.last_error)
        self.assertEqual(schedule.next_date, date(2026, 1, 15))

    def test_cron_goes_on_after_a_failing_schedule(self):
        failing = self._schedule(name="Failing")
        other = self._schedule(name="Other")
        send = type(failing)._send

        def _send(records, today=None):
            if records == failing:
                records.env["ir.attachment"].create({"name": "half-written"})
                raise ValueError("The workbook could not be written")
            return send(records, today)

        with patch.object(type(failing), "_send", _send), mute_logger(SCHEDULE_LOGGER):
            self._cron()
        self.assertEqual(len(self._mails(other)), 1)
        self.assertFalse(self._mails(failing))
        self.assertIn("The workbook could not be written", failing.last_error)
        self.assertEqual(failing.next_date, date(2026, 1, 8))
        self.assertFalse(self.env["ir.attachment"].search([("name", "=", "half-written")]))
        self.assertFalse(other.last_error)

    def test_cron_lets_concurrency_errors_through(self):
        """A serialization failure, or a lock not granted, is not the schedule's fault:
        the cron stops and takes the schedule again later (oms_extended's one
        RETRYABLE_ERRORS, issue 20)."""
        self._schedule()
        for error in (
            SerializationFailure("could not serialize access"),
            LockError("Cannot grab a lock on records"),
        ):
            with self.subTest(error=type(error).__name__):

                def _send(records, today=None, error=error):
                    raise error

                with (
                    patch.object(type(self.env["oms.report.schedule"]), "_send", _send),
                    self.assertRaises(type(error)),
                ):
                    self._cron()
