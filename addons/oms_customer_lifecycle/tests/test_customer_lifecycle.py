"""Customer lifecycle: figures, RFM scores and segments on a hand-made history, the segment
history, retention opportunities, the acquisition cohorts, and the bad cases."""

from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.addons.oms_extended.tests.common import OmsOrderCommon
from odoo.addons.oms_extended.tests.test_automation import no_commit
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

TODAY = date(2025, 6, 30)


class LifecycleCommon(OmsOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.default_rule.active = False  # the automation plays no part here
        cls.stats = cls.env["oms.customer.stat"]
        cls.salesman = new_test_user(
            cls.env, login="lifecycle_salesman", groups="sales_team.group_sale_salesman"
        )
        assert not cls.salesman.has_group("oms_extended.group_oms_user")

    @classmethod
    def _customer(cls, name, **vals):
        return cls.env["res.partner"].create({"name": name, **vals})

    @classmethod
    def _six_customers(cls, **sleeper_vals):
        """Six customers whose histories put each in another segment on TODAY."""
        c = cls._customer
        cls.champion = c("Champion")
        cls.newcomer = c("Newcomer")
        cls.at_risk = c("At Risk")
        cls.sleeper = c("Sleeper", **sleeper_vals)
        cls.lost = c("Lost")
        cls.regular = c("Regular")
        for when in (date(2025, 3, 1), date(2025, 4, 15), date(2025, 5, 20), date(2025, 6, 20)):
            cls._sale(cls.champion, 500.0, when)
        cls._sale(cls.newcomer, 100.0, date(2025, 6, 15))
        for when in (date(2024, 6, 1), date(2024, 10, 1), date(2025, 2, 15)):
            cls._sale(cls.at_risk, 100.0, when)
        cls._sale(cls.sleeper, 80.0, date(2025, 1, 10))
        for when in (date(2024, 3, 1), date(2024, 5, 1)):
            cls._sale(cls.lost, 50.0, when)
        for when in (date(2024, 12, 1), date(2025, 6, 10)):
            cls._sale(cls.regular, 100.0, when)
        cls.customers = (
            cls.champion | cls.newcomer | cls.at_risk | cls.sleeper | cls.lost | cls.regular
        )

    @classmethod
    def _sale(cls, partner, amount, when, env=None, **vals):
        """A confirmed order of ``amount`` (untaxed) placed on ``when``."""
        env = env or cls.env
        order = env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.service.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                        }
                    )
                ],
                **vals,
            }
        )
        order.with_context(oms_skip_lifecycle=True).action_confirm()
        order.date_order = datetime.combine(when, datetime.min.time().replace(hour=10))
        return order

    def _compute(self, today=TODAY, company=None, partners=None):
        company = company or self.company
        with freeze_time(today):
            return self.stats._oms_compute_lifecycle(
                company, partners.ids if partners else None, today=today
            )

    def _stat(self, partner, company=None):
        company = company or self.company
        return self.stats.search([("partner_id", "=", partner.id), ("company_id", "=", company.id)])


