from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The longest period a dashboard, a scheduled e-mail or a *Compare Periods* reads: two
# years (731 days: a leap year and the year next to it). Each period is also read for the
# previous period of the same length and for the same dates last year.
MAX_PERIOD_DAYS = 731
# The most groups a ranking returns in one call (dashboard sections, scheduled e-mails,
# *Compare Periods*); the Sales Dashboard screen shows at most DASHBOARD_MAX_ROWS.
MAX_ROWS = 500
DASHBOARD_MAX_ROWS = 50
# The most records one filter of the dashboard may name (warehouses, teams, ...).
MAX_FILTER_IDS = 200
# Dates a report may be asked about (the comparisons go back two periods and a year).
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(9998, 12, 31)


class OmsReportInput(models.AbstractModel):
    """Checks of what a call of the reports asks for (periods, numbers of rows, ids),
    shared by the dashboard, the comparisons and the scheduled e-mails: a bad input gets
    a message that says what to change, never a server error or an unbounded query. The
    bounds are the constants above; a module may change them by overriding
    ``_oms_max_period_days`` and ``_oms_max_rows``."""

    _name = "oms.report.input"
    _description = "OMS Reports: input checks"

    @api.model
    def _oms_max_period_days(self):
        return MAX_PERIOD_DAYS

    @api.model
    def _oms_max_rows(self):
        return MAX_ROWS

    @api.model
    def _oms_check_period(self, date_from, date_to):
        """(first day, last day) of a period given as dates or YYYY-MM-DD strings.
        ValidationError when a day is missing or not a date, when the period ends before
        it starts or when it is longer than ``_oms_max_period_days``."""
        _ = self.env._
        try:
            start, end = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        except (TypeError, ValueError) as error:
            raise ValidationError(_("Dates are written YYYY-MM-DD.")) from error
        if not (start and end):
            raise ValidationError(_("Choose the first and the last day of the period."))
        if start > end:
            raise ValidationError(_("The period must start before it ends."))
        if start < FIRST_DAY or end > LAST_DAY:
            raise ValidationError(
                _(
                    "Choose days between %(first)s and %(last)s.",
                    first=fields.Date.to_string(FIRST_DAY),
                    last=fields.Date.to_string(LAST_DAY),
                )
            )
        maximum = self._oms_max_period_days()
        if (end - start).days + 1 > maximum:
            raise ValidationError(
                _(
                    "A period covers at most %(max)s days (about two years): this one has "
                    "%(days)s. Choose a shorter period.",
                    max=maximum,
                    days=(end - start).days + 1,
                )
            )
        return start, end

    @api.model
    def _oms_check_limit(self, limit, label, default, maximum=None):
        """``limit`` as a number of rows from 1 to ``maximum`` (``_oms_max_rows`` when
        not given), ``default`` when it is empty. ``label`` names it in the message."""
        maximum = maximum or self._oms_max_rows()
        if limit is None or limit is False or limit == "":
            return default
        if isinstance(limit, bool) or not isinstance(limit, int | str):
            raise ValidationError(self.env._("%(what)s must be a number.", what=label))
        try:
            value = int(limit)
        except ValueError as error:
            raise ValidationError(self.env._("%(what)s must be a number.", what=label)) from error
        if not 1 <= value <= maximum:
            raise ValidationError(
                self.env._("%(what)s must be between 1 and %(max)s.", what=label, max=maximum)
            )
        return value

    @api.model
    def _oms_check_ids(self, values, label):
        """The ids of a filter: a list of at most MAX_FILTER_IDS numbers (anything else
        in the list is left out, as the web client sends only ids)."""
        if not values:
            return []
        if not isinstance(values, list | tuple):
            raise ValidationError(self.env._("%(what)s must be a list of ids.", what=label))
        if len(values) > MAX_FILTER_IDS:
            raise ValidationError(
                self.env._(
                    "Choose at most %(max)s values in %(what)s.", max=MAX_FILTER_IDS, what=label
                )
            )
        return [
            int(value)
            for value in values
            if not isinstance(value, bool) and str(value).isdigit() and 0 < int(value) < 2**31
        ]
