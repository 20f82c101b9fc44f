from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools.misc import formatLang

XLSX_REPORT = "oms_reports.action_report_dashboard_xlsx"


class OmsReportDashboard(models.TransientModel):
    """One screen with the top of every ranking for a period and its filters, each
    compared with the previous period of the same length."""

    _name = "oms.report.dashboard"
    _description = "OMS Sales Dashboard"

    def _default_rankings(self):
        return self.env["oms.report.ranking"].search([])

    date_from = fields.Date(
        required=True, default=lambda self: fields.Date.context_today(self) - timedelta(days=29)
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    company_ids = fields.Many2many(
        "res.company", string="Companies", default=lambda self: self.env.companies
    )
    warehouse_ids = fields.Many2many("stock.warehouse", string="Warehouses")
    team_ids = fields.Many2many("crm.team", string="Sales Teams")
    country_ids = fields.Many2many("res.country", string="Countries")
    ranking_ids = fields.Many2many(
        "oms.report.ranking", string="Rankings", default=_default_rankings
    )
    row_limit = fields.Integer(string="Rows per Ranking", default=10, required=True)
    dashboard_html = fields.Html(compute="_compute_dashboard_html", sanitize=False)

    _row_limit_range = models.Constraint(
        "CHECK(row_limit > 0 AND row_limit <= 10000)",
        "Rows per ranking must be between 1 and 10000.",
    )

    @api.depends(
        "date_from",
        "date_to",
        "company_ids",
        "warehouse_ids",
        "team_ids",
        "country_ids",
        "ranking_ids",
        "row_limit",
    )
    def _compute_dashboard_html(self):
        for dashboard in self:
            dashboard.dashboard_html = self.env["ir.qweb"]._render(
                "oms_reports.dashboard_content",
                {
                    "dashboard": dashboard,
                    "sections": dashboard._sections(),
                    "number": lambda value, digits=2: formatLang(
                        self.env, value or 0.0, digits=digits
                    ),
                },
            )

    def _domain(self):
        self.ensure_one()
        return self.env["oms.report.ranking"]._filter_domain(
            warehouses=self.warehouse_ids, teams=self.team_ids, countries=self.country_ids
        )

    def _env_for_companies(self):
        """The rankings read the companies selected here (among the allowed ones)."""
        companies = (
            self.company_ids & self.env.user.company_ids if not self.env.su else (self.company_ids)
        )
        if not companies:
            return self.env
        return self.env(context=dict(self.env.context, allowed_company_ids=companies.ids))

    def _sections(self):
        """[{'ranking', 'title', 'group', 'measures': [(fname, label)], 'rows'}]"""
        self.ensure_one()
        env = self._env_for_companies()
        domain = Domain(self._domain())
        sections = []
        for ranking in self.ranking_ids.with_env(env):
            rows = ranking._top_with_trend(
                domain, self.date_from, self.date_to, limit=max(self.row_limit, 1)
            )
            sections.append(
                {
                    "ranking": ranking,
                    "title": ranking.name,
                    "group": ranking._group_title(),
                    "measures": ranking._measure_labels(),
                    "integers": ranking._integer_measures(),
                    "rows": rows,
                }
            )
        return sections

    def _previous_period(self):
        self.ensure_one()
        length = (self.date_to - self.date_from).days + 1
        return self.date_from - timedelta(days=length), self.date_from - timedelta(days=1)

    def _render_xlsx(self):
        """(content, 'xlsx') of the XLSX export of this dashboard."""
        return self.env["ir.actions.report"]._render_xlsx(XLSX_REPORT, self.ids, {})

    def action_export_xlsx(self):
        self.ensure_one()
        return self.env.ref(XLSX_REPORT).report_action(self)