@tagged("post_install", "-at_install")
class TestCustomerFigures(LifecycleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._six_customers()

    def test_figures_scores_and_segments(self):
        self._compute()
        stat = self._stat(self.champion)
        self.assertEqual(stat.first_order_date, date(2025, 3, 1))
        self.assertEqual(stat.last_order_date, date(2025, 6, 20))
        self.assertEqual(stat.order_count, 4)
        self.assertAlmostEqual(stat.revenue, 2000.0)
        self.assertAlmostEqual(stat.average_order_value, 500.0)
        self.assertAlmostEqual(stat.average_days_between_orders, 37.0)
        with freeze_time(TODAY):
            stat.invalidate_recordset(["recency_days"])
            self.assertEqual(stat.recency_days, 10)
        self.assertEqual(stat.rfm_score, "555")
        # AOV 500 x 4 orders a year (less than a year of history counts as a year) x 3 years.
        self.assertAlmostEqual(stat.clv, 6000.0)
        segments = {p.name: self._stat(p).segment for p in self.customers}
        self.assertEqual(
            segments,
            {
                "Champion": "champion",
                "Newcomer": "new",
                "At Risk": "at_risk",
                "Sleeper": "hibernating",
                "Lost": "lost",
                "Regular": "active",
            },
        )
        self.assertFalse(self._stat(self.newcomer).average_days_between_orders)
        # The partner shows its segment in the current company and is searchable by it.
        self.assertEqual(self.at_risk.oms_segment, "at_risk")
        found = self.env["res.partner"].search([("oms_segment", "=", "at_risk")])
        self.assertEqual(found & self.customers, self.at_risk)
        found = self.env["res.partner"].search([("oms_segment", "!=", "at_risk")])
        self.assertNotIn(self.at_risk, found)
        self.assertIn(self.lost, found)

    def test_quintiles_with_ties(self):
        self._compute()
        scores = {
            p.name: (s.recency_score, s.frequency_score, s.monetary_score)
            for p in self.customers
            for s in self._stat(p)
        }
        # Frequency: 1,1 | 2,2 | 3 | 4 orders; the two customers with 2 orders fall on tiles
        # 2 and 3 and share the lower one. Monetary: Lost and Newcomer (100 each) share 1.
        self.assertEqual(scores["Sleeper"], (1, 1, 1))
        self.assertEqual(scores["Newcomer"], (4, 1, 1))
        self.assertEqual(scores["Lost"], (1, 2, 1))
        self.assertEqual(scores["Regular"], (3, 2, 3))
        self.assertEqual(scores["At Risk"], (2, 4, 4))
        self.assertEqual(scores["Champion"], (5, 5, 5))

    def test_segment_history_is_written_on_changes_only(self):
        History = self.env["oms.customer.segment.history"]
        self._compute(today=date(2025, 3, 1))
        self._compute(today=date(2025, 3, 2))  # nothing moved
        first = History.search([("partner_id", "=", self.at_risk.id)])
        self.assertEqual(len(first), 1)
        self.assertFalse(first.from_segment)
        self._compute()
        moves = History.search([("partner_id", "=", self.at_risk.id)], order="id")
        self.assertEqual(len(moves), 2)
        self.assertEqual(
            (moves[1].from_segment, moves[1].to_segment), (first.to_segment, "at_risk")
        )
        self.assertEqual(moves[1].date, TODAY)
        self.assertEqual(self._stat(self.at_risk).segment_date, TODAY)
        groups = History._read_group(
            [("to_segment", "=", "at_risk"), ("date", ">=", date(2025, 6, 1))],
            ["from_segment"],
            ["__count"],
        )
        self.assertEqual(groups, [(first.to_segment, 1)])

    def test_confirm_and_cancel_refresh_the_customer(self):
        """A salesperson outside the OMS groups confirms and cancels: the figures follow."""
        customer = self._customer("Walk-in", user_id=self.salesman.id)
        env = self.env(user=self.salesman)
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [Command.create({"product_id": self.service.id, "price_unit": 70})],
            }
        )
        order.action_confirm()
        stat = env["oms.customer.stat"].search([("partner_id", "=", customer.id)])
        self.assertEqual(stat.order_count, 1)
        self.assertAlmostEqual(stat.revenue, 70.0)
        self.assertEqual(stat.segment, "new")
        # The Customer 360 tab, as the salesperson.
        partner = customer.with_user(self.salesman)
        self.assertEqual(partner.oms_segment, "new")
        self.assertEqual(partner.oms_open_order_ids, order)
        self.assertAlmostEqual(partner.oms_amount_due, 70.0)
        order._action_cancel()
        self.assertFalse(self._stat(customer), "only cancelled orders: no figures")

    def test_confirmation_scores_against_the_stored_customers(self):
        """Confirming scores the customer against the stored thresholds of the nightly
        pass: the same result as recomputing that customer alone (the next nightly pass
        re-ranks everyone, see test_lifecycle_ranking)."""
        self._compute()
        fields_ = ["order_count", "revenue", "rfm_score", "segment", "clv", "last_order_date"]
        with freeze_time(TODAY):
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.sleeper.id,
                    "order_line": [
                        Command.create({"product_id": self.service.id, "price_unit": 900})
                    ],
                }
            )
            order.action_confirm()
        scoped = self._stat(self.sleeper).read(fields_)[0]
        self.assertEqual(scoped["order_count"], 2)
        self.assertEqual(scoped["last_order_date"], TODAY)
        self.assertEqual(scoped["rfm_score"], "524")
        self._compute(partners=self.sleeper)
        self.assertEqual(self._stat(self.sleeper).read(fields_)[0], scoped)

    def test_customer_360_last_shipments(self):
        customer = self._customer("Shipped To", user_id=self.salesman.id)
        order = self._order([(self.product, 1)], env=self.env, partner_id=customer.id)
        order.action_confirm()
        self._deliver(order)
        partner = customer.with_user(self.salesman)
        self.assertEqual(partner.oms_last_picking_ids, order.picking_ids)
        self.assertEqual(partner.oms_open_order_ids, order, "delivered, not invoiced yet")
        order._oms_register_payment(order.amount_total, "cash")
        self.assertIn(order.name, partner.oms_timeline_html)
        self.assertNotIn("Payment", partner.oms_timeline_html, "salesperson: no payments")
        billing = new_test_user(
            self.env,
            login="lifecycle_billing",
            groups="sales_team.group_sale_salesman_all_leads,account.group_account_invoice",
        )
        timeline = customer.with_user(billing).oms_timeline_html
        self.assertIn(order.name, timeline)
        self.assertIn("Payment", timeline)

    def test_only_cancelled_orders(self):
        customer = self._customer("Canceller")
        order = self._sale(customer, 100.0, date(2025, 6, 1))
        order.with_context(oms_skip_lifecycle=True)._action_cancel()
        self._compute()
        self.assertFalse(self._stat(customer))
        self.assertFalse(customer.oms_segment)

    def test_refund_larger_than_revenue(self):
        customer = self._customer("Refunded")
        self._sale(customer, 100.0, date(2025, 6, 1))
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": customer.id,
                "invoice_date": date(2025, 6, 2),
                "invoice_line_ids": [
                    Command.create({"name": "Goodwill", "quantity": 1, "price_unit": 150.0})
                ],
            }
        )
        refund.action_post()
        self._compute()
        stat = self._stat(customer)
        self.assertAlmostEqual(stat.gross_amount, 100.0)
        self.assertAlmostEqual(stat.refunded_amount, 150.0)
        self.assertEqual(stat.revenue, 0.0)
        self.assertEqual(stat.clv, 0.0)
        self.assertEqual(stat.order_count, 1)

    def test_contacts_count_for_their_company_and_merge(self):
        contact = self._customer("Buyer", parent_id=self.regular.id)
        self._sale(contact, 100.0, date(2025, 6, 25))
        duplicate = self._customer("Regular (dup)")
        self._sale(duplicate, 300.0, date(2025, 6, 26))
        self._compute()
        self.assertEqual(self._stat(self.regular).order_count, 3)
        self.assertFalse(self._stat(contact))
        wizard = self.env["base.partner.merge.automatic.wizard"]
        with freeze_time(TODAY):
            wizard._merge([self.regular.id, duplicate.id], self.regular, extra_checks=False)
        self.assertFalse(duplicate.exists())
        stat = self._stat(self.regular)
        self.assertEqual(stat.order_count, 4)
        self.assertAlmostEqual(stat.revenue, 600.0)
        self.assertEqual(len(self.stats.search([("partner_id", "=", self.regular.id)])), 1)

    def test_salesperson_sees_only_own_customers_figures(self):
        self.champion.user_id = self.salesman
        self.lost.user_id = self.oms_manager
        self._compute()
        visible = self.env(user=self.salesman)["oms.customer.stat"].search([])
        self.assertIn(self.champion, visible.partner_id)
        self.assertIn(self.newcomer, visible.partner_id, "customers without a salesperson")
        self.assertNotIn(self.lost, visible.partner_id)
        self.assertFalse(self.lost.with_user(self.salesman).oms_segment)
        self.assertEqual(self.champion.with_user(self.salesman).oms_segment, "champion")
        self.assertFalse(
            self.champion.with_user(self.employee).oms_segment, "no sales rights, no figures"
        )
        all_seen = self.env(user=self.oms_user)["oms.customer.stat"].search([])
        self.assertIn(self.lost, all_seen.partner_id)


