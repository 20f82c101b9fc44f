from unittest.mock import patch

from odoo.tests import new_test_user, tagged

from .common import OmsOrderCommon
from .test_automation import no_commit


@tagged("post_install", "-at_install")
class TestMultiCompany(OmsOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "OMS Company B"})
        cls.env["account.chart.template"].try_loading("generic_coa", company=cls.company_b)
        cls.user_b = new_test_user(
            cls.env,
            login="oms_user_b",
            groups="oms_extended.group_oms_user",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.default_rule.confirm_policy = "never"
        cls.rule_a = cls.env["oms.workflow"].create(
            {
                "name": "A confirms all",
                "company_id": cls.company.id,
                "sequence": 1,
                "confirm_policy": "always",
                "invoice_policy": "confirm",
            }
        )
        cls.env_b = cls.env(
            user=cls.user_b, context=dict(cls.env.context, allowed_company_ids=cls.company_b.ids)
        )
        cls.customer.company_id = False
        cls.service.company_id = False

    def test_rules_and_payments_stay_in_their_company(self):
        order_a = self._order([(self.service, 1)])
        order_b = self._order([(self.service, 2)], env=self.env_b)
        self.assertEqual(order_b.company_id, self.company_b)
        self.assertEqual(order_a.oms_workflow_id, self.rule_a)
        self.assertEqual(order_b.oms_workflow_id, self.default_rule)
        self.assertNotIn(self.rule_a, self.env_b["oms.workflow"].search([]))

        with patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit):
            self.env["sale.order"]._cron_oms_apply_automation()
        self.assertEqual(order_a.state, "sale")
        self.assertEqual(order_a.invoice_ids.company_id, self.company)
        self.assertEqual(order_b.state, "draft", "company A's rule never touches company B")

        # A bank line of company A quoting B's reference does not pay B's order.
        line = self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.bank_journal.id,
                "amount": 100.0,
                "payment_ref": order_b.oms_payment_reference,
            }
        )
        self.assertFalse(line.oms_sale_order_id)
        self.assertEqual(order_b.oms_payment_state, "not_paid")

        # B's own payment goes to B's journal.
        payment = order_b._oms_register_payment(100.0, "bank_transfer")
        self.assertEqual(payment.company_id, self.company_b)
        self.assertEqual(payment.journal_id.company_id, self.company_b)
        self.assertEqual(order_b.oms_payment_state, "paid")
        self.assertEqual(order_a.oms_payment_state, "not_paid")
