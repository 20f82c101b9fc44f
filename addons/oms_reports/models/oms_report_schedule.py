import base64
import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class OmsReportSchedule(models.Model):
    """Rankings e-mailed as an XLSX workbook to chosen users on a schedule."""

    _name = "oms.report.schedule"
    _description = "OMS Scheduled Report"
    _order = "next_date, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    ranking_ids = fields.Many2many(
        "oms.report.ranking",
        string="Rankings",
        required=True,
        default=lambda self: self.env["oms.report.ranking"].search([]),
    )
    user_ids = fields.Many2many("res.users", string="Recipients", required=True)
    period_days = fields.Integer(
        string="Period (days)",
        default=7,
        required=True,
        help="The e-mail covers the days before the sending day, compared with the "
        "period of the same length before them.",
    )
    row_limit = fields.Integer(string="Rows per Ranking", default=10, required=True)
    interval_number = fields.Integer(string="Every", default=1, required=True)
    interval_type = fields.Selection(
        [("days", "Days"), ("weeks", "Weeks"), ("months", "Months")],
        default="weeks",
        required=True,
    )
    next_date = fields.Date(string="Next Sending", required=True, default=fields.Date.context_today)
    last_sent = fields.Datetime(readonly=True, copy=False)

    _period_positive = models.Constraint(
        "CHECK(period_days > 0 AND interval_number > 0 AND row_limit > 0)",
        "The period, the interval and the rows per ranking must be positive.",
    )

    def _dashboard(self, today):
        self.ensure_one()
        date_to = today - relativedelta(days=1)
        env = self.env(context=dict(self.env.context, allowed_company_ids=self.company_id.ids))
        return env["oms.report.dashboard"].create(
            {
                "date_from": date_to - relativedelta(days=self.period_days - 1),
                "date_to": date_to,
                "company_ids": [(6, 0, self.company_id.ids)],
                "ranking_ids": [(6, 0, self.ranking_ids.ids)],
                "row_limit": self.row_limit,
            }
        )

    def _send(self, today=None):
        """Render the rankings of the last period and e-mail them now."""
        template = self.env.ref("oms_reports.mail_template_oms_report_schedule")
        today = today or fields.Date.context_today(self)
        for schedule in self:
            dashboard = schedule._dashboard(today)
            content, __ = dashboard._render_xlsx()
            attachment = self.env["ir.attachment"].create(
                {
                    "name": f"{schedule.name} {dashboard.date_from} {dashboard.date_to}.xlsx",
                    "datas": base64.b64encode(content),
                    "res_model": schedule._name,
                    "res_id": schedule.id,
                    "mimetype": (
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    ),
                }
            )
            template.send_mail(
                schedule.id,
                email_values={
                    "attachment_ids": [(4, attachment.id)],
                    "recipient_ids": [(6, 0, schedule.user_ids.partner_id.ids)],
                },
            )
            schedule.write(
                {
                    "last_sent": fields.Datetime.now(),
                    "next_date": max(schedule.next_date, today)
                    + relativedelta(**{schedule.interval_type: schedule.interval_number}),
                }
            )

    def action_send_now(self):
        self._send()
        return True

    @api.model
    def _cron_send_due(self):
        """Send the schedules that are due, one committed step per schedule."""
        today = fields.Date.context_today(self)
        due = self.search([("next_date", "<=", today)])
        self.env["ir.cron"]._commit_progress(remaining=len(due))
        for schedule in due:
            schedule._send(today)
            if not self.env["ir.cron"]._commit_progress(1):
                break