@tagged("post_install", "-at_install")
class TestRetention(LifecycleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "Retention"})
        cls.stage = cls.env["crm.stage"].create({"name": "Win-back", "sequence": 1})
        cls.company.write(
            {
                "oms_retention_clv_threshold": 500.0,
                "oms_retention_team_id": cls.team.id,
                "oms_retention_stage_id": cls.stage.id,
            }
        )
        # The win-back mail is written in the customer's language: English here, whatever
        # languages the database has loaded.
        cls.valuable = cls._customer(
            "Valuable", user_id=cls.salesman.id, email="valuable@example.com", lang="en_US"
        )
        cls.small = cls._customer("Small")
        cls.opted_out = cls._customer("Opted Out", oms_retention_opt_out=True)
        cls.blacklisted = cls._customer("Blacklisted", email="nomail@example.com")
        cls.env["mail.blacklist"].create({"email": "nomail@example.com"})
        for partner, amount in (
            (cls.valuable, 400.0),
            (cls.small, 10.0),
            (cls.opted_out, 400.0),
            (cls.blacklisted, 400.0),
        ):
            for when in (date(2025, 1, 5), date(2025, 2, 15)):
                cls._sale(partner, amount, when)

    def _leads(self, partner):
        return self.env["crm.lead"].search(
            [("partner_id", "=", partner.id), ("oms_is_retention", "=", True)]
        )

    def test_one_opportunity_for_a_valuable_customer_at_risk(self):
        self._compute(today=date(2025, 3, 1))
        self.assertEqual(self._stat(self.valuable).segment, "new")
        self.assertFalse(self._leads(self.valuable))
        self._compute()  # 135 days later: at risk
        self.assertEqual(self._stat(self.valuable).segment, "at_risk")
        lead = self._leads(self.valuable)
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.user_id, self.salesman)
        self.assertEqual(lead.team_id, self.team)
        self.assertEqual(lead.stage_id, self.stage)
        self.assertEqual(lead.company_id, self.company)
        self.assertIn("At Risk", str(lead.description))
        self.assertAlmostEqual(lead.expected_revenue, self._stat(self.valuable).clv)
        self.assertEqual(self.valuable.with_user(self.salesman).oms_open_opportunity_ids, lead)
        self.assertFalse(self._leads(self.small), "worth less than the threshold")
        self.assertFalse(self._leads(self.opted_out), "opted out")
        self.assertFalse(self._leads(self.blacklisted), "blacklisted e-mail")
        # Hibernating next: still the one open opportunity.
        self._compute(today=date(2025, 9, 1))
        self.assertEqual(self._stat(self.valuable).segment, "hibernating")
        self.assertEqual(len(self._leads(self.valuable)), 1)
        # The win-back e-mail from the opportunity.
        action = lead.with_user(self.salesman).action_oms_send_winback()
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.salesman)
            .with_context(**action["context"])
            .create({})
        )
        self.assertIn("We miss you", composer.subject)
        self.assertIn(self.valuable.name, composer.body)

    def test_a_new_opportunity_once_the_first_is_lost(self):
        self._compute()
        lead = self._leads(self.valuable)
        lead.action_set_lost()
        self._compute(today=date(2025, 9, 1))  # at risk -> hibernating
        self.assertEqual(len(self._leads(self.valuable)), 1)
        self.assertNotEqual(self._leads(self.valuable), lead)


