from odoo import api, models


class OmsBatchDispatch(models.AbstractModel):
    """Where the crons of the Order Management addons send their work, batch by batch.

    A cron of the suite (the automation, the reorder computation, the carrier polling, the
    customer lifecycle) picks its work, cuts it into batches and asks ``_oms_queued`` whether
    a job queue takes them. Without one (the default) the cron runs the batches itself, in
    committed steps, as it always did. A job queue bridge (``oms_queue_job``) overrides the
    two methods: ``_oms_queued`` answers True and ``_oms_enqueue`` queues each batch as a job
    in the channel given, so that many workers on many servers share the work.

    A batch method must be safe to run late, twice or concurrently: it re-reads what is
    still to do among its records (``filtered_domain``) and skips the rest."""

    _name = "oms.batch.dispatch"
    _description = "Order Management: dispatch of background work"

    @api.model
    def _oms_queued(self, channel):
        """Whether the batches of ``channel`` (e.g. ``oms.automation``) go to a job queue
        instead of being run by the cron itself."""
        return False

    @api.model
    def _oms_enqueue(self, batches, method, channel, args=(), description=None):
        """Queue ``getattr(batch, method)(*args)`` for each recordset of ``batches`` as a
        background job of ``channel``. Returns the number of batches queued (a batch queued
        already is not queued again). Only called when ``_oms_queued(channel)``."""
        raise NotImplementedError(self.env._("No job queue is installed."))

    @api.model
    def _oms_split(self, records, batch_size):
        """``records`` cut into recordsets of at most ``batch_size``, in order."""
        return [records[start : start + batch_size] for start in range(0, len(records), batch_size)]
