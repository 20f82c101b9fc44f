import base64
import io
from datetime import date

import openpyxl

from odoo.tests import tagged

from .common import OmsReportsCommon


@tagged("post_install", "-at_install")
class TestLithuanian(OmsReportsCommon):
    """A user switched to Lithuanian gets the rankings, the XLSX workbook (sheet names,
    headers) and the scheduled-report e-mail in Lithuanian, from i18n/lt.po."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("lt_LT")
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env.ref("base.module_oms_reports")._update_translations(["lt_LT"], overwrite=True)
        cls.oms_user.lang = "lt_LT"
        cls.products = cls.env.ref("oms_reports.ranking_products")

    def _workbook(self, content):
        return openpyxl.load_workbook(io.BytesIO(content))

    def test_ranking_title(self):
        self.assertEqual(self.products.with_context(lang="lt_LT").name, "Geriausi produktai")
        self.assertEqual(self.products.with_context(lang="en_US").name, "Top products")

    def test_dashboard_workbook_in_lithuanian(self):
        dashboard = (
            self.env["oms.report.dashboard"]
            .with_user(self.oms_user)
            .with_context(lang="lt_LT")
            .create(
                {
                    "date_from": date(2026, 1, 6),
                    "date_to": date(2026, 1, 7),
                    "ranking_ids": [(6, 0, self.products.ids)],
                }
            )
        )
        content, __ = dashboard._render_xlsx()
        book = self._workbook(content)
        self.assertEqual(book.sheetnames, ["Filtrai", "Geriausi produktai", "Diagrama"])
        sheet = book["Geriausi produktai"]
        headers = [cell.value for cell in sheet[1]]
        self.assertEqual(headers[1:4], ["Produkto variantas", "Pajamos", "Parduota vienetų"])
        self.assertIn("Ankstesnis laikotarpis: Pajamos", headers)
        self.assertIn("Pokytis", headers)
        self.assertEqual(book["Filtrai"]["A1"].value, "Pardavimų skydelis")

    def test_scheduled_mail_in_each_recipients_language(self):
        english = self.oms_manager
        english.lang = "en_US"
        schedule = (
            self.env["oms.report.schedule"]
            .with_user(self.oms_manager)
            .create(
                {
                    "name": "Savaitės reitingai",
                    "user_ids": [(6, 0, (self.oms_user | english).ids)],
                    "ranking_ids": [(6, 0, self.products.ids)],
                    "period_days": 3,
                    "next_date": date(2026, 1, 8),
                }
            )
        )
        schedule._send(today=date(2026, 1, 8))
        mails = self.env["mail.mail"].search(
            [("model", "=", schedule._name), ("res_id", "=", schedule.id)]
        )
        by_partner = {mail.recipient_ids: mail for mail in mails}
        lithuanian = by_partner[self.oms_user.partner_id]
        self.assertEqual(lithuanian.subject, "Savaitės reitingai: pardavimų reitingai")
        self.assertIn("Sveiki,", lithuanian.body_html)
        self.assertIn("Geriausi produktai", lithuanian.body_html)
        [attachment] = lithuanian.attachment_ids
        book = self._workbook(base64.b64decode(attachment.datas))
        self.assertEqual(book.sheetnames, ["Filtrai", "Geriausi produktai", "Diagrama"])
        self.assertEqual(
            by_partner[english.partner_id].subject, "Savaitės reitingai: sales rankings"
        )
