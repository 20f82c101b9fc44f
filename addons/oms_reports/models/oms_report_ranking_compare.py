from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from .oms_report_ranking import LINES, ORDERS

COMPARE_DEFAULT_ROWS = 50


class OmsReportRanking(models.Model):
    """*Compare Periods* on a ranking's screen (list or pivot)."""

    _inherit = "oms.report.ranking"

    @api.model
    @api.readonly
    def get_list_comparison(self, model, domain=(), options=None):
        """*Compare Periods* of a ranking's screen (list or pivot): the groups of the
        first grouping (``options['groupby']``) of ``domain``, ranked by a measure
        (``options['measure']``, else the first measure of ``options['order']``, else
        Revenue), for the period of order dates the domain filters (else the last 30
        days), each with the value, the trend and the change in rank against the
        previous period of the same length and the same dates last year. Returns
        ``{'group', 'measure', 'measure_label', 'kind', 'default_period', 'periods':
        {'current'|'previous'|'last_year': [from, to]}, 'rows': [{'rank', 'label',
        'value', 'previous': {'value', 'trend', 'rank_change', 'change'}, 'last_year':
        {...}}], 'total'}`` (``trend`` in percent or None, ``rank_change`` the places
        gained or None when new, ``change`` "up 3", "down 1", "=" or "new"), the top
        ``options['limit']`` (default 50, at most 500) rows; ``total`` is the number of
        groups. The period is at most two years (see ``oms.report.input``). It only
        reads: a read replica may serve it."""
        if model not in (LINES, ORDERS):
            raise UserError(self.env._("Only the sales reports can compare periods."))
        Report = self.env[model]
        Report.browse().check_access("read")
        if options is None:
            options = {}
        if not isinstance(options, dict):
            raise UserError(self.env._("The options of a comparison are a dictionary."))
        Input = self.env["oms.report.input"]
        limit = Input._oms_check_limit(
            options.get("limit"), self.env._("Rows to compare"), COMPARE_DEFAULT_ROWS
        )
        groupby = (list(options.get("groupby") or []) or [None])[0]
        gname = groupby.split(":")[0] if isinstance(groupby, str) else None
        if not gname:
            raise UserError(self.env._("Group the ranking (e.g. by product) to compare periods."))
        if gname not in Report._fields:
            raise UserError(
                self.env._("The report has no field %(field)s: reload the page.", field=gname)
            )
        if gname == "order_id" or Report._fields[gname].type in ("date", "datetime"):
            raise UserError(
                self.env._(
                    "An order or a day belongs to one period: group by something else "
                    "(e.g. customer or product) to compare periods."
                )
            )
        measure = self._comparison_measure(Report, options)
        domain = Domain(self._serialize_domain(domain or []))
        default_period = Report._oms_domain_period(domain) is None
        if default_period:
            date_from, date_to = self.env["oms.report.dashboard"]._period_dates("last_30")
            domain &= self._period_domain(date_from, date_to)
        start, end, __ = Report._oms_domain_period(domain)
        # the same bounds as the dashboard's periods, on the days the user sees
        try:
            first, last = self._local_day(start), self._local_day(end - timedelta(seconds=1))
        except (OverflowError, ValueError) as error:
            raise UserError(
                self.env._("Choose a period of order dates in years 1900-9998.")
            ) from error
        Input._oms_check_period(first, last)
        __, rows = Report._oms_export_groups(
            domain, groupby, gname, [measure], f"{measure} desc, {groupby} asc", limit=limit
        )
        length = end - start
        year = relativedelta(years=1)
        periods = {
            "current": (start, end),
            "previous": (start - length, start),
            "last_year": (start - year, end - year),
        }
        return {
            "group": Report._fields[gname]._description_string(self.env),
            "measure": measure,
            "measure_label": Report._fields[measure]._description_string(self.env),
            "kind": Report._oms_kind(measure),
            "default_period": default_period,
            "periods": {
                name: [self._local_day(begin), self._local_day(finish - timedelta(seconds=1))]
                for name, (begin, finish) in periods.items()
            },
            "rows": [self._comparison_row(row) for row in rows],
            "total": len(rows) if len(rows) < limit else Report._oms_group_count(domain, groupby),
        }

    @api.model
    def _comparison_measure(self, Report, options):
        """The measure a comparison ranks by: the one asked, else the first one the
        screen is sorted on, else Revenue."""
        candidates = [options.get("measure")]
        order = options.get("order") or ""
        if isinstance(order, str):
            candidates += [term.split()[0] for term in order.split(",") if term.strip()]
        for name in candidates:
            field = Report._fields.get(name) if isinstance(name, str) else None
            if field and field.store and field.type in ("integer", "float", "monetary"):
                return name
        return "net_amount"

    @api.model
    def _local_day(self, value):
        """The day (YYYY-MM-DD) of a UTC datetime in the user's time zone."""
        return fields.Date.to_string(fields.Datetime.context_timestamp(self, value).date())

    @api.model
    def _comparison_row(self, row):
        """A row of ``_oms_export_groups`` with comparisons (rank, label, value, then
        value, trend, change for the previous period and last year) as a dict."""
        rank, label, value, *compared = row
        result = {"rank": rank, "label": label, "value": value}
        for name, (before, trend, change) in zip(
            ("previous", "last_year"), (compared[0:3], compared[3:6]), strict=True
        ):
            gained = change if isinstance(change, int) else None
            if gained is None:
                text = self.env._("new")
            elif gained > 0:
                text = self.env._("up %(places)s", places=gained)
            elif gained < 0:
                text = self.env._("down %(places)s", places=-gained)
            else:
                text = "="
            result[name] = {
                "value": before,
                "trend": trend * 100.0 if trend is not None else None,
                "rank_change": gained,
                "change": text,
            }
        return result
