import math
from contextlib import nullcontext
from datetime import timedelta

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import api, fields, models, modules
from odoo.tools import SQL


class OmsApiRateLimit(models.Model):
    """Requests counted per API key and minute (a fixed window), for the rate limit; and
    sign-in attempts per client address (a minute) and per login (an hour)."""

    _name = "oms.api.rate.limit"
    _description = "Mobile API Rate Limit Counter"
    _log_access = False

    bucket = fields.Char(
        required=True,
        readonly=True,
        help="User and API key index; or the client address or a digest of the login of "
        "sign-in attempts.",
    )
    window_start = fields.Datetime(required=True, readonly=True)
    hits = fields.Integer(required=True, readonly=True)

    _bucket_unique = models.Constraint("UNIQUE(bucket)", "One counter per API key.")

    @api.model
    def _hit(self, bucket, window=60):
        """Count a request of ``bucket`` in the current window of ``window`` seconds (a
        minute by default; windows start at multiples of ``window`` since the epoch). A
        bucket is always counted with the same window.

        Returns ``(requests in this window, seconds until the next window)``. The count is
        committed at once in a short transaction of its own: every worker sees it, a
        request that fails still counts, and the request's transaction holds no lock on
        the counter (requests of the same key never wait for each other). Read committed,
        so that concurrent increments of one counter queue instead of failing."""
        if modules.module.current_test:
            # Tests run in one transaction, on one connection: count in it.
            counter_cursor = nullcontext(self.env.cr)
        else:
            counter_cursor = self.env.registry.cursor()
            counter_cursor.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
        with counter_cursor as cr:
            cr.execute(
                SQL(
                    """
                    INSERT INTO oms_api_rate_limit AS counter (bucket, window_start, hits)
                         VALUES (%s,
                                 to_timestamp(floor(extract(EPOCH FROM now()) / %s) * %s)
                                     AT TIME ZONE 'UTC',
                                 1)
                    ON CONFLICT (bucket) DO UPDATE
                            SET hits = CASE WHEN counter.window_start = EXCLUDED.window_start
                                            THEN counter.hits + 1 ELSE 1 END,
                                window_start = EXCLUDED.window_start
                      RETURNING hits,
                                EXTRACT(EPOCH FROM window_start + make_interval(secs => %s)
                                                   - (now() AT TIME ZONE 'UTC'))
                    """,
                    bucket,
                    window,
                    window,
                    window,
                )
            )
            hits, remaining = cr.fetchone()
        return hits, max(1, math.ceil(remaining))

    @api.autovacuum
    def _gc_idle_counters(self):
        limit = fields.Datetime.now() - timedelta(days=1)
        self.env.cr.execute(SQL("DELETE FROM oms_api_rate_limit WHERE window_start < %s", limit))
