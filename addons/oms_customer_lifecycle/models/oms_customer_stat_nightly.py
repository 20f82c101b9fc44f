import logging
import random
import time

from odoo import api, fields, models
from odoo.addons.oms_extended.concurrency import RETRYABLE_ERRORS
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Customers rewritten per committed step of the nightly run.
NIGHTLY_BATCH = 1000
# Tries of a step that meets a concurrent transaction (e.g. an order confirmed meanwhile
# updated one of its customers) before the run gives up until its next start.
BATCH_TRIES = 3
# The channel of the nightly batches when a job queue runs them (oms.batch.dispatch).
LIFECYCLE_CHANNEL = "oms.lifecycle"


class OmsCustomerStat(models.Model):
    """The nightly run of the customer lifecycle: it re-ranks every customer in small
    committed steps that survive the orders confirmed meanwhile."""

    _inherit = "oms.customer.stat"

    @api.model
    def _cron_oms_customer_lifecycle(self, batch_size=NIGHTLY_BATCH):
        """Nightly: re-rank every company's customers.

        Per company, one statement ranks all the customers on their figures of the day
        (reading, not writing them) and stores the quintile thresholds; then the figures
        are rewritten in committed batches of customers (by id), each scored against those
        thresholds. A batch that meets a concurrent transaction (one of ``RETRYABLE_ERRORS``:
        serialization failure, lock not available, deadlock, a lock not granted) is rolled
        back and tried again in a new transaction; after BATCH_TRIES the error propagates
        and the next start of the cron goes on. A company whose computation fails otherwise
        is logged and the others go on. A run cut short (the cron's time is up) goes on where
        it stopped, on the thresholds of the day."""
        today = fields.Date.context_today(self)
        cron = self.env["ir.cron"]
        queued = self.env["oms.batch.dispatch"]._oms_queued(LIFECYCLE_CHANNEL)
        for company in self.env["res.company"].search([], order="id"):
            try:
                if queued:
                    self.with_company(company)._oms_enqueue_company(company, today, batch_size)
                elif not self.with_company(company)._oms_rank_company(company, today, batch_size):
                    return  # out of time: the cron starts again soon and goes on
            except RETRYABLE_ERRORS:
                raise
            except Exception:
                _logger.exception("Customer lifecycle of company %s failed", company.name)
        cron._commit_progress(remaining=0)

    @api.model
    def _oms_run_state(self, company):
        """(day, last customer id ranked, done) of the company's last run, or None."""
        self.env.cr.execute(
            SQL(
                "SELECT computed_date, ranked_partner_id, ranked_done "
                "FROM oms_customer_rfm_threshold WHERE company_id = %s",
                company.id,
            )
        )
        return self.env.cr.fetchone()

    @api.model
    def _oms_customers_to_rank(self, company, after_id=0):
        """Ids of the company's customers (with a confirmed order, or figures to delete)
        above ``after_id``, in order."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.company_id = %(company)s AND so.state IN %(sold)s
                   AND p.commercial_partner_id > %(after)s
                 UNION
                SELECT s.partner_id
                  FROM oms_customer_stat s
                 WHERE s.company_id = %(company)s AND s.partner_id > %(after)s
                 ORDER BY 1
                """,
                company=company.id,
                sold=self._oms_sold_states(),
                after=after_id,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _oms_rank_company(self, company, today, batch_size=NIGHTLY_BATCH):
        """The nightly run of one company (see ``_cron_oms_customer_lifecycle``). Returns
        False when the cron's time was up before the end."""
        cron = self.env["ir.cron"]
        state = self._oms_run_state(company)
        if state and state[0] == today and state[2]:
            return True  # ranked today already
        after_id = state[1] if state and state[0] == today else 0
        if not after_id:
            with self.env.cr.savepoint():
                self.env.flush_all()
                self.env.cr.execute(self._oms_threshold_query(company, today))
            self.env["oms.customer.rfm.threshold"].invalidate_model()
        partner_ids = self._oms_customers_to_rank(company, after_id)
        if not cron._commit_progress(remaining=len(partner_ids)):  # commits the thresholds
            return False
        for start in range(0, len(partner_ids), batch_size):
            batch = partner_ids[start : start + batch_size]
            self._oms_rank_batch(company, batch, today)
            if not cron._commit_progress(len(batch)):
                return False
        self.env.cr.execute(
            SQL(
                "UPDATE oms_customer_rfm_threshold SET ranked_done = TRUE WHERE company_id = %s",
                company.id,
            )
        )
        self.env["oms.customer.rfm.threshold"].invalidate_model()
        return bool(cron._commit_progress())

    @api.model
    def _oms_enqueue_company(self, company, today, batch_size=NIGHTLY_BATCH):
        """The nightly run of one company with a job queue: the thresholds are stored now
        (one statement), the customers are re-scored against them by one job per batch, and
        the company's run of the day is marked done once its batches are queued."""
        state = self._oms_run_state(company)
        if state and state[0] == today and state[2]:
            return  # ranked (or queued) today already
        with self.env.cr.savepoint():
            self.env.flush_all()
            self.env.cr.execute(self._oms_threshold_query(company, today))
        self.env["oms.customer.rfm.threshold"].invalidate_model()
        dispatch = self.env["oms.batch.dispatch"]
        partners = self.env["res.partner"].browse(self._oms_customers_to_rank(company))
        dispatch._oms_enqueue(
            dispatch._oms_split(partners, batch_size),
            "_oms_lifecycle_rank_batch",
            LIFECYCLE_CHANNEL,
            args=(company, fields.Date.to_string(today)),
            description=self.env._("Order Management: re-rank customers"),
        )
        self.env.cr.execute(
            SQL(
                "UPDATE oms_customer_rfm_threshold SET ranked_done = TRUE WHERE company_id = %s",
                company.id,
            )
        )
        self.env["oms.customer.rfm.threshold"].invalidate_model()

    @api.model
    def _oms_rank_batch(self, company, partner_ids, today):
        """Rewrite the figures of the customers ``partner_ids`` against the stored
        thresholds and note the place of the run, in one savepoint; on a concurrency error,
        roll back and try again (see ``_oms_restart_transaction``). Returns the segment
        changes."""
        for attempt in range(1, BATCH_TRIES + 1):
            try:
                with self.env.cr.savepoint():
                    changes = self._oms_compute_lifecycle(company, partner_ids, today=today)
                    self.env.cr.execute(
                        SQL(
                            "UPDATE oms_customer_rfm_threshold SET ranked_partner_id = %s "
                            "WHERE company_id = %s",
                            max(partner_ids),
                            company.id,
                        )
                    )
                return changes
            except RETRYABLE_ERRORS as error:
                if attempt == BATCH_TRIES:
                    raise
                _logger.info(
                    "Customer lifecycle of company %s: a batch of %d customers met a "
                    "concurrent update (%s), try %d of %d",
                    company.name,
                    len(partner_ids),
                    getattr(error, "pgcode", None) or type(error).__name__,
                    attempt + 1,
                    BATCH_TRIES,
                )
                self._oms_restart_transaction(attempt)
        return []  # not reached

    @api.model
    def _oms_restart_transaction(self, attempt):
        """Start a new transaction after a concurrency error of a batch. The batch was
        rolled back to its savepoint; the transaction holds nothing else (the cron commits
        each step), and rolling it back gives the next try a new snapshot of the database
        (with repeatable read, the failed transaction would meet the same rows again). A
        short random pause lets the other transaction finish."""
        self.env.cr.rollback()
        time.sleep(random.uniform(0.0, 0.5 * attempt))
