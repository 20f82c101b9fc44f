from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

EXPORT_LIMIT = 100000  # rows of an ungrouped list export
NUMERIC = ("integer", "float", "monetary")

WEEKDAYS = [
    ("1", "Monday"),
    ("2", "Tuesday"),
    ("3", "Wednesday"),
    ("4", "Thursday"),
    ("5", "Friday"),
    ("6", "Saturday"),
    ("7", "Sunday"),
]
HOURS = [(f"{hour:02d}", f"{hour:02d}:00") for hour in range(24)]


class OmsReportMixin(models.AbstractModel):
    """Read-only sales report over a sales fact table, read by the rankings.

    A report model is a projection of ``oms.sale.fact`` (``oms.report.line``) or
    ``oms.sale.order.fact`` (``oms.report.order``): no GROUP BY in the view, so
    PostgreSQL inlines it and the filters and the grouping of ``_read_group`` run
    directly on the fact table. A ranking is an action on one of the two models (its
    grouping, measures and order). Amounts are stored in each order's company
    currency and converted here to the current company's currency, as ``sale.report``
    does.
    """

    _name = "oms.report.mixin"
    _description = "OMS Sales Report (common fields)"
    _auto = False
    _rec_name = "date"
    _order = "net_amount desc"
    _oms_fact_table = None
    _oms_amount_fields = ()
    _oms_columns = {}

    date = fields.Datetime(string="Order Date", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    order_id = fields.Many2one("sale.order", string="Order", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    commercial_partner_id = fields.Many2one("res.partner", string="Customer Entity", readonly=True)
    country_id = fields.Many2one("res.country", string="Customer Country", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    source_id = fields.Many2one("utm.source", string="Source", readonly=True)
    medium_id = fields.Many2one("utm.medium", string="Medium", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", string="Campaign", readonly=True)
    weekday = fields.Selection(WEEKDAYS, string="Day of Week", readonly=True)
    hour = fields.Selection(HOURS, string="Hour of Day", readonly=True)
    qty = fields.Float(string="Qty Ordered", readonly=True)
    amount = fields.Monetary(string="Revenue (gross)", readonly=True)
    amount_total = fields.Monetary(string="Total incl. Taxes", readonly=True)
    margin = fields.Monetary(string="Margin (gross)", readonly=True)
    refund_amount = fields.Monetary(string="Refunded", readonly=True)
    net_amount = fields.Monetary(string="Revenue", readonly=True)
    net_margin = fields.Monetary(string="Margin", readonly=True)

    def _oms_select_columns(self, multicurrency):
        """SQL select list of the view: every stored field of the model."""
        columns = []
        for name, field in self._fields.items():
            if not field.store or name == "id" or name in ("weekday", "hour"):
                continue
            expr = self._oms_columns.get(name, f"f.{name}")
            if multicurrency and name == "currency_id":
                expr = str(self.env.company.currency_id.id)
            if multicurrency and (field.type == "monetary" or name in self._oms_amount_fields):
                expr = f"{expr} * account_currency_table.rate"
            columns.append(SQL(f"{expr} AS {name}"))
        return SQL(", ").join(columns)

    @property
    def _table_query(self):
        tz = self.env.tz.zone
        if tz == "UTC":
            local = SQL("f.date")
        else:
            local = SQL("(f.date AT TIME ZONE 'UTC' AT TIME ZONE %s)", tz)
        calendar = SQL("to_char(%s, 'ID') AS weekday, to_char(%s, 'HH24') AS hour", local, local)
        companies = self.env.companies
        currencies = self.env["res.currency"]
        table = SQL.identifier(self._oms_fact_table)
        if currencies._check_currency_table_monocurrency(companies):
            # like sale.report: only the rows of the selected companies
            return SQL(
                "SELECT f.id, %s, %s FROM %s f WHERE f.company_id = ANY(%s)",
                self._oms_select_columns(False),
                calendar,
                table,
                companies.ids,
            )
        currency_table = currencies._get_simple_currency_table(companies)
        return SQL(
            "SELECT f.id, %s, %s FROM %s f "
            "JOIN %s ON account_currency_table.company_id = f.company_id",
            self._oms_select_columns(True),
            calendar,
            table,
            currency_table,
        )

    # ------------------------------------------------------------------
    # Export of a list (what is on screen)
    # ------------------------------------------------------------------
    def _oms_export_spec(self, data):
        """Check an export request (see ``oms.report.ranking.action_export_list``):
        (columns, groupby spec or None, its field). Raises UserError on bad input."""
        columns = [name for name in data.get("columns") or [] if name != "currency_id"]
        unknown = [name for name in columns if name not in self._fields]
        groupby = (data.get("groupby") or [None])[0]
        gname = groupby.split(":")[0] if groupby else None
        if gname and gname not in self._fields:
            unknown.append(gname)
        if unknown:
            raise UserError(
                self.env._(
                    "The report has no field %(fields)s: reload the page and export again.",
                    fields=", ".join(unknown),
                )
            )
        if not columns:
            columns = [
                name
                for name, field in self._fields.items()
                if field.store and name not in ("id", "currency_id") and field.type in NUMERIC
            ]
        return columns, groupby, gname

    def _oms_export_table(self, data):
        """(headers, rows) of an export: ``headers`` is [(label, kind)] with kind in
        'int', 'money', 'date', 'text', 'pct', 'rank'; one row per group of the first
        grouping (rank, group, the numeric columns and, when the domain filters a period
        of order dates, the comparisons with the previous period and last year), or per
        record (the columns) when not grouped."""
        columns, groupby, gname = self._oms_export_spec(data)
        domain = data.get("domain") or []
        if groupby:
            return self._oms_export_groups(
                domain, groupby, gname, columns, data.get("order"), limit=EXPORT_LIMIT
            )
        return self._oms_export_records(domain, columns, data.get("order"))

    def _oms_kind(self, fname):
        field = self._fields[fname]
        if field.type == "integer" or field.aggregator == "count_distinct":
            return "int"
        if field.type in ("float", "monetary"):
            return "money"
        if field.type in ("date", "datetime"):
            return "date"
        return "text"

    def _oms_export_groups(self, domain, groupby, gname, columns, order, *, limit=None):
        """(headers, rows) of the first ``limit`` groups (in SQL: ``LIMIT``), ranked
        by ``order``, with their comparisons when ``domain`` filters a period."""
        Ranking = self.env["oms.report.ranking"]
        measures = [
            name
            for name in columns
            if name != gname and self._fields[name].type in NUMERIC and self._fields[name].store
        ]
        aggregates = {name: f"{name}:{Ranking._aggregator(self, name)}" for name in measures}
        terms = []
        rank_measure = None  # the comparisons rank by the measure sorted on, else the first
        for term in (order or "").split(","):
            parts = term.split()
            if not parts:
                continue
            direction = "desc" if parts[-1].lower() == "desc" else "asc"
            if parts[0] in aggregates:
                rank_measure = rank_measure or parts[0]
                terms.append(f"{aggregates[parts[0]]} {direction}")
            elif parts[0] in (gname, groupby):
                terms.append(f"{groupby} {direction}")
        if not terms and measures:
            terms = [f"{aggregates[measures[0]]} desc"]
        groups = self._read_group(
            domain,
            [groupby],
            list(aggregates.values()),
            order=", ".join(terms) or None,
            limit=limit,
        )
        headers = [
            ("#", "int"),
            (self._fields[gname]._description_string(self.env), "text"),
            *(
                (self._fields[name]._description_string(self.env), self._oms_kind(name))
                for name in measures
            ),
        ]
        rows = []
        for rank, (group, *values) in enumerate(groups, start=1):
            if group in (False, None) or (isinstance(group, models.BaseModel) and not group):
                label = self.env._("None")
            else:
                label = Ranking._group_label(self, groupby, group)
            rows.append([rank, label, *(value or 0.0 for value in values)])
        field = self._fields[gname]
        if measures and field.type not in ("date", "datetime") and gname != "order_id":
            # an order or a day belongs to one period: nothing to compare
            headers, rows = self._oms_export_comparisons(
                domain, groupby, rank_measure or measures[0], (groups, headers, rows)
            )
        return headers, rows

    def _oms_group_count(self, domain, groupby):
        """How many groups ``groupby`` makes of the rows of ``domain`` (the rows
        without a value make one group, as in ``_read_group``): one SQL count, with
        the user's access rules."""
        self.browse().check_access("read")
        query = self._search(Domain(domain))
        if query.is_empty():
            return 0
        group = self._read_group_groupby(self._table, groupby, query)
        self.env.cr.execute(
            query.select(
                SQL(
                    "COUNT(DISTINCT %s) + COALESCE(MAX(CASE WHEN %s IS NULL THEN 1 END), 0)",
                    group,
                    group,
                )
            )
        )
        return self.env.cr.fetchone()[0]

    def _oms_export_comparisons(self, domain, groupby, measure, table):
        """Add to the exported groups (``table``: groups, headers, rows) the value of
        ``measure`` in the previous period and the same period last year, its trend
        and the change in rank, when ``domain`` filters a period of order dates."""
        groups, headers, rows = table
        periods = self._oms_comparison_domains(domain)
        if not periods:
            return headers, rows
        Ranking = self.env["oms.report.ranking"]
        keys = [Ranking._group_key(group) for group, *__ in groups]
        current = Ranking._group_ranks(self, domain, groupby, measure, keys)
        label = self._fields[measure]._description_string(self.env)
        titles = {
            "previous": (
                self.env._("Previous: %(measure)s", measure=label),
                self.env._("Trend"),
                self.env._("Rank vs Previous"),
            ),
            "last_year": (
                self.env._("Last Year: %(measure)s", measure=label),
                self.env._("Trend vs Last Year"),
                self.env._("Rank vs Last Year"),
            ),
        }
        for name, period_domain in periods.items():
            before = Ranking._group_ranks(self, period_domain, groupby, measure, keys)
            value_title, trend_title, rank_title = titles[name]
            headers = [*headers, (value_title, "money"), (trend_title, "pct"), (rank_title, "rank")]
            for key, row in zip(keys, rows, strict=True):
                value, rank = current.get(key, (0.0, False))
                old_value, old_rank = before.get(key, (0.0, False))
                trend = (value - old_value) / abs(old_value) if old_value else None
                change = old_rank - rank if old_rank and rank else self.env._("new")
                row.extend([old_value, trend, change])
        return headers, rows

    def _oms_comparison_domains(self, domain):
        """{'previous': domain, 'last_year': domain} of a domain that filters a period
        of order dates (``date >= start`` and ``date <``/``<= end``, and-ed with other
        conditions, as the search bar's *Order Date* filter does): the same conditions
        over the previous period of the same length and the same dates a year before.
        None when the domain has no such period."""
        period = self._oms_domain_period(domain)
        if not period:
            return None
        start, end, rest = period
        length = end - start
        last_year = relativedelta(years=1)
        return {
            "previous": rest & Domain("date", ">=", start - length) & Domain("date", "<", start),
            "last_year": rest
            & Domain("date", ">=", start - last_year)
            & Domain("date", "<", end - last_year),
        }

    def _oms_domain_period(self, domain):
        """(start, end, rest) of a domain that filters a period of order dates: the
        UTC datetimes ``start`` (included) and ``end`` (excluded), and the domain of
        the other conditions; None when the domain has no such period (a period is
        the conditions on *Order Date* and-ed at the top of the domain)."""
        root = Domain(domain)
        children = root.children if getattr(root, "OPERATOR", None) == "&" else [root]
        start = end = None
        others = []
        for child in children:
            fname = getattr(child, "field_expr", None)
            operator, value = getattr(child, "operator", None), getattr(child, "value", None)
            if fname == "date" and operator in (">=", ">") and value:
                start = fields.Datetime.to_datetime(value)
            elif fname == "date" and operator in ("<", "<=") and value:
                end = fields.Datetime.to_datetime(value)
                if operator == "<=":
                    end += timedelta(seconds=1)
            else:
                others.append(child)
        if not (isinstance(start, datetime) and isinstance(end, datetime)) or end <= start:
            return None
        return start, end, Domain.AND(others) if others else Domain.TRUE

    def _oms_export_records(self, domain, columns, order):
        records = self.search_fetch(domain, columns, order=order or None, limit=EXPORT_LIMIT)
        headers = [
            (self._fields[name]._description_string(self.env), self._oms_kind(name))
            for name in columns
        ]
        rows = []
        for record in records:
            row = []
            for name in columns:
                field, value = self._fields[name], record[name]
                if field.type in ("many2one", "many2many", "one2many"):
                    value = ", ".join(value.mapped("display_name"))
                elif field.type == "selection":
                    value = dict(field._description_selection(self.env)).get(value, "")
                elif field.type == "datetime" and value:
                    value = fields.Datetime.context_timestamp(record, value).replace(tzinfo=None)
                row.append(value)
            rows.append(row)
        return headers, rows
