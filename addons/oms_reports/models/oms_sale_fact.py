import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

PENDING_KEY = "oms_reports.sale_fact_pending"
REFRESHED_AT_PARAM = "oms_reports.sale_fact_refreshed_at"
QUEUE_CRON = "oms_reports.ir_cron_refresh_sale_facts_queue"
QUEUE_KINDS = ("order", "partner", "template")


class OmsSaleFact(models.Model):
    """One row per confirmed sale order line, in the company currency, refunds deducted.

    The rankings read from this table (line grain) and from ``oms.sale.order.fact``
    (order grain). The transactions that touch an order, a customer or a product
    append its id to a queue (``oms_sale_fact_queue``) and wake a cron up, which
    rewrites the rows of the queued orders set-based in SQL, seconds after the commit;
    an hourly cron catches what the queue cannot see. The row id is the sale order
    line id.
    """

    _name = "oms.sale.fact"
    _inherit = "oms.fact.mixin"
    _auto = False  # no foreign keys: the facts are rewritten set-based, in bulk
    _description = "Sales Fact (order line grain)"

    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", readonly=True)
    categ_id = fields.Many2one("product.category", readonly=True)
    brand_id = fields.Many2one("product.brand", readonly=True)
    qty = fields.Float(readonly=True)
    amount = fields.Float(readonly=True)
    amount_total = fields.Float(readonly=True)
    margin = fields.Float(readonly=True)
    refund_qty = fields.Float(readonly=True)
    refund_amount = fields.Float(readonly=True)
    net_qty = fields.Float(readonly=True)
    net_amount = fields.Float(readonly=True)
    net_margin = fields.Float(readonly=True)

    def init(self):
        # The queue of what the transactions touched: rows appended at commit, no key
        # but the sequence, taken by the cron (see _enqueue_pending).
        self.env.cr.execute(
            SQL(
                "CREATE TABLE IF NOT EXISTS oms_sale_fact_queue "
                "(id bigserial PRIMARY KEY, kind varchar NOT NULL, res_id int4 NOT NULL)"
            )
        )
        return super().init()

    # ------------------------------------------------------------------
    # SQL
    # ------------------------------------------------------------------
    def _done_states(self):
        return tuple(self.env["sale.report"]._get_done_states())

    def _line_select_sql(self, order_ids=None):
        """The fact rows of the given orders (all orders when None), computed from
        the order tables: the same conversions as ``sale.report`` (quantities in the
        product's unit, amounts divided by the order's currency rate), minus the
        posted customer refunds linked to each line."""
        order_filter = SQL("TRUE") if order_ids is None else SQL("s.id = ANY(%s)", order_ids)
        refund_filter = (
            SQL("TRUE") if order_ids is None else SQL("sl.order_id = ANY(%s)", order_ids)
        )
        return SQL(
            """
            WITH refunds AS (
                SELECT rel.order_line_id AS line_id,
                       SUM(aml.quantity * COALESCE(au.factor / NULLIF(tu.factor, 0), 1)) AS qty,
                       SUM(aml.balance) AS amount
                  FROM account_move_line aml
                  JOIN account_move m ON m.id = aml.move_id
                  JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id
                  JOIN sale_order_line sl ON sl.id = rel.order_line_id
                  JOIN product_product pp ON pp.id = sl.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
             LEFT JOIN uom_uom au ON au.id = aml.product_uom_id
             LEFT JOIN uom_uom tu ON tu.id = pt.uom_id
                 WHERE m.move_type = 'out_refund' AND m.state = 'posted' AND %(refund_filter)s
              GROUP BY rel.order_line_id
            )
            SELECT l.id, s.id AS order_id, s.company_id, c.currency_id, s.date_order AS date,
                   s.partner_id, partner.commercial_partner_id, partner.country_id,
                   s.user_id, s.team_id, s.warehouse_id, s.source_id, s.medium_id,
                   s.campaign_id, l.product_id, p.product_tmpl_id, t.categ_id,
                   t.product_brand_id AS brand_id,
                   q.qty, q.amount, q.amount_total, q.margin,
                   COALESCE(r.qty, 0) AS refund_qty,
                   COALESCE(r.amount, 0) AS refund_amount,
                   q.qty - COALESCE(r.qty, 0) AS net_qty,
                   q.amount - COALESCE(r.amount, 0) AS net_amount,
                   q.margin - COALESCE(r.amount, 0)
                       + CASE WHEN q.qty <> 0
                              THEN (q.amount - q.margin) / q.qty * COALESCE(r.qty, 0)
                              ELSE 0 END AS net_margin
              FROM sale_order_line l
              JOIN sale_order s ON s.id = l.order_id
              JOIN res_company c ON c.id = s.company_id
              JOIN res_partner partner ON partner.id = s.partner_id
              JOIN product_product p ON p.id = l.product_id
              JOIN product_template t ON t.id = p.product_tmpl_id
         LEFT JOIN uom_uom u ON u.id = l.product_uom_id
         LEFT JOIN uom_uom u2 ON u2.id = t.uom_id
         LEFT JOIN refunds r ON r.line_id = l.id
        CROSS JOIN LATERAL (
                SELECT l.product_uom_qty * COALESCE(u.factor / NULLIF(u2.factor, 0), 1) AS qty,
                       l.price_subtotal / rate.rate AS amount,
                       l.price_total / rate.rate AS amount_total,
                       COALESCE(l.margin, 0) / rate.rate AS margin
                  FROM (SELECT CASE COALESCE(s.currency_rate, 0) WHEN 0 THEN 1.0
                               ELSE s.currency_rate END AS rate) rate
            ) q
             WHERE l.display_type IS NULL
               AND NOT COALESCE(l.is_downpayment, FALSE)
               AND s.state IN %(states)s
               AND %(order_filter)s
            """,
            refund_filter=refund_filter,
            order_filter=order_filter,
            states=self._done_states(),
        )

    _LINE_COLUMNS = (
        "id, order_id, company_id, currency_id, date, partner_id, commercial_partner_id, "
        "country_id, user_id, team_id, warehouse_id, source_id, medium_id, campaign_id, "
        "product_id, product_tmpl_id, categ_id, brand_id, qty, amount, amount_total, margin, "
        "refund_qty, refund_amount, net_qty, net_amount, net_margin"
    )
    _ORDER_DIMENSIONS = (
        "order_id, company_id, currency_id, date, partner_id, commercial_partner_id, "
        "country_id, user_id, team_id, warehouse_id, source_id, medium_id, campaign_id"
    )

    def _refresh(self, order_ids=None):
        """Rewrite the fact rows (line and order grain) of the given orders, or of
        every order when ``order_ids`` is None. Set-based, a few statements."""
        self.env.flush_all()
        cr = self.env.cr
        if order_ids is None:
            cr.execute(SQL("DELETE FROM oms_sale_fact"))
            cr.execute(SQL("DELETE FROM oms_sale_order_fact"))
            where = SQL("TRUE")
        else:
            order_ids = sorted(set(order_ids))
            if not order_ids:
                return 0
            cr.execute(SQL("DELETE FROM oms_sale_fact WHERE order_id = ANY(%s)", order_ids))
            cr.execute(SQL("DELETE FROM oms_sale_order_fact WHERE order_id = ANY(%s)", order_ids))
            where = SQL("order_id = ANY(%s)", order_ids)
        columns = SQL(self._LINE_COLUMNS)
        cr.execute(
            SQL(
                "INSERT INTO oms_sale_fact (%s) SELECT %s FROM (%s) x",
                columns,
                columns,
                self._line_select_sql(order_ids),
            )
        )
        dims = SQL(self._ORDER_DIMENSIONS)
        cr.execute(
            SQL(
                """
                INSERT INTO oms_sale_order_fact (id, %(dims)s, line_count, qty, amount,
                       amount_total, margin, refund_amount, net_amount, net_margin)
                SELECT order_id, %(dims)s, COUNT(*), SUM(qty), SUM(amount),
                       SUM(amount_total), SUM(margin), SUM(refund_amount), SUM(net_amount),
                       SUM(net_margin)
                  FROM oms_sale_fact
                 WHERE %(where)s
              GROUP BY %(dims)s
                """,
                dims=dims,
                where=where,
            )
        )
        count = cr.rowcount
        if order_ids is None:
            cr.execute(SQL("ANALYZE oms_sale_fact, oms_sale_order_fact"))
        self.env.invalidate_all()  # the facts and the report models over them
        return count

    def _update_partners(self, partner_ids):
        """A customer's country or company changed: update its rows in place."""
        for table in ("oms_sale_fact", "oms_sale_order_fact"):
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE %(table)s f
                       SET country_id = p.country_id,
                           commercial_partner_id = p.commercial_partner_id
                      FROM res_partner p
                     WHERE p.id = f.partner_id AND f.partner_id = ANY(%(ids)s)
                       AND (f.country_id IS DISTINCT FROM p.country_id
                            OR f.commercial_partner_id IS DISTINCT FROM p.commercial_partner_id)
                    """,
                    table=SQL.identifier(table),
                    ids=sorted(partner_ids),
                )
            )

    def _update_templates(self, template_ids):
        """A product's category or brand changed: update its rows in place."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE oms_sale_fact f
                   SET categ_id = t.categ_id, brand_id = t.product_brand_id
                  FROM product_template t
                 WHERE t.id = f.product_tmpl_id AND f.product_tmpl_id = ANY(%s)
                   AND (f.categ_id IS DISTINCT FROM t.categ_id
                        OR f.brand_id IS DISTINCT FROM t.product_brand_id)
                """,
                sorted(template_ids),
            )
        )

    # ------------------------------------------------------------------
    # Incremental refresh: the transactions queue what they touched, the cron
    # rewrites it
    # ------------------------------------------------------------------
    @api.model
    def _mark_dirty(self, orders=(), partners=(), templates=()):
        """Remember orders (ids), customers and products whose report rows must be
        rewritten; they are queued once, just before the transaction commits, for the
        refresh cron."""
        data = self.env.cr.precommit.data
        pending = data.get(PENDING_KEY)
        if pending is None:
            pending = data[PENDING_KEY] = {kind: set() for kind in QUEUE_KINDS}
            # sudo: the hook appends ids to the queue and wakes its cron up (ir.cron is
            # not the user's): it reads or shows nothing; the facts are the cron's to write.
            self.env.cr.precommit.add(self.sudo()._enqueue_pending)
        for kind, ids in zip(QUEUE_KINDS, (orders, partners, templates), strict=True):
            pending[kind].update(id_ for id_ in ids if isinstance(id_, int))

    def _enqueue_pending(self):
        """Pre-commit hook, inside the user's transaction: append the touched ids to the
        queue (one INSERT of new rows in a table without unique key: two transactions
        never conflict there) and wake the refresh cron up right after the commit."""
        pending = self.env.cr.precommit.data.pop(PENDING_KEY, None)
        rows = [(kind, id_) for kind, ids in (pending or {}).items() for id_ in ids]
        if not rows:
            return
        kinds, ids = zip(*rows, strict=True)
        self.env.cr.execute(
            SQL(
                "INSERT INTO oms_sale_fact_queue (kind, res_id) "
                "SELECT * FROM unnest(%s::varchar[], %s::int4[])",
                list(kinds),
                list(ids),
            )
        )
        cron = self.env.ref(QUEUE_CRON, raise_if_not_found=False)
        if cron:
            cron._trigger()

    def _take_queue(self, limit):
        """Remove the ``limit`` oldest entries from the queue: ``{kind: ids}`` and how
        many entries were taken. The rows are deleted in the cron's transaction: they
        come back if the refresh of the batch fails."""
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM oms_sale_fact_queue
                 WHERE id IN (SELECT id FROM oms_sale_fact_queue ORDER BY id LIMIT %s)
             RETURNING kind, res_id
                """,
                limit,
            )
        )
        rows = self.env.cr.fetchall()
        taken = {kind: set() for kind in QUEUE_KINDS}
        for kind, res_id in rows:
            taken[kind].add(res_id)
        return taken, len(rows)

    @api.model
    def _process_queue(self, batch_size=2000):
        """Rewrite what the queue holds, set-based, one committed batch at a time.
        Returns the ids of the orders rewritten, or None when the cron ran out of
        time (the rest of the queue waits for the next run)."""
        self.env.cr.execute(SQL("SELECT count(*) FROM oms_sale_fact_queue"))
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=self.env.cr.fetchone()[0])
        refreshed = set()
        while True:
            taken, count = self._take_queue(batch_size)
            if not count:
                return refreshed
            self._refresh(taken["order"])
            if taken["partner"]:
                self._update_partners(taken["partner"])
            if taken["template"]:
                self._update_templates(taken["template"])
            self.env.invalidate_all()
            refreshed |= taken["order"]
            if not cron._commit_progress(count):
                return None

    # ------------------------------------------------------------------
    # Cron: catch what the hooks cannot see (SQL imports, old data)
    # ------------------------------------------------------------------
    def _stale_order_ids(self, since):
        """Orders changed since ``since``, refunds posted or cancelled since then,
        confirmed orders missing from the facts and facts of orders that are no
        longer confirmed."""
        states = self._done_states()
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM sale_order WHERE write_date >= %(since)s
                 UNION
                SELECT order_id FROM sale_order_line WHERE write_date >= %(since)s
                 UNION
                SELECT sl.order_id
                  FROM account_move m
                  JOIN account_move_line aml ON aml.move_id = m.id
                  JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id
                  JOIN sale_order_line sl ON sl.id = rel.order_line_id
                 WHERE m.move_type = 'out_refund' AND m.write_date >= %(since)s
                 UNION
                SELECT s.id FROM sale_order s
                 WHERE s.state IN %(states)s
                   AND NOT EXISTS (SELECT 1 FROM oms_sale_order_fact f WHERE f.id = s.id)
                   AND EXISTS (SELECT 1 FROM sale_order_line l
                                WHERE l.order_id = s.id AND l.display_type IS NULL
                                  AND l.product_id IS NOT NULL
                                  AND NOT COALESCE(l.is_downpayment, FALSE))
                 UNION
                SELECT f.id FROM oms_sale_order_fact f
             LEFT JOIN sale_order s ON s.id = f.id
                 WHERE s.id IS NULL OR s.state NOT IN %(states)s
                """,
                since=since,
                states=states,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _cron_refresh(self, batch_size=2000):
        """Bring the facts up to date: a full rebuild the first time; then the queue,
        and the orders changed since the last run that the queue did not hold, in
        committed batches."""
        cron = self.env["ir.cron"]
        # sudo: the cron's own bookmark (time of its last run), nothing a user chose
        params = self.env["ir.config_parameter"].sudo()
        started = fields.Datetime.now()
        since = params.get_param(REFRESHED_AT_PARAM)
        if not since:
            self.action_rebuild()
            cron._commit_progress(1, remaining=0)
            return
        refreshed = self._process_queue(batch_size)
        if refreshed is None:
            return  # out of time: the cron runs again soon
        order_ids = [id_ for id_ in self._stale_order_ids(since) if id_ not in refreshed]
        cron._commit_progress(remaining=len(order_ids))
        for start in range(0, len(order_ids), batch_size):
            batch = order_ids[start : start + batch_size]
            self._refresh(batch)
            cron._commit_progress(len(batch))
        params.set_param(REFRESHED_AT_PARAM, fields.Datetime.to_string(started))
        _logger.info("Sales facts refreshed for %d orders", len(refreshed) + len(order_ids))

    @api.model
    def action_rebuild(self):
        """Rebuild every fact row now (OMS managers after an import; the cron and the
        install hook as superuser). It rewrites the facts of every company in SQL."""
        if not self.env.su and not self.env.user.has_group("oms_extended.group_oms_manager"):
            raise AccessError(
                self.env._(
                    "Only Order Management managers can rebuild the sales facts: ask one "
                    "of them to do it."
                )
            )
        started = fields.Datetime.now()
        self._refresh()
        # sudo: the refresh cron's bookmark, after the manager check above
        self.env["ir.config_parameter"].sudo().set_param(
            REFRESHED_AT_PARAM, fields.Datetime.to_string(started)
        )
