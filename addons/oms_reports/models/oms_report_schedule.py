import base64
import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.oms_extended.concurrency import RETRYABLE_ERRORS
from odoo.exceptions import AccessError, ValidationError

_logger = logging.getLogger(__name__)
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    last_error = fields.Text(
        readonly=True,
        copy=False,
        help="What went wrong at the last sending: the recipients who got nothing and "
        "why, or the error that stopped the sending.",
    )

    _period_positive = models.Constraint(
        "CHECK(period_days > 0 AND interval_number > 0 AND row_limit > 0)",
        "The period, the interval and the rows per ranking must be positive.",
    )

    @api.constrains("period_days", "row_limit")
    def _check_bounds(self):
        """The bounds of the dashboard's workbook (see ``oms.report.input``)."""
        Input = self.env["oms.report.input"]
        max_days = Input._oms_max_period_days()
        for schedule in self:
            if schedule.period_days > max_days:
                raise ValidationError(
                    self.env._("A scheduled report covers at most %(max)s days.", max=max_days)
                )
            Input._oms_check_limit(schedule.row_limit, self.env._("Rows per ranking"), 10)

    def _workbook(self, user, today):
        """(file name, content) of the XLSX workbook of the last period as ``user`` sees
        it: with their rights, in the schedule's company if they are allowed in it.
        AccessError when they cannot read the rankings there."""
        self.ensure_one()
        if not user.company_ids & self.company_id:
            raise AccessError(
                self.env._("not allowed in the company %(company)s", company=self.company_id.name)
            )
        env = self.env(
            user=user,
            su=False,
            context={"lang": user.lang, "tz": user.tz, "allowed_company_ids": self.company_id.ids},
        )
        date_to = today - relativedelta(days=1)
        dashboard = env["oms.report.dashboard"].create(
            {
                "date_from": date_to - relativedelta(days=self.period_days - 1),
                "date_to": date_to,
                "company_ids": [(6, 0, self.company_id.ids)],
                "ranking_ids": [(6, 0, self.ranking_ids.ids)],
                "row_limit": self.row_limit,
            }
        )
        content, __ = dashboard._render_xlsx()
        return f"{self.name} {dashboard.date_from} {dashboard.date_to}.xlsx", content

    def _send(self, today=None):
        """E-mail the rankings of the last period now, to each recipient the workbook
        rendered with their own rights; a recipient who cannot read the rankings gets
        nothing, and ``last_error`` says so."""
        template = self.env.ref("oms_reports.mail_template_oms_report_schedule")
        today = today or fields.Date.context_today(self)
        for schedule in self:
            problems = []
            for user in schedule.user_ids:
                try:
                    with self.env.cr.savepoint():
                        name, content = schedule._workbook(user, today)
                except AccessError as error:
                    _logger.warning(
                        "Scheduled report %r not sent to %s: %s", schedule.name, user.login, error
                    )
                    problems.append(
                        self.env._("Not sent to %(user)s: %(reason)s", user=user.name, reason=error)
                    )
                    continue
                attachment = self.env["ir.attachment"].create(
                    {
                        "name": name,
                        "datas": base64.b64encode(content),
                        "res_model": schedule._name,
                        "res_id": schedule.id,
                        "mimetype": XLSX_MIMETYPE,
                    }
                )
                # the subject and the body in the recipient's language, as the workbook
                template.with_context(lang=user.lang).send_mail(
                    schedule.id,
                    email_values={
                        "attachment_ids": [(4, attachment.id)],
                        "recipient_ids": [(6, 0, user.partner_id.ids)],
                    },
                )
            schedule.write(
                {
                    "last_sent": fields.Datetime.now(),
                    "last_error": "\n".join(problems) or False,
                    "next_date": max(schedule.next_date, today)
                    + relativedelta(**{schedule.interval_type: schedule.interval_number}),
                }
            )

    def action_send_now(self):
        self._send()
        return True

    @api.model
    def _cron_send_due(self):
        """Send the schedules that are due, one committed step per schedule. A schedule
        that fails is rolled back and keeps its error in ``last_error``; the others go
        on. Concurrency errors are not the schedule's fault: the cron stops, and sends
        it at its next run."""
        today = fields.Date.context_today(self)
        due = self.search([("next_date", "<=", today)])
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(due))
        for schedule in due:
            try:
                with self.env.cr.savepoint():
                    schedule._send(today)
            except RETRYABLE_ERRORS:
                raise
            except Exception as error:  # kept on the schedule; the others go on
                _logger.exception("Scheduled report %r failed", schedule.name)
                schedule.last_error = self.env._("Not sent: %(error)s", error=error)
            if not cron._commit_progress(1):
                break
