import json
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

LINES = "oms.report.line"  # order line grain
ORDERS = "oms.report.order"  # order grain
RANKING_XLSX = "oms_reports.action_report_ranking_xlsx"
EXPORT_ROUTE = "/oms_reports/export"  # read-only download of the XLSX exports
# rankings whose groups belong to one period only (an order, a day): no comparison
UNCOMPARABLE = ("orders", "dates")

# key: (model, groupby, measures (the first one orders the ranking))
RANKINGS = {
    "products": (LINES, "product_id", ("net_amount", "net_qty", "net_margin")),
    "best_sellers": (LINES, "product_id", ("net_qty", "order_count")),
    "customers": (ORDERS, "partner_id", ("net_amount", "order_count")),
    "orders": (ORDERS, "order_id", ("net_amount", "net_margin", "qty")),
    "countries": (ORDERS, "country_id", ("net_amount", "order_count")),
    "brands": (LINES, "brand_id", ("net_amount", "net_qty", "net_margin")),
    "categories": (LINES, "categ_id", ("net_amount", "net_qty", "net_margin")),
    "teams": (ORDERS, "team_id", ("net_amount", "order_count")),
    "sources": (ORDERS, "source_id", ("net_amount", "order_count")),
    "mediums": (ORDERS, "medium_id", ("net_amount", "order_count")),
    "dates": (ORDERS, "date:day", ("net_amount", "order_count")),
    "weekdays": (ORDERS, "weekday", ("net_amount", "order_count")),
    "hours": (ORDERS, "hour", ("net_amount", "order_count")),
}