@tagged("post_install", "-at_install")
class TestLifecycleCompanies(LifecycleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create(
            {"name": "Lifecycle B", "currency_id": cls.env.ref("base.EUR").id}
        )
        cls.env["account.chart.template"].try_loading("generic_coa", company=cls.company_b)
        cls.env.ref("base.EUR").active = True
        cls.company_b.currency_id = cls.env.ref("base.EUR")
        cls.user_b = new_test_user(
            cls.env,
            login="lifecycle_b",
            groups="oms_extended.group_oms_user",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.service.company_id = False
        cls.customer = cls._customer("Two Companies")
        # Company A sells in a foreign currency at 2 units for 1 of the company's.
        foreign = (
            cls.env.ref("base.EUR")
            if cls.company.currency_id.name != "EUR"
            else (cls.env.ref("base.USD"))
        )
        foreign.active = True
        cls.env["res.currency.rate"].create(
            {
                "name": "2020-01-01",
                "rate": 2.0,
                "currency_id": foreign.id,
                "company_id": cls.company.id,
            }
        )
        cls.foreign_pricelist = cls.env["product.pricelist"].create(
            {"name": "Foreign", "currency_id": foreign.id, "company_id": cls.company.id}
        )
        cls.env_b = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company_b.ids))

    def test_figures_per_company_and_currency(self):
        self._sale(self.customer, 200.0, date(2025, 6, 1), pricelist_id=self.foreign_pricelist.id)
        self._sale(
            self.customer, 50.0, date(2025, 6, 2), env=self.env_b, company_id=self.company_b.id
        )
        self._compute()
        self._compute(company=self.company_b)
        stat_a = self._stat(self.customer)
        stat_b = self._stat(self.customer, self.company_b)
        self.assertAlmostEqual(stat_a.revenue, 100.0, msg="converted to the company currency")
        self.assertEqual(stat_a.currency_id, self.company.currency_id)
        self.assertAlmostEqual(stat_b.revenue, 50.0)
        self.assertEqual(stat_b.currency_id.name, "EUR")
        self.assertEqual(self.customer.with_company(self.company_b).oms_clv, stat_b.clv)
        seen_by_b = self.env(user=self.user_b)["oms.customer.stat"].search([])
        self.assertEqual(seen_by_b, stat_b, "the other company's figures are hidden")

    def test_failing_company_does_not_stop_the_cron(self):
        self._sale(self.customer, 100.0, date(2025, 6, 1))
        self._sale(
            self.customer, 50.0, date(2025, 6, 2), env=self.env_b, company_id=self.company_b.id
        )
        Stat = type(self.stats)
        original = Stat._oms_lifecycle_query
        company_b = self.company_b

        def failing(model, company, today, partner_ids=None):
            if company == company_b:
                raise ValueError("broken company")
            return original(model, company, today, partner_ids)

        with (
            patch.object(Stat, "_oms_lifecycle_query", failing),
            patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit),
            freeze_time(TODAY),
            self.assertLogs(
                "odoo.addons.oms_customer_lifecycle.models.oms_customer_stat_nightly", "ERROR"
            ),
        ):
            self.stats._cron_oms_customer_lifecycle()
        self.assertEqual(self._stat(self.customer).order_count, 1)
        self.assertFalse(self._stat(self.customer, self.company_b))


