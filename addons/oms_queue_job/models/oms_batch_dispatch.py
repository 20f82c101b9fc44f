import hashlib
import logging
import random
import threading

from odoo import api, models, tools
from odoo.addons.oms_extended.concurrency import RETRYABLE_ERRORS
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.exceptions import UserError
from odoo.fields import Domain

_logger = logging.getLogger(__name__)

# Identity keys of the Order Management batches: PREFIX:model:method:hash of ids and args.
IDENTITY_PREFIX = "oms-batch"
# Jobs whose batch is still to run or running: their records are not queued again.
LIVE_STATES = ("wait_dependencies", "pending", "enqueued", "started")
# Tries of a batch that keeps meeting concurrent transactions (retry pattern: job function).
MAX_RETRIES = 12
# Seconds before a batch that met a concurrent transaction is tried again: between this and
# three times this, at random, so that two batches that met do not meet again at once.
RETRY_SECONDS = 10
# System parameter: "1" sends the work back to the crons (e.g. while no job runner runs).
DISABLED_PARAM = "oms_queue_job.disabled"


def _key_part(value):
    """A stable text for an identity key: recordsets by model and ids."""
    if isinstance(value, models.BaseModel):
        return f"{value._name}({','.join(map(str, value.ids))})"
    return repr(value)


class OmsBatchDispatch(models.AbstractModel):
    """With queue_job installed, the crons of the suite queue their batches as jobs: each
    batch one job in its channel (root.oms.<channel>), identified by its model, method,
    records and arguments so that it is never queued twice; the records of a batch still
    pending or running are left out of new batches."""

    _inherit = "oms.batch.dispatch"

    @api.model
    def _oms_queued(self, channel):
        if self._oms_testing() and not self.env.context.get("oms_queue_job"):
            # Odoo's test mode: the suite's tests of its crons test the crons (no job runner
            # runs in a test); this bridge's tests opt in with the context key.
            return super()._oms_queued(channel)
        # sudo: reads one technical switch of this bridge, set by administrators.
        disabled = self.env["ir.config_parameter"].sudo().get_param(DISABLED_PARAM)
        if disabled and disabled not in ("0", "False", "false"):
            return super()._oms_queued(channel)
        return True

    @api.model
    def _oms_testing(self):
        return bool(
            tools.config["test_enable"] or getattr(threading.current_thread(), "testing", False)
        )

    @api.model
    def _oms_identity_key(self, batch, method, args):
        digest = hashlib.sha1(
            "|".join([_key_part(batch), *map(_key_part, args)]).encode(), usedforsecurity=False
        ).hexdigest()
        return f"{self._oms_identity_prefix(batch._name, method)}{digest}"

    @api.model
    def _oms_identity_prefix(self, model, method):
        return f"{IDENTITY_PREFIX}:{model}:{method}:"

    @api.model
    def _oms_ids_in_live_jobs(self, model, method):
        """Ids of the ``model`` records in the batches of ``method`` not run yet or running."""
        jobs = (
            self.env["queue.job"]
            # sudo: the queue is read to leave out records queued already; nothing of it
            # is returned to the caller but ids of its own model.
            .sudo()
            .search(
                Domain("identity_key", "=like", self._oms_identity_prefix(model, method) + "%")
                & Domain("state", "in", LIVE_STATES)
            )
        )
        ids = set()
        for job in jobs:
            if job.args and isinstance(job.args[0], models.BaseModel):
                ids.update(job.args[0].ids)
        return ids

    @api.model
    def _oms_enqueue(self, batches, method, channel, args=(), description=None):
        batches = [batch for batch in batches if batch]
        if not batches:
            return 0
        busy = self._oms_ids_in_live_jobs(batches[0]._name, method)
        queued = 0
        for batch in batches:
            todo = batch.filtered(lambda record: record.id not in busy)
            if not todo:
                continue
            self.with_delay(
                channel=f"root.{channel}",
                identity_key=self._oms_identity_key(todo, method, args),
                description=description,
                max_retries=MAX_RETRIES,
            )._oms_job_run_batch(todo, method, *args)
            queued += 1
        _logger.info("%s: %d batches queued in root.%s", method, queued, channel)
        return queued

    @api.model
    def _oms_job_run_batch(self, batch, method, *args):
        """The job: ``getattr(batch, method)(*args)``. A concurrency error (another
        transaction holds or changed the batch's rows) postpones the job, to be retried."""
        if not method.startswith("_oms_"):
            raise UserError(self.env._("Not an Order Management batch method: %s", method))
        try:
            getattr(batch, method)(*args)
            self.env.flush_all()
        except RETRYABLE_ERRORS as error:
            raise RetryableJobError(
                self.env._("A concurrent transaction got there first: %s", error),
                seconds=random.randint(RETRY_SECONDS, 3 * RETRY_SECONDS),
            ) from error
