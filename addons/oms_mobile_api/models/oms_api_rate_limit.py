import math
from contextlib import nullcontext
from datetime import timedelta

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import api, fields, models, modules
from odoo.tools import SQL


class OmsApiRateLimit(models.Model):
    """Requests counted per API key and minute (a fixed window), for the rate limit."""

    _name = "oms.api.rate.limit"
    _description = "Mobile API Rate Limit Counter"
    _log_access = False

    bucket = fields.Char(required=True, readonly=True, help="User and API key index.")
    window_start = fields.Datetime(required=True, readonly=True)
    hits = fields.Integer(required=True, readonly=True)

    _bucket_unique = models.Constraint("UNIQUE(bucket)", "One counter per API key.")

    @api.model
    def _hit(self, bucket):
        """Count a request of ``bucket`` in the current minute.

        Returns ``(requests in this minute, seconds until the next minute)``. The count is
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
                         VALUES (%s, date_trunc('minute', now() AT TIME ZONE 'UTC'), 1)
                    ON CONFLICT (bucket) DO UPDATE
                            SET hits = CASE WHEN counter.window_start = EXCLUDED.window_start
                                            THEN counter.hits + 1 ELSE 1 END,
                                window_start = EXCLUDED.window_start
                      RETURNING hits,
                                EXTRACT(EPOCH FROM window_start + interval '1 minute'
                                                   - (now() AT TIME ZONE 'UTC'))
                    """,
                    bucket,
                )
            )
            hits, remaining = cr.fetchone()
        return hits, max(1, math.ceil(remaining))

    @api.autovacuum
    def _gc_idle_counters(self):
        limit = fields.Datetime.now() - timedelta(days=1)
        self.env.cr.execute(SQL("DELETE FROM oms_api_rate_limit WHERE window_start < %s", limit))
