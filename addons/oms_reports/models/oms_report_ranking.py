from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.fields import Domain

LINES = "oms.report.line"  # order line grain
ORDERS = "oms.report.order"  # order grain

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
        # and group by its _order columns (4x slower); ties are sorted below.
        rows = Report._read_group(
            Domain(domain), [groupby], aggregates, order=f"{aggregates[0]} desc", limit=limit + 1
        )
        rows = [row for row in rows if row[0] not in (False, None)][:limit]
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
        return [(measure, Report._fields[measure].string) for measure in measures]

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
        return self.env[model]._fields[fname].string
