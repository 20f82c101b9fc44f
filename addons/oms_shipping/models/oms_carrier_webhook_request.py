from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .delivery_carrier_webhook import WEBHOOK_MAX_SKEW


class OmsCarrierWebhookRequest(models.Model):
    """A signed webhook request already received, remembered while its timestamp is inside
    the accepted window, so that the same request sent again (a replay) is refused by every
    worker. Technical: no view, read-only for OMS managers."""

    _name = "oms.carrier.webhook.request"
    _description = "Carrier Webhook Request Received"
    _log_access = False
    _order = "sent_at desc, id desc"

    carrier_id = fields.Many2one(
        "delivery.carrier", required=True, readonly=True, ondelete="cascade"
    )
    signature = fields.Char(required=True, readonly=True, help="HMAC-SHA256, hexadecimal.")
    sent_at = fields.Datetime(
        required=True, readonly=True, index=True, help="The request's timestamp."
    )

    _signature_uniq = models.Constraint(
        "UNIQUE(carrier_id, signature)", "This signed request was already received."
    )

    @api.model
    def _oms_register(self, carrier, signature, sent_at):
        """True the first time this carrier's signed request is seen, False for a replay.
        The row belongs to the request's transaction: a concurrent twin waits on the unique
        index and is refused once this one commits (or is retried by Odoo's serialization
        handling); a request that fails leaves nothing behind."""
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (carrier_id, signature, sent_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (carrier_id, signature) DO NOTHING RETURNING id",
                SQL.identifier(self._table),
                carrier.id,
                signature,
                sent_at,
            )
        )
        return bool(self.env.cr.fetchone())

    @api.autovacuum
    def _gc_oms_expired_requests(self):
        """Forget the requests whose timestamp left the window: they are refused as stale."""
        limit = fields.Datetime.now() - timedelta(seconds=2 * WEBHOOK_MAX_SKEW)
        self.flush_model(["sent_at"])
        self.env.cr.execute(
            SQL("DELETE FROM %s WHERE sent_at < %s", SQL.identifier(self._table), limit)
        )
        self.invalidate_model()
