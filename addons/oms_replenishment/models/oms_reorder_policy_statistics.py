import logging
from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from .oms_reorder_policy import (
    SEASONALITY_CLAMP,
    SEASONALITY_MIN_DAYS,
    SMOOTHING_ALPHA,
    STATS_WORK_MEM,
    WORK_MEM_PARAM,
)

_logger = logging.getLogger(__name__)


class OmsReorderPolicy(models.Model):
    """The demand statistics of a warehouse: one SQL statement (see
    ``_oms_demand_statistics``)."""

    _inherit = "oms.reorder.policy"

    # ------------------------------------------------------------ days and memory

    @api.model
    def _oms_warehouse_tz(self, warehouse):
        """The time zone the days of ``warehouse`` are cut in: its address's, else its
        company's (as Odoo's reordering rules date their procurements), else UTC."""
        tz = warehouse.partner_id.tz or warehouse.company_id.partner_id.tz
        return tz if tz in pytz.all_timezones_set else "UTC"

    @api.model
    def _oms_warehouse_today(self, warehouse):
        """Today in the warehouse's time zone."""
        tz = self._oms_warehouse_tz(warehouse)
        return fields.Datetime.context_timestamp(
            self.with_context(tz=tz), fields.Datetime.now()
        ).date()

    @api.model
    def _oms_stats_work_mem(self):
        """``work_mem`` of the statistics query: STATS_WORK_MEM, or the megabytes of the
        system parameter ``oms_extended.reorder_work_mem_mb``, kept between 4 and 1024."""
        # sudo: reads one number of a server setting for the query; shows nothing
        value = self.env["ir.config_parameter"].sudo().get_param(WORK_MEM_PARAM)
        if not value:
            return STATS_WORK_MEM
        try:
            megabytes = int(value)
        except ValueError:
            _logger.warning("%s is not a number of megabytes: %r", WORK_MEM_PARAM, value)
            return STATS_WORK_MEM
        return f"{min(max(megabytes, 4), 1024)}MB"

    # ------------------------------------------------------------ computation

    @api.model
    def _oms_demand_statistics(self, warehouse, window_days, alpha=SMOOTHING_ALPHA, today=None):
        """Per product with customer demand in ``warehouse``: one SQL statement.

        The days of the window are rebuilt per product: the closing stock of a day is the
        stock on hand now minus the net done moves into the warehouse after that day. A day
        is a stock-out day when the product opened and closed it with nothing on hand and
        sold nothing: it is left out of the statistics (its zero demand is censored, not
        real). On the kept days: mean, sample standard deviation, weekday seasonality factors
        and a simple exponential smoothing of the deseasonalised demand.

        The days are cut in the warehouse's time zone (``_oms_warehouse_tz``); ``today``
        (default: today there) is left out, as it is not over.

        Returns {product_id: {...}}.
        """
        today = today or self._oms_warehouse_today(warehouse)
        query = self._oms_demand_statistics_query(warehouse, window_days, alpha, today)
        self.env["stock.move"].flush_model(
            ["product_id", "date", "state", "location_id", "location_dest_id", "product_qty"]
        )
        self.env["stock.quant"].flush_model(["product_id", "location_id", "quantity"])
        cr = self.env.cr
        # Transaction-local settings (SET LOCAL), restored right after the query so that
        # the rest of the transaction runs with the server's own (if the query fails, the
        # rollback of the transaction or savepoint restores them): a bounded work_mem for
        # its sorts and hashes, no JIT compilation (it buys nothing here).
        cr.execute(SQL("SELECT current_setting('work_mem'), current_setting('jit')"))
        work_mem, jit = cr.fetchone()
        cr.execute(SQL("SET LOCAL work_mem = %s", self._oms_stats_work_mem()))
        cr.execute(SQL("SET LOCAL jit = off"))
        cr.execute(query)
        rows = cr.dictfetchall()
        cr.execute(SQL("SET LOCAL work_mem = %s", work_mem))
        cr.execute(SQL("SET LOCAL jit = %s", jit))
        result = {}
        for row in rows:
            row["factors"] = [float(f) for f in row["factors"]]
            for key in ("total", "mean", "std", "level", "on_hand"):
                row[key] = float(row[key] or 0.0)
            result[row["product_id"]] = row
        return result

    @api.model
    def _oms_demand_statistics_query(self, warehouse, window_days, alpha, today):
        """The statistics query. It reads only the days that have moves (sparse): between
        two such days the stock level of a product does not change, so a gap of days
        without moves is a run of stock-out days exactly when the level after the earlier
        day is not positive. Only those runs are expanded to days (for the weekday counts).
        """
        start = fields.Date.subtract(today, days=window_days)
        tz = self._oms_warehouse_tz(warehouse)
        if tz == "UTC":
            day = SQL("m.date::date")
        else:
            day = SQL("(m.date AT TIME ZONE 'UTC' AT TIME ZONE %s)::date", tz)
        # the first moment of the window: midnight of its first day in the warehouse
        since = (
            pytz.timezone(tz)
            .localize(datetime.combine(start, time.min))
            .astimezone(pytz.UTC)
            .replace(tzinfo=None)
        )
        return SQL(
            """
            WITH flows AS (
                SELECT m.product_id, %(day)s AS day, m.product_qty::float8 AS qty,
                       COALESCE(src.warehouse_id = %(warehouse)s AND src.usage = 'internal',
                                FALSE) AS src_in,
                       COALESCE(dest.warehouse_id = %(warehouse)s AND dest.usage = 'internal',
                                FALSE) AS dest_in,
                       dest.usage = 'customer' AS to_customer
                  FROM stock_move m
                  JOIN stock_location src ON src.id = m.location_id
                  JOIN stock_location dest ON dest.id = m.location_dest_id
                 WHERE m.state = 'done'
                   AND m.date >= %(since)s
                   AND (src.warehouse_id = %(warehouse)s OR dest.warehouse_id = %(warehouse)s)
            ), events AS (
                -- one row per product and day with moves, and per product one more row
                -- on the eve of the window (the grouping set by product alone): the gap
                -- after it starts the window. One pass over the moves.
                SELECT product_id,
                       CASE WHEN GROUPING(day) = 0 THEN day ELSE %(start)s::date - 1 END
                           AS day,
                       CASE WHEN GROUPING(day) = 0
                            THEN SUM(CASE WHEN dest_in THEN qty ELSE -qty END)
                            ELSE 0.0::float8 END AS net,
                       CASE WHEN GROUPING(day) = 0
                            THEN SUM(CASE WHEN src_in AND to_customer THEN qty ELSE 0 END)
                            ELSE 0.0::float8 END AS demand
                  FROM flows
                 WHERE src_in <> dest_in
                 GROUP BY GROUPING SETS ((product_id, day), (product_id))
            ), on_hand AS (
                SELECT q.product_id, SUM(q.quantity)::float8 AS qty
                  FROM stock_quant q
                  JOIN stock_location loc ON loc.id = q.location_id
                 WHERE loc.warehouse_id = %(warehouse)s AND loc.usage = 'internal'
                 GROUP BY q.product_id
            ), levels AS (
                SELECT e.product_id, e.day, e.net, e.demand,
                       COALESCE(oh.qty, 0) - COALESCE(SUM(e.net) OVER (
                           w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS closing,
                       LEAST(COALESCE(LAG(e.day) OVER w, %(today)s::date),
                             %(today)s::date) AS next_day
                  FROM events e
                  LEFT JOIN on_hand oh ON oh.product_id = e.product_id
                WINDOW w AS (PARTITION BY e.product_id ORDER BY e.day DESC)
            ), segments AS (
                SELECT product_id, day, demand,
                       (day >= %(start)s AND closing - net <= 0 AND closing <= 0
                        AND demand = 0) AS day_out,
                       CASE WHEN closing <= 0 THEN next_day - day - 1 ELSE 0 END AS gap_out
                  FROM levels
                 WHERE day < %(today)s
            ), ranked AS (
                SELECT product_id, day, demand, day_out, gap_out,
                       EXTRACT(ISODOW FROM day)::int AS dow,
                       (%(today)s::date - day) - gap_out - COALESCE(SUM(day_out::int + gap_out)
                           OVER (PARTITION BY product_id ORDER BY day DESC
                                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS rank
                  FROM segments
            ), by_dow AS (
                -- one pass over the product-days: everything per product and weekday
                SELECT product_id, dow,
                       SUM(demand) AS demand,
                       SUM(demand * demand) AS sumsq,
                       SUM(CASE WHEN demand > 0
                                THEN POWER(1 - %(alpha)s::float8, rank - 1) * demand ELSE 0 END)
                           AS weighted,
                       SUM(day_out::int) AS day_outs,
                       SUM(gap_out) AS gap_outs
                  FROM ranked
                 GROUP BY product_id, dow
            ), gap_dow AS (
                -- the stock-out runs between two days with moves, day by day (weekdays)
                SELECT r.product_id, EXTRACT(ISODOW FROM g)::int AS dow, COUNT(*) AS outs
                  FROM ranked r
                 CROSS JOIN generate_series(r.day + 1, r.day + r.gap_out, interval '1 day') g
                 WHERE r.gap_out > 0
                 GROUP BY 1, 2
            ), stats AS (
                SELECT product_id,
                       %(window)s - SUM(day_outs + gap_outs) AS n,
                       SUM(day_outs + gap_outs) AS stockout_days,
                       SUM(demand) AS total,
                       SUM(sumsq) AS sumsq
                  FROM by_dow
                 GROUP BY product_id
            ), week AS (
                SELECT EXTRACT(ISODOW FROM d)::int AS dow, COUNT(*) AS days
                  FROM generate_series(%(start)s::date, %(today)s::date - 1, interval '1 day') d
                 GROUP BY 1
            ), factors AS (
                SELECT s.product_id, w.dow, COALESCE(b.weighted, 0) AS weighted,
                       CASE WHEN s.n >= %(min_days)s AND s.total > 0
                                 AND w.days - COALESCE(b.day_outs, 0) - COALESCE(g.outs, 0) > 0
                            THEN LEAST(GREATEST(
                                COALESCE(b.demand, 0)
                                / (w.days - COALESCE(b.day_outs, 0) - COALESCE(g.outs, 0))
                                / (s.total / s.n), %(lo)s), %(hi)s)
                            ELSE 1 END AS factor
                  FROM stats s
                 CROSS JOIN week w
                  LEFT JOIN by_dow b ON b.product_id = s.product_id AND b.dow = w.dow
                  LEFT JOIN gap_dow g ON g.product_id = s.product_id AND g.dow = w.dow
                 WHERE s.n > 0
            ), per_product AS (
                SELECT product_id,
                       ARRAY_AGG(factor ORDER BY dow) AS factors,
                       SUM(%(alpha)s::float8 * weighted / factor) AS weighted
                  FROM factors
                 GROUP BY product_id
            )
            SELECT s.product_id, s.n, s.stockout_days, s.total,
                   s.total / s.n AS mean,
                   CASE WHEN s.n > 1
                        THEN SQRT(GREATEST((s.sumsq - s.total * s.total / s.n) / (s.n - 1), 0))
                        ELSE 0 END AS std,
                   pp.weighted + POWER(1 - %(alpha)s::float8, s.n) * s.total / s.n AS level,
                   pp.factors,
                   COALESCE(oh.qty, 0) AS on_hand
              FROM stats s
              JOIN per_product pp ON pp.product_id = s.product_id
              JOIN product_product prod ON prod.id = s.product_id
              JOIN product_template pt ON pt.id = prod.product_tmpl_id
              LEFT JOIN on_hand oh ON oh.product_id = s.product_id
             WHERE s.n > 0 AND s.total > 0 AND pt.is_storable
            """,
            warehouse=warehouse.id,
            day=day,
            since=since,
            start=start,
            today=today,
            window=window_days,
            alpha=alpha,
            min_days=SEASONALITY_MIN_DAYS,
            lo=SEASONALITY_CLAMP[0],
            hi=SEASONALITY_CLAMP[1],
        )
