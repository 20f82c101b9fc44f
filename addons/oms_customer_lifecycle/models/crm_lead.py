from markupsafe import Markup, escape

from odoo import api, fields, models


class CrmLead(models.Model):
    """Retention opportunities: opened by the customer lifecycle for a valuable customer who
    stops buying; a win-back e-mail can be sent from them."""

    _inherit = "crm.lead"

    oms_is_retention = fields.Boolean(
        string="Retention Opportunity",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Opened by the customer lifecycle when a valuable customer became At Risk or "
        "Hibernating.",
    )

    @api.model
    def _oms_create_retention_opportunities(self, company, partners):
        """One open retention opportunity per customer of ``partners`` in ``company``: none
        for a customer who opted out or whose e-mail is blacklisted, none while one is open.
        """
        partners = partners.filtered(lambda p: not p.oms_retention_opt_out and not p.is_blacklisted)
        if not partners:
            return self
        open_leads = self.with_context(active_test=True).search(
            [
                ("oms_is_retention", "=", True),
                ("partner_id", "in", partners.ids),
                ("company_id", "=", company.id),
                ("won_status", "=", "pending"),
            ]
        )
        partners -= open_leads.partner_id
        if not partners:
            return self
        stats = self.env["oms.customer.stat"].search(
            [("partner_id", "in", partners.ids), ("company_id", "=", company.id)]
        )
        stat_by_partner = {stat.partner_id: stat for stat in stats}
        vals_list = []
        for partner in partners:
            stat = stat_by_partner.get(partner)
            if not stat:
                continue
            vals = {
                "name": self.env._("Win back %(customer)s", customer=partner.name),
                "type": "opportunity",
                "partner_id": partner.id,
                "user_id": partner.user_id.id,
                "company_id": company.id,
                "expected_revenue": stat.clv,
                "description": self._oms_retention_description(stat),
                "oms_is_retention": True,
            }
            if company.oms_retention_team_id:
                vals["team_id"] = company.oms_retention_team_id.id
            if company.oms_retention_stage_id:
                vals["stage_id"] = company.oms_retention_stage_id.id
            vals_list.append(vals)
        return self.create(vals_list)

    @api.model
    def _oms_retention_description(self, stat):
        segments = dict(stat._fields["segment"]._description_selection(self.env))
        currency = stat.currency_id
        rows = [
            (self.env._("Segment"), segments.get(stat.segment, "")),
            (self.env._("RFM score"), stat.rfm_score),
            (self.env._("Orders"), stat.order_count),
            (self.env._("First order"), stat.first_order_date),
            (self.env._("Last order"), stat.last_order_date),
            (self.env._("Days since last order"), stat.recency_days),
            (self.env._("Revenue"), currency.format(stat.revenue)),
            (self.env._("Average order value"), currency.format(stat.average_order_value)),
            (self.env._("Lifetime value"), currency.format(stat.clv)),
        ]
        items = Markup("").join(
            Markup("<li>%s: %s</li>") % (label, escape(value or "")) for label, value in rows
        )
        return Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._("The customer stopped buying. Figures at the opening:"),
            items,
        )

    def action_oms_send_winback(self):
        """The mail composer with the win-back template, from the opportunity."""
        self.ensure_one()
        template = self.env.ref(
            "oms_customer_lifecycle.mail_template_oms_winback", raise_if_not_found=False
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": "crm.lead",
                "default_res_ids": self.ids,
                "default_template_id": template.id if template else False,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
            },
        }