@tagged("post_install", "-at_install")
class TestRetentionOff(TestRetention):
    def test_a_new_opportunity_once_the_first_is_lost(self):
        """Inherited case, not relevant here: replaced by the cases below."""
        self.assertTrue(self.company.oms_retention_team_id)

    def test_one_opportunity_for_a_valuable_customer_at_risk(self):
        """The first computation (as after installation) opens no opportunity."""
        self._compute()
        self.assertEqual(self._stat(self.valuable).segment, "at_risk")
        self.assertFalse(self._leads(self.valuable))

    def test_no_opportunity_without_threshold(self):
        self.company.oms_retention_clv_threshold = 0.0  # as installed
        self._compute(today=date(2025, 3, 1))
        self._compute()
        self.assertEqual(self._stat(self.valuable).segment, "at_risk")
        self.assertFalse(self._leads(self.valuable))


@tagged("post_install", "-at_install")
class TestLoyalSegment(LifecycleCommon):
    def test_frequent_buyer_not_recent_enough_for_champion_is_loyal(self):
        loyal = self._customer("Loyal")
        for when in (
            date(2024, 9, 1),
            date(2024, 11, 1),
            date(2025, 1, 1),
            date(2025, 3, 1),
            date(2025, 4, 10),
        ):
            self._sale(loyal, 100.0, when)
        newcomers = self.env["res.partner"]
        for day in (20, 21, 22, 23):
            newcomer = self._customer(f"Newcomer {day}")
            self._sale(newcomer, 1000.0, date(2025, 6, day))
            newcomers |= newcomer
        self._compute()
        stat = self._stat(loyal)
        self.assertEqual(stat.rfm_score, "151")
        self.assertEqual(stat.segment, "loyal")
        self.assertEqual(set(newcomers.mapped("oms_segment")), {"new"})
