from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from .oms_report_input import DASHBOARD_MAX_ROWS
from .oms_report_ranking import UNCOMPARABLE

XLSX_REPORT = "oms_reports.action_report_dashboard_xlsx"
ORDERS = "oms.report.order"
PERIODS = ("last_7", "last_30", "this_month", "last_month", "this_year", "custom")
FILTER_KEYS = (
    "period",
    "date_from",
    "date_to",
    "row_limit",
    "company_ids",
    "warehouse_ids",
    "team_ids",
    "country_ids",
    "ranking_ids",
)
# headline figures: key -> aggregate on oms.report.order (None: computed)
KPIS = {
    "revenue": "net_amount:sum",
    "orders": "order_count:sum",
    "average": None,
    "customers": "partner_id:count_distinct",
    "margin": "net_margin:sum",
}


class OmsReportDashboard(models.TransientModel):
    """The Sales Dashboard: the top of every ranking for a period and its filters, each
    compared with the previous period of the same length and the same period last year.

    The screen is the OWL client action ``oms_reports.dashboard``, served by
    ``get_dashboard_data``; a record holds the filters of an XLSX export (the dashboard's
    Export button, the scheduled e-mails), which is built from the same ranking blocks."""

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

    _row_limit_range = models.Constraint(
        "CHECK(row_limit > 0 AND row_limit <= 10000)",
        "Rows per ranking must be between 1 and 10000.",
    )

    @api.constrains("date_from", "date_to", "row_limit")
    def _check_bounds(self):
        """The period and the rows of a dashboard (the XLSX export, the scheduled
        e-mails) have the bounds of the Sales Dashboard (see ``oms.report.input``)."""
        Input = self.env["oms.report.input"]
        for dashboard in self:
            Input._oms_check_period(dashboard.date_from, dashboard.date_to)
            Input._oms_check_limit(dashboard.row_limit, self.env._("Rows per ranking"), 10)

    def _domain(self):
        self.ensure_one()
        # _origin: the records themselves, also on an in-memory dashboard (new())
        return self.env["oms.report.ranking"]._filter_domain(
            warehouses=self.warehouse_ids._origin,
            teams=self.team_ids._origin,
            countries=self.country_ids._origin,
        )

    def _scope(self):
        """(env, domain) of the dashboard's figures: the environment of its companies and
        the domain of its filters."""
        env = self._env_for_companies()
        domain = Domain(self._domain())
        if self.company_ids:
            domain &= Domain("company_id", "in", env.companies.ids)
        return env, domain

    def _env_for_companies(self):
        """The rankings read the companies selected here (among the allowed ones)."""
        selected = self.company_ids._origin
        companies = selected & self.env.user.company_ids if not self.env.su else selected
        if not companies:
            return self.env
        return self.env(context=dict(self.env.context, allowed_company_ids=companies.ids))

    def _render_xlsx(self):
        """(content, 'xlsx') of the XLSX export of this dashboard."""
        return self.env["ir.actions.report"]._render_xlsx(XLSX_REPORT, self.ids, {})

    # ------------------------------------------------------------------
    # The Sales Dashboard client action (oms_reports.dashboard)
    # ------------------------------------------------------------------
    @api.model
    def _period_dates(self, period, date_from=None, date_to=None):
        """(from, to) of a period of the dashboard's period menu."""
        today = fields.Date.context_today(self)
        if period == "last_7":
            return today - timedelta(days=6), today
        if period == "last_30":
            return today - timedelta(days=29), today
        if period == "this_month":
            return today.replace(day=1), today
        if period == "last_month":
            end = today.replace(day=1) - timedelta(days=1)
            return end.replace(day=1), end
        if period == "this_year":
            return today.replace(month=1, day=1), today
        return self.env["oms.report.input"]._oms_check_period(date_from, date_to)

    @api.model
    def _dashboard_filters(self, filters=None):
        """The filters of the dashboard: ``filters`` (the user's choice) or else the
        ones the user chose last (the defaults when they no longer pass the checks), or
        else the defaults, checked and normalised. ValidationError on bad ``filters``."""
        if filters is None:
            saved = self.env.user.oms_dashboard_filters
            if saved:
                try:
                    return self._check_filters(saved)
                except ValidationError:
                    pass  # e.g. saved before the bounds: the defaults
            return self._check_filters({})
        if not isinstance(filters, dict):
            raise ValidationError(self.env._("The dashboard's filters are a dictionary."))
        return self._check_filters(filters)

    @api.model
    def _check_filters(self, filters):
        """``filters`` on top of the defaults, checked and normalised."""
        if not isinstance(filters, dict):
            raise ValidationError(self.env._("The dashboard's filters are a dictionary."))
        Input = self.env["oms.report.input"]
        values = {
            "period": "last_30",
            "row_limit": 10,
            "company_ids": [],
            "warehouse_ids": [],
            "team_ids": [],
            "country_ids": [],
            "ranking_ids": None,
        }
        values.update({key: value for key, value in filters.items() if key in FILTER_KEYS})
        period = values.get("period") or "custom"
        if not isinstance(period, str) or period not in PERIODS:
            raise ValidationError(self.env._("Unknown period %(period)s.", period=period))
        date_from, date_to = self._period_dates(
            period, values.get("date_from"), values.get("date_to")
        )
        row_limit = Input._oms_check_limit(
            values.get("row_limit"), self.env._("Rows per ranking"), 10, DASHBOARD_MAX_ROWS
        )
        labels = {
            "company_ids": self.env._("Companies"),
            "warehouse_ids": self.env._("Warehouses"),
            "team_ids": self.env._("Sales Teams"),
            "country_ids": self.env._("Countries"),
            "ranking_ids": self.env._("Rankings"),
        }

        def ids(model, key):
            wanted = Input._oms_check_ids(values.get(key), labels[key])
            return self.env[model].browse(wanted).exists().ids if wanted else []

        rankings = self.env["oms.report.ranking"]._readable()
        if values.get("ranking_ids") is not None:
            wanted = set(Input._oms_check_ids(values["ranking_ids"], labels["ranking_ids"]))
            rankings = rankings.filtered(lambda r: r.id in wanted)
        ranking_ids = rankings.ids
        allowed = self.env.user.company_ids.ids
        return {
            "period": period,
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
            "row_limit": row_limit,
            "company_ids": [i for i in ids("res.company", "company_ids") if i in allowed],
            "warehouse_ids": ids("stock.warehouse", "warehouse_ids"),
            "team_ids": ids("crm.team", "team_ids"),
            "country_ids": ids("res.country", "country_ids"),
            "ranking_ids": ranking_ids,
        }

    @api.model
    def _filter_vals(self, filters):
        """Field values of a dashboard of normalised ``filters``."""
        return {
            "date_from": filters["date_from"],
            "date_to": filters["date_to"],
            "row_limit": filters["row_limit"],
            "company_ids": [fields.Command.set(filters["company_ids"] or self.env.companies.ids)],
            "warehouse_ids": [fields.Command.set(filters["warehouse_ids"])],
            "team_ids": [fields.Command.set(filters["team_ids"])],
            "country_ids": [fields.Command.set(filters["country_ids"])],
            "ranking_ids": [fields.Command.set(filters["ranking_ids"])],
        }

    @api.model
    def _from_filters(self, filters):
        """An in-memory dashboard of normalised ``filters`` (see ``_dashboard_filters``)."""
        return self.new(self._filter_vals(filters))

    @api.model
    def save_dashboard_filters(self, filters):
        """Remember ``filters`` as the user's choice (the dashboard opens with them next
        time); returns them normalised. The dashboard calls it beside
        ``get_dashboard_data``, which only reads (it may be served by a replica)."""
        self.env[ORDERS].browse().check_access("read")
        if filters is None:
            raise ValidationError(self.env._("The dashboard's filters are a dictionary."))
        filters = self._dashboard_filters(filters)
        user = self.env["res.users"].browse(self.env.uid)
        if user.oms_dashboard_filters != filters:
            # one of the fields a user may write on their own user (SELF_WRITEABLE_FIELDS)
            user.write({"oms_dashboard_filters": filters})
        return filters

    @api.model
    @api.readonly
    def get_dashboard_data(self, filters=None):
        """Everything the Sales Dashboard shows, for ``filters`` (None: the ones the
        user chose last, see ``save_dashboard_filters``). See the module's USAGE.md for
        the keys. It only reads: with a read replica (``db_replica_host``), the web
        client's call is served by the replica."""
        # the figures are the sales report's: those who may not read it get the web
        # client's access error before anything is checked
        self.env[ORDERS].browse().check_access("read")
        filters = self._dashboard_filters(filters)
        dashboard = self._from_filters(filters)
        env, domain = dashboard._scope()
        Ranking = env["oms.report.ranking"]
        date_from, date_to = dashboard.date_from, dashboard.date_to
        periods = {
            "current": (date_from, date_to),
            **Ranking._comparison_periods(date_from, date_to),
        }
        kpis = dashboard._kpis(env, domain, periods)
        return {
            "filters": filters,
            "options": dashboard._options(env),
            "periods": {
                name: [fields.Date.to_string(start), fields.Date.to_string(end)]
                for name, (start, end) in periods.items()
            },
            "currency_id": env.company.currency_id.id,
            "kpis": kpis,
            "revenue_chart": dashboard._revenue_per_day(env, domain, periods),
            "rankings": dashboard._ranking_blocks(env, domain),
        }

    def _kpis(self, env, domain, periods):
        """Headline figures of each period, in one grouped query per period."""
        Report = env[ORDERS]
        Ranking = env["oms.report.ranking"]
        aggregates = [spec for spec in KPIS.values() if spec]
        figures = {}
        for name, (start, end) in periods.items():
            [values] = Report._read_group(
                domain & Ranking._period_domain(start, end), [], aggregates
            )
            row = dict(zip([key for key, spec in KPIS.items() if spec], values, strict=True))
            row = {key: value or 0.0 for key, value in row.items()}
            row["average"] = row["revenue"] / row["orders"] if row["orders"] else 0.0
            figures[name] = row
        labels = {
            "revenue": self.env._("Revenue"),
            "orders": self.env._("Orders"),
            "average": self.env._("Average Order"),
            "customers": self.env._("Customers"),
            "margin": self.env._("Margin"),
        }
        result = []
        for key in KPIS:
            value = figures["current"][key]
            item = {
                "key": key,
                "label": labels[key],
                "kind": "int" if key in ("orders", "customers") else "money",
                "value": value,
            }
            for name in ("previous", "last_year"):
                before = figures[name][key]
                item[name] = before
                item[f"{name}_trend"] = (value - before) / abs(before) * 100.0 if before else None
            result.append(item)
        return result

    def _revenue_per_day(self, env, domain, periods):
        """Revenue per day of the period and of the previous one, day by day (the
        n-th day of the period next to the n-th day of the previous one)."""
        Report = env[ORDERS]
        Ranking = env["oms.report.ranking"]
        series = {}
        for name in ("current", "previous"):
            start, end = periods[name]
            by_day = {
                day.date() if hasattr(day, "date") else day: amount or 0.0
                for day, amount in Report._read_group(
                    domain & Ranking._period_domain(start, end), ["date:day"], ["net_amount:sum"]
                )
            }
            days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
            series[name] = (days, [by_day.get(day, 0.0) for day in days])
        return {
            "labels": [fields.Date.to_string(day) for day in series["current"][0]],
            "previous_labels": [fields.Date.to_string(day) for day in series["previous"][0]],
            "current": series["current"][1],
            "previous": series["previous"][1],
        }

    def _ranking_blocks(self, env, domain):
        """The dashboard's rankings, each with its rows (``_top_compared``): what the
        screen shows and the XLSX export writes."""
        blocks = []
        for ranking in self.ranking_ids._origin.with_env(env):
            rows = ranking._top_compared(domain, self.date_from, self.date_to, limit=self.row_limit)
            for row in rows:
                if isinstance(row["key"], date):
                    row["key"] = fields.Date.to_string(row["key"])
            integers = ranking._integer_measures()
            blocks.append(
                {
                    "id": ranking.id,
                    "key": ranking.key,
                    "title": ranking.name,
                    "group": ranking._group_title(),
                    "measures": [
                        {
                            "name": name,
                            "label": label,
                            "kind": self._measure_kind(env[ranking._spec()[0]], name, integers),
                        }
                        for name, label in ranking._measure_labels()
                    ],
                    "comparable": ranking.key not in UNCOMPARABLE,
                    "rows": rows,
                }
            )
        return blocks

    @api.model
    def _measure_kind(self, Report, fname, integers):
        """How the dashboard shows a measure: 'int', 'money' or 'float'."""
        if fname in integers:
            return "int"
        return "money" if Report._fields[fname].type == "monetary" else "float"

    def _options(self, env):
        """What the filters can choose from: the rankings, and the warehouses, teams and
        countries that have sales the user may see."""
        Report = env[ORDERS]

        def present(fname):
            groups = Report._read_group([(fname, "!=", False)], [fname])
            records = self.env[Report._fields[fname].comodel_name].browse(
                [group.id for (group,) in groups]
            )
            return [{"id": record.id, "name": record.display_name} for record in records]

        return {
            "periods": [
                {"id": "last_7", "name": self.env._("Last 7 days")},
                {"id": "last_30", "name": self.env._("Last 30 days")},
                {"id": "this_month", "name": self.env._("This month")},
                {"id": "last_month", "name": self.env._("Last month")},
                {"id": "this_year", "name": self.env._("This year")},
                {"id": "custom", "name": self.env._("Custom")},
            ],
            "rankings": [
                {"id": ranking.id, "name": ranking.name}
                for ranking in self.env["oms.report.ranking"]._readable()
            ],
            "companies": [
                {"id": company.id, "name": company.name} for company in self.env.user.company_ids
            ],
            "warehouses": present("warehouse_id"),
            "teams": present("team_id"),
            "countries": present("country_id"),
        }

    @api.model
    @api.readonly
    def action_open_rows(self, filters, ranking_id, key=None, label=None):
        """Click on a bar or a row of the dashboard: the orders (or order lines) of
        the group ``key`` of the ranking, with the dashboard's filters and period."""
        self.env[ORDERS].browse().check_access("read")
        filters = self._dashboard_filters(filters)
        dashboard = self._from_filters(filters)
        env, domain = dashboard._scope()
        [ranking_id] = self.env["oms.report.input"]._oms_check_ids(
            [ranking_id], self.env._("Rankings")
        ) or [0]
        ranking = env["oms.report.ranking"].browse(ranking_id).exists()
        if not ranking:
            raise UserError(self.env._("This ranking no longer exists: reload the dashboard."))
        domain &= ranking._period_domain(dashboard.date_from, dashboard.date_to)
        return ranking._action_rows(domain, key=key, label=label)

    @api.model
    @api.readonly
    def action_export_filters(self, filters=None):
        """Export XLSX of the Sales Dashboard: the workbook of the filters on screen,
        downloaded from a read-only route (``/oms_reports/export/dashboard``), which a
        read replica may serve."""
        self.env[ORDERS].browse().check_access("read")
        filters = self._dashboard_filters(filters)
        return self.env["oms.report.ranking"]._export_url_action("dashboard", {"filters": filters})

    @api.model
    def _render_xlsx_filters(self, filters):
        """(content, file name) of the XLSX export of the dashboard of ``filters``, built
        in memory: nothing is written."""
        self.env[ORDERS].browse().check_access("read")
        filters = self._dashboard_filters(filters)
        content, __ = self.env["ir.actions.report"]._render_xlsx(
            XLSX_REPORT, None, {"filters": filters}
        )
        name = self.env._(
            "Sales Dashboard %(start)s %(end)s", start=filters["date_from"], end=filters["date_to"]
        )
        return content, f"{name}.xlsx"