class OmsReportRanking(models.Model):
    """A ranking that the dashboard, the XLSX export and the scheduled e-mails can
    show. The records are data; what each ranking reads is in ``_spec``."""

    _name = "oms.report.ranking"
    _description = "OMS Ranking"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    key = fields.Char(required=True, readonly=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _key_uniq = models.Constraint("UNIQUE(key)", "A ranking key must be unique.")

    @api.model
    def _specs(self):
        """key -> (model, groupby, measures). Bridges add their rankings here."""
        return dict(RANKINGS)

    @api.model
    def _readable(self):
        """The active rankings whose report the current user may read."""
        return self.search([]).filtered(
            lambda ranking: (
                ranking.key in self._specs() and self.env[ranking._spec()[0]].has_access("read")
            )
        )

    def _spec(self):
        self.ensure_one()
        return self._specs()[self.key]

    # ------------------------------------------------------------------
    # Filters
    # ------------------------------------------------------------------
    @api.model
    def _period_domain(self, date_from, date_to):
        """Orders dated from ``date_from`` to ``date_to`` (inclusive days, in the
        user's time zone)."""
        tz = self.env.tz
        domain = Domain.TRUE
        if date_from:
            start = tz.localize(datetime.combine(date_from, time.min)).astimezone(pytz.UTC)
            domain &= Domain("date", ">=", start.replace(tzinfo=None))
        if date_to:
            end = tz.localize(datetime.combine(date_to + timedelta(days=1), time.min))
            domain &= Domain("date", "<", end.astimezone(pytz.UTC).replace(tzinfo=None))
        return domain

    @api.model
    def _filter_domain(self, companies=None, warehouses=None, teams=None, countries=None):
        domain = Domain.TRUE
        for fname, records in (
            ("company_id", companies),
            ("warehouse_id", warehouses),
            ("team_id", teams),
            ("country_id", countries),
        ):
            if records:
                domain &= Domain(fname, "in", records.ids)
        return domain

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    def _top(self, domain, limit=10, measures=None):
        """The top ``limit`` groups of this ranking for ``domain``: a list of dicts
        ``{'key', 'label', <measure>: value}``, best first (ties by key). ``measures``
        replaces the ranking's measures (the first one orders)."""
        model, groupby, default_measures = self._spec()
        measures = tuple(measures or default_measures)
        Report = self.env[model]
        if model == ORDERS and groupby == "order_id":
            return self._top_rows(Report, domain, measures, limit)
        aggregates = [f"{measure}:{self._aggregator(Report, measure)}" for measure in measures]
        # Ordered by the aggregate only: ordering by a many2one would join its table
        # and group by its _order columns (4x slower); ties are sorted below. No group
        # for the rows without a value, so that the LIMIT of the query is the top.
        rows = Report._read_group(
            Domain(domain) & Domain(groupby.split(":")[0], "!=", False),
            [groupby],
            aggregates,
            order=f"{aggregates[0]} desc",
            limit=limit,
        )
        rows.sort(key=lambda row: (-(row[1] or 0.0), self._sort_key(row[0])))
        result = []
        for group, *values in rows:
            item = {
                "key": self._group_key(group),
                "label": self._group_label(Report, groupby, group),
            }
            item.update(zip(measures, values, strict=True))
            result.append(item)
        return result

    @api.model
    def _top_rows(self, Report, domain, measures, limit):
        """Order grain has one row per order: no grouping, an indexed sort."""
        records = Report.search_fetch(
            Domain(domain), ["order_id", *measures], order=f"{measures[0]} desc, id", limit=limit
        )
        return [
            {
                "key": record.order_id.id,
                "label": record.order_id.display_name,
                **{measure: record[measure] for measure in measures},
            }
            for record in records
        ]

    @api.model
    def _sort_key(self, group):
        key = self._group_key(group)
        return (0, key) if isinstance(key, int) else (1, str(key))

    @api.model
    def _aggregator(self, Report, measure):
        return Report._fields[measure].aggregator or "sum"

    @api.model
    def _group_key(self, group):
        if isinstance(group, models.BaseModel):
            return group.id
        return group

    @api.model
    def _group_label(self, Report, groupby, group):
        if isinstance(group, models.BaseModel):
            return group.display_name or ""
        field = Report._fields[groupby.split(":")[0]]
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(group, group or "")
        if groupby.endswith(":day"):
            return fields.Date.to_string(group)
        return str(group)

    def _top_with_trend(self, domain, date_from, date_to, limit=10):
        """Top ``limit`` of the period, each with its value in the previous period of
        the same length and the change in percent of the first measure."""
        self.ensure_one()
        period = self._period_domain(date_from, date_to)
        rows = self._top(Domain(domain) & period, limit=limit)
        if not (date_from and date_to) or self.key == "dates" or not rows:
            for row in rows:
                row["previous"] = row["trend"] = None
            return rows
        length = (date_to - date_from).days + 1
        previous_domain = Domain(domain) & self._period_domain(
            date_from - timedelta(days=length), date_from - timedelta(days=1)
        )
        model, groupby, measures = self._spec()
        fname = groupby.split(":")[0]
        keys = [row["key"] for row in rows]
        Report = self.env[model]
        measure = measures[0]
        previous = {
            self._group_key(group): value
            for group, value in Report._read_group(
                previous_domain & Domain(fname, "in", keys),
                [groupby],
                [f"{measure}:{self._aggregator(Report, measure)}"],
            )
        }
        for row in rows:
            before = previous.get(row["key"]) or 0.0
            row["previous"] = before
            row["trend"] = (row[measure] - before) / abs(before) * 100.0 if before else None
        return rows

    def _measure_labels(self):
        model, __, measures = self._spec()
        Report = self.env[model]
        return [
            (measure, Report._fields[measure]._description_string(self.env)) for measure in measures
        ]

    def _integer_measures(self):
        model, __, measures = self._spec()
        fields_ = self.env[model]._fields
        return {
            measure
            for measure in measures
            if fields_[measure].type == "integer" or fields_[measure].aggregator == "count_distinct"
        }

    def _group_title(self):
        model, groupby, __ = self._spec()
        fname = groupby.split(":")[0]
        return self.env[model]._fields[fname]._description_string(self.env)

    # ------------------------------------------------------------------
    # Period comparisons
    # ------------------------------------------------------------------
    @api.model
    def _comparison_periods(self, date_from, date_to):
        """{'previous': (from, to), 'last_year': (from, to)}: the previous period of the
        same length and the same dates one year before."""
        length = (date_to - date_from).days + 1
        return {
            "previous": (date_from - timedelta(days=length), date_from - timedelta(days=1)),
            "last_year": (date_from - relativedelta(years=1), date_to - relativedelta(years=1)),
        }

    def _ranks(self, domain, keys):
        """{key: (value, rank)} of the groups ``keys`` in the whole ranking of
        ``domain`` (rank 1 is the best; ties ordered by key, as ``_top`` does)."""
        self.ensure_one()
        model, groupby, measures = self._spec()
        return self._group_ranks(self.env[model], domain, groupby, measures[0], keys)

    @api.model
    def _group_ranks(self, Report, domain, groupby, measure, keys):
        """{key: (value, rank)} of the groups ``keys`` of ``Report`` grouped by
        ``groupby`` and ranked by ``measure`` (best first, ties by key), in one SQL
        query: the groups are ranked by a window function over the grouping."""
        keys = [key for key in keys if key not in (False, None)]
        if not keys:
            return {}
        Report.browse().check_access("read")
        fname = groupby.split(":")[0]
        query = Report._search(Domain(domain) & Domain(fname, "!=", False))
        if query.is_empty():
            return {}
        group = Report._read_group_groupby(Report._table, groupby, query)
        value = Report._read_group_select(f"{measure}:{self._aggregator(Report, measure)}", query)
        query.groupby = group
        ranked = query.select(
            SQL("%s AS key", group),
            SQL("%s AS value", value),
            SQL("ROW_NUMBER() OVER (ORDER BY %s DESC NULLS LAST, %s) AS rank", value, group),
        )
        rows = self.env.execute_query(
            SQL("SELECT key, value, rank FROM (%s) ranked WHERE key = ANY(%s)", ranked, keys)
        )
        return {key: (value or 0.0, rank) for key, value, rank in rows}

    def _top_compared(self, domain, date_from, date_to, limit=10):
        """Top ``limit`` of the period (``_top``), each row with its rank and, for the
        previous period and the same period last year: ``<period>`` (value of the first
        measure), ``<period>_rank`` (False when it was not ranked),
        ``<period>_rank_change`` (places gained: 3 is "up 3", None when it was not
        ranked) and ``<period>_trend`` (change of the first measure in percent, None
        when it was 0)."""
        self.ensure_one()
        rows = self._top(Domain(domain) & self._period_domain(date_from, date_to), limit=limit)
        measure = self._spec()[2][0]
        periods = self._comparison_periods(date_from, date_to)
        comparable = self.key not in UNCOMPARABLE
        for rank, row in enumerate(rows, start=1):
            row["rank"] = rank
        for name, (start, end) in periods.items():
            ranks = {}
            if comparable:
                ranks = self._ranks(
                    Domain(domain) & self._period_domain(start, end),
                    [row["key"] for row in rows],
                )
            for row in rows:
                before, before_rank = ranks.get(row["key"], (0.0, False))
                row[name] = before
                row[f"{name}_rank"] = before_rank
                row[f"{name}_rank_change"] = before_rank - row["rank"] if before_rank else None
                row[f"{name}_trend"] = (
                    (row[measure] - before) / abs(before) * 100.0 if before else None
                )
        return rows

    # ------------------------------------------------------------------
    # Click-through
    # ------------------------------------------------------------------
    def _group_domain(self, key):
        """Domain of the report rows of the group ``key`` of this ranking."""
        self.ensure_one()
        __, groupby, __ = self._spec()
        if groupby.endswith(":day"):
            try:
                day = fields.Date.to_date(key)
            except (TypeError, ValueError) as error:
                raise UserError(self.env._("Dates are written YYYY-MM-DD.")) from error
            return self._period_domain(day, day)
        return Domain(groupby, "=", key)

    def _action_rows(self, domain, key=None, label=None):
        """The window action on the report rows of ``domain`` (and of the group
        ``key``): the orders of an order-grain ranking, the order lines of a
        line-grain one, as a list then a pivot."""
        self.ensure_one()
        model, __, __ = self._spec()
        domain = Domain(domain)
        if key is not None:
            domain &= self._group_domain(key)
        name = self.name if label is None else f"{self.name}: {label}"
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "views": [[False, "list"], [False, "pivot"]],
            "view_mode": "list,pivot",
            "domain": self._serialize_domain(domain),
            "context": {"create": False},
            "target": "current",
        }

    @api.model
    def _serialize_domain(self, domain):
        """The domain as a JSON-able list (datetimes as strings)."""
        result = []
        for item in list(Domain(domain)):
            if isinstance(item, (list, tuple)) and len(item) == 3:
                value = item[2]
                if isinstance(value, datetime):
                    value = fields.Datetime.to_string(value)
                elif isinstance(value, (tuple, set)):
                    value = list(value)
                result.append([item[0], item[1], value])
            else:
                result.append(item)
        return result

    # ------------------------------------------------------------------
    # Export of a ranking's screen
    # ------------------------------------------------------------------
    @api.model
    @api.readonly
    def action_export_list(self, model, domain=(), options=None):
        """Export XLSX of a ranking's list: what is on screen (``domain``; in
        ``options``: ``groupby`` (its first level is exported), ``order``, the
        ``columns`` shown and the ``title``) as a workbook with the formatting of the
        dashboard's, downloaded from a read-only route (``/oms_reports/export/list``),
        which a read replica may serve."""
        options = options or {}
        self._export_check_model(model)
        data = {
            "model": model,
            "domain": self._serialize_domain(domain or []),
            "groupby": list(options.get("groupby") or [])[:1],
            "order": options.get("order") or "",
            "columns": list(options.get("columns") or []),
            "title": options.get("title") or self.env["ir.model"]._get(model).name,
        }
        self.env[model]._oms_export_spec(data)  # bad input fails here, not in the download
        return self._export_url_action("list", data)

    @api.model
    def _export_check_model(self, model):
        """A list export reads one of the sales reports, with the user's access to it."""
        if model not in (LINES, ORDERS):
            raise UserError(self.env._("Only the sales report lists can be exported here."))
        self.env[model].browse().check_access("read")

    @api.model
    def _render_xlsx_list(self, data):
        """(content, file name) of the export of a ranking's list (``data``: see
        ``action_export_list``); the input is checked again."""
        self._export_check_model(data.get("model"))
        self.env[data["model"]]._oms_export_spec(data)
        content, __ = self.env["ir.actions.report"]._render_xlsx(RANKING_XLSX, None, data)
        title = data.get("title") or self.env._("Ranking")
        return content, f"{title}.xlsx"

    @api.model
    def _export_url_action(self, kind, data):
        """The action that downloads the XLSX export ``kind`` ("dashboard", "list") of
        ``data`` from the read-only route of the exports (controllers/main.py)."""
        query = urlencode({"data": json.dumps(data, separators=(",", ":"))})
        return {
            "type": "ir.actions.act_url",
            "url": f"{EXPORT_ROUTE}/{kind}?{query}",
            "target": "download",
        }
