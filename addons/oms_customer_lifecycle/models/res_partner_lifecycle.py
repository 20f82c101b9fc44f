from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Domain

from .oms_customer_stat import SEGMENTS


class ResPartner(models.Model):
    """The customer lifecycle on the customer: its figures per company (``oms.customer.stat``)
    and, for the current company, its segment; the Customer 360 tab."""

    _inherit = "res.partner"

    oms_customer_stat_ids = fields.One2many(
        "oms.customer.stat", "partner_id", string="Lifecycle Figures", readonly=True
    )
    oms_segment_history_ids = fields.One2many(
        "oms.customer.segment.history", "partner_id", string="Segment History", readonly=True
    )
    oms_segment = fields.Selection(
        SEGMENTS,
        string="Customer Segment",
        compute="_compute_oms_lifecycle",
        search="_search_oms_segment",
        help="Segment of the customer (its company) in the current company, from the nightly "
        "lifecycle computation and each confirmed or cancelled order.",
    )
    oms_clv = fields.Float(
        string="Lifetime Value",
        compute="_compute_oms_lifecycle",
        help="Estimated lifetime value in the current company's currency.",
    )
    oms_retention_opt_out = fields.Boolean(
        string="No Retention Campaigns",
        help="Never open a retention opportunity for this customer.",
    )
    oms_open_order_ids = fields.Many2many(
        "sale.order", string="Open Orders", compute="_compute_oms_customer_360"
    )
    oms_open_opportunity_ids = fields.Many2many(
        "crm.lead", string="Open Opportunities", compute="_compute_oms_customer_360"
    )
    oms_last_picking_ids = fields.Many2many(
        "stock.picking", string="Last Shipments", compute="_compute_oms_customer_360"
    )
    oms_timeline_html = fields.Html(
        string="Timeline", compute="_compute_oms_timeline_html", sanitize=False
    )
    oms_amount_due = fields.Monetary(
        string="Due on Open Orders",
        compute="_compute_oms_customer_360",
        currency_field="oms_company_currency_id",
    )
    oms_company_currency_id = fields.Many2one("res.currency", compute="_compute_oms_customer_360")

    def _oms_lifecycle_stat(self):
        """The figures of the customer (its commercial partner) in the current company."""
        self.ensure_one()
        return self.commercial_partner_id.oms_customer_stat_ids.filtered(
            lambda s: s.company_id == self.env.company
        )[:1]

    @api.depends_context("company", "uid")
    @api.depends("commercial_partner_id.oms_customer_stat_ids.segment")
    def _compute_oms_lifecycle(self):
        if not self.env["oms.customer.stat"].has_access("read"):
            # Staff without sales rights (stock, billing) see no lifecycle figures.
            self.oms_segment = False
            self.oms_clv = 0.0
            return
        for partner in self:
            stat = partner._oms_lifecycle_stat() if partner.id else False
            partner.oms_segment = stat.segment if stat else False
            partner.oms_clv = stat.clv if stat else 0.0

    def _search_oms_segment(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        stats = Domain("company_id", "=", self.env.company.id) & Domain("segment", "in", value)
        domain = Domain("commercial_partner_id.oms_customer_stat_ids", "any", stats)
        return domain if operator == "in" else ~domain

    @api.depends_context("company", "uid")
    def _compute_oms_customer_360(self):
        """Cheap look-ups for the form (one customer), read with the user's rights."""
        for partner in self:
            commercial = partner.commercial_partner_id
            if not partner.id or not commercial.id:
                partner.oms_open_order_ids = False
                partner.oms_open_opportunity_ids = False
                partner.oms_last_picking_ids = False
                partner.oms_amount_due = 0.0
                partner.oms_company_currency_id = self.env.company.currency_id
                continue
            orders = self.env["sale.order"].search(
                [
                    ("partner_id", "child_of", commercial.id),
                    ("company_id", "=", self.env.company.id),
                    ("state", "=", "sale"),
                    ("oms_state", "not in", ("done", "cancelled")),
                ],
                order="date_order desc",
                limit=50,
            )
            partner.oms_open_order_ids = orders
            partner.oms_amount_due = sum(
                order.currency_id._convert(
                    order.oms_amount_due, self.env.company.currency_id, order.company_id
                )
                for order in orders
            )
            partner.oms_company_currency_id = self.env.company.currency_id
            partner.oms_last_picking_ids = self.env["stock.picking"].search(
                [
                    ("partner_id", "child_of", commercial.id),
                    ("company_id", "=", self.env.company.id),
                    ("picking_type_code", "=", "outgoing"),
                    ("state", "=", "done"),
                ],
                order="date_done desc, id desc",
                limit=5,
            )
            partner.oms_open_opportunity_ids = self.env["crm.lead"].search(
                [
                    ("partner_id", "child_of", commercial.id),
                    ("type", "=", "opportunity"),
                    ("won_status", "=", "pending"),
                ],
                limit=20,
            )

    @api.depends_context("company", "uid")
    def _compute_oms_timeline_html(self):
        """The last orders and customer payments, newest first, as the user may read them."""
        for partner in self:
            commercial = partner.commercial_partner_id
            if not partner.id or not commercial.id:
                partner.oms_timeline_html = False
                continue
            events = []
            if self.env["sale.order"].has_access("read"):
                for order in self.env["sale.order"].search(
                    [
                        ("partner_id", "child_of", commercial.id),
                        ("company_id", "=", self.env.company.id),
                        ("state", "in", ("sale", "cancel")),
                    ],
                    order="date_order desc, id desc",
                    limit=10,
                ):
                    label = (
                        self.env._("Order") if order.state == "sale" else self.env._("Cancelled")
                    )
                    amount = order.currency_id.format(order.amount_total)
                    events.append((order.date_order.date(), label, order.name, amount))
            if self.env["account.payment"].has_access("read"):
                for payment in self.env["account.payment"].search(
                    [
                        ("partner_id", "child_of", commercial.id),
                        ("company_id", "=", self.env.company.id),
                        ("payment_type", "=", "inbound"),
                        ("state", "not in", ("draft", "canceled", "rejected")),
                    ],
                    order="date desc, id desc",
                    limit=10,
                ):
                    amount = payment.currency_id.format(payment.amount)
                    events.append((payment.date, self.env._("Payment"), payment.name, amount))
            events.sort(key=lambda event: event[0], reverse=True)
            rows = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td class='text-end'>%s</td></tr>")
                % (fields.Date.to_string(when), kind, name, amount)
                for when, kind, name, amount in events[:15]
            )
            partner.oms_timeline_html = (
                Markup("<table class='table table-sm o_oms_timeline'>%s</table>") % rows
                if rows
                else False
            )

    def action_oms_recompute_lifecycle(self):
        """Recompute the figures of these customers in the current company now (button
        *Refresh Figures* of the Customer 360 tab, for those who may read the figures)."""
        self.check_access("read")
        self.env["oms.customer.stat"].check_access("read")
        commercial = self.commercial_partner_id
        company = self.env.company
        # sudo: the figures of customers the user reads (checked above) are rewritten in SQL
        # from their own orders, scored against the stored thresholds; the user reads them
        # back with their own rights.
        self.env["oms.customer.stat"].sudo()._oms_compute_lifecycle(company, commercial.ids)
        return True

    def _oms_lifecycle_rank_batch(self, company, today):
        """One batch of the nightly re-ranking run as a background job: these customers'
        figures in ``company`` scored against the thresholds of ``today`` (ISO date) stored
        by the nightly run. Scoring again gives the same figures, so a batch run twice
        changes nothing more."""
        Stat = self.env["oms.customer.stat"].with_company(company)
        with self.env.cr.savepoint():
            Stat._oms_compute_lifecycle(company, self.ids, today=fields.Date.to_date(today))
