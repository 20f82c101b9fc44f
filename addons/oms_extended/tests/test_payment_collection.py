from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import OmsOrderCommon


@tagged("post_install", "-at_install")
class TestPaymentCollection(OmsOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Manual confirmation: only the payments are under test here.
        cls.default_rule.confirm_policy = "never"
        cls.provider = cls.env.ref("payment.payment_provider_demo")
        cls.provider.write({"state": "test", "journal_id": cls.bank_journal.id})
        cls.pay_method = cls.provider.payment_method_ids[:1]

    def test_deposit_then_balance_by_bank_transfer(self):
        order = self._order([(self.product, 2)])
        wizard = self._payment_wizard(order, method="bank_transfer", amount=50.0)
        self.assertEqual(wizard.journal_id, self.bank_journal)
        wizard.action_register()
        self.assertEqual(order.oms_payment_state, "partial")
        self.assertEqual(order.oms_amount_due, 150.0)
        payment = order.oms_payment_ids
        self.assertEqual(payment.oms_sale_order_id, order)
        self.assertEqual(payment.state, "in_process")
        self.assertEqual(payment.oms_method, "bank_transfer")

        order.action_confirm()
        self._deliver(order)
        # The default rule invoices at delivery, posts and reconciles the deposit.
        invoice = order.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_residual, 150.0)
        self._payment_wizard(order, method="cash").action_register()
        self.assertEqual(order.oms_payment_state, "paid")
        self.assertEqual(len(order.oms_payment_ids), 2)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_over_payment_needs_consent_and_is_flagged(self):
        order = self._order([(self.service, 1)])
        wizard = self._payment_wizard(order, method="cash", amount=80.0)
        with self.assertRaisesRegex(UserError, "more than"):
            wizard.action_register()
        self.assertFalse(order.oms_payment_ids)
        wizard.allow_overpayment = True
        wizard.action_register()
        self.assertEqual(order.oms_payment_state, "over_paid")
        self.assertEqual(order.oms_amount_paid, 80.0)
        self.assertEqual(order.oms_amount_due, 0.0)
        self.assertEqual(
            self.env["sale.order"].search(
                [("oms_payment_state", "=", "over_paid"), ("id", "=", order.id)]
            ),
            order,
        )

    def test_cancelled_order_refuses_payments(self):
        order = self._order([(self.service, 1)])
        order.action_cancel()
        with self.assertRaisesRegex(UserError, "cancelled"):
            order.action_oms_register_payment()
        with self.assertRaisesRegex(UserError, "cancelled"):
            order._oms_register_payment(10.0, "cash")
        self.assertFalse(order.oms_payment_ids)

    def test_currency_without_rate_is_refused(self):
        currency = self.env.ref("base.CHF")
        currency.active = True
        currency.rate_ids.unlink()
        order = self._order([(self.service, 1)])
        with self.assertRaisesRegex(UserError, "No exchange rate for CHF"):
            order._oms_register_payment(
                10.0, "bank_transfer", currency=currency.with_env(self.user_env)
            )
        self.assertFalse(order.oms_payment_ids)
        self.env["res.currency.rate"].create(
            {"currency_id": currency.id, "rate": 2.0, "name": "2000-01-01"}
        )
        order._oms_register_payment(
            20.0, "bank_transfer", currency=currency.with_env(self.user_env)
        )
        self.assertEqual(order.oms_amount_paid, 10.0)

    def test_archived_product_blocks_confirmation(self):
        order = self._order([(self.service, 1)])
        self.service.active = False
        with self.assertRaisesRegex(UserError, "archived"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_card_by_provider_notification_twice_records_one_payment(self):
        order = self._order([(self.service, 2)])
        tx = order._oms_create_transaction(self.provider, self.pay_method, 100.0)
        self.assertEqual(order.transaction_ids, tx)
        for _retry in range(2):
            tx._process("demo", {"reference": tx.reference, "simulated_state": "done"})
            tx._post_process()
        payments = self.env["account.payment"].search([("payment_transaction_id", "=", tx.id)])
        self.assertEqual(len(payments), 1)
        self.assertEqual(payments.oms_sale_order_id, order)
        self.assertEqual(order.oms_payment_state, "paid")
        self.assertEqual(order.state, "draft", "the rule says never confirm")

    def test_saved_card_charged_from_the_wizard(self):
        token = self.env["payment.token"].create(
            {
                "provider_id": self.provider.id,
                "payment_method_id": self.pay_method.id,
                "partner_id": self.customer.id,
                "payment_details": "4242",
                "provider_ref": "demo-token",
                "demo_simulated_state": "done",
            }
        )
        order = self._order([(self.service, 1)])
        wizard = self._payment_wizard(order, method="card")
        self.assertEqual(wizard.provider_id, self.provider)
        wizard.token_id = token
        wizard.action_register()
        self.assertEqual(order.oms_payment_state, "paid")
        self.assertEqual(order.oms_payment_ids.oms_method, "card")

    def _token(self, partner, provider=None, **vals):
        provider = provider or self.provider
        return self.env["payment.token"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": provider.payment_method_ids[:1].id,
                "partner_id": partner.id,
                "payment_details": "4242",
                "provider_ref": f"demo-{partner.id}-{provider.id}",
                "demo_simulated_state": "done",
                **vals,
            }
        )

    def test_wizard_offers_only_the_customers_tokens_the_provider_accepts(self):
        own = self._token(self.customer)
        stranger = self._token(self.env["res.partner"].create({"name": "Another customer"}))
        other_provider = self.provider.copy({"name": "Demo 2", "state": "disabled"})
        disabled = self._token(self.customer, provider=other_provider)
        order = self._order([(self.service, 1)])
        wizard = self._payment_wizard(order, method="card")
        self.assertEqual(wizard.suitable_token_ids, own)
        self.assertNotIn(stranger, wizard.suitable_token_ids)
        self.assertNotIn(disabled, wizard.suitable_token_ids)

    def test_server_refuses_a_token_of_another_customer_or_provider(self):
        stranger = self._token(self.env["res.partner"].create({"name": "Another customer"}))
        order = self._order([(self.service, 1)])
        # Whatever the client sends: the token is written directly, past the domain.
        wizard = self._payment_wizard(order, method="card")
        wizard.token_id = stranger
        with self.assertRaisesRegex(UserError, "only the customer's own saved payment methods"):
            wizard.action_register()
        self.assertFalse(order.transaction_ids)

        other_provider = self.provider.copy({"name": "Demo 2"})
        foreign = self._token(self.customer, provider=other_provider)
        wizard = self._payment_wizard(order, method="card")
        self.assertEqual(wizard.provider_id, self.provider)
        wizard.token_id = foreign
        with self.assertRaisesRegex(UserError, "only the customer's own saved payment methods"):
            wizard.action_register()
        self.assertFalse(order.transaction_ids)

    def test_card_without_token_opens_a_payment_link(self):
        order = self._order([(self.service, 1)])
        action = self._payment_wizard(order, method="paypal").action_register()
        self.assertEqual(action["res_model"], "payment.link.wizard")

    def test_failed_payment_puts_order_in_exception(self):
        order = self._order([(self.service, 1)])
        tx = order._oms_create_transaction(self.provider, self.pay_method, 50.0)
        tx._process("demo", {"reference": tx.reference, "simulated_state": "error"})
        self.assertEqual(order.oms_state, "exception")
        self.assertEqual(order.oms_exception_type, "payment")
        self.assertIn(tx.reference, order.activity_ids.note)
        self.assertFalse(order.oms_payment_ids)

    def test_bank_statement_lines_matched_by_reference_or_name_and_amount(self):
        accountant = self.env["res.users"].create(
            {
                "name": "Bookkeeper",
                "login": "oms_bookkeeper",
                "group_ids": [
                    (4, self.env.ref("account.group_account_user").id),
                    (4, self.env.ref("oms_extended.group_oms_user").id),
                ],
            }
        )
        by_ref = self._order([(self.service, 1)])
        by_name = self._order([(self.service, 2)])
        wrong_amount = self._order([(self.service, 3)])
        Line = self.env(user=accountant)["account.bank.statement.line"]
        lines = Line.create(
            [
                {
                    "journal_id": self.bank_journal.id,
                    "amount": 50.0,
                    "date": "2025-01-10",
                    "payment_ref": f"Invoice {by_ref.oms_payment_reference} thanks",
                },
                {
                    "journal_id": self.bank_journal.id,
                    "amount": 100.0,
                    "date": "2025-01-10",
                    "payment_ref": f"order {by_name.name}",
                },
                {
                    "journal_id": self.bank_journal.id,
                    "amount": 99.0,
                    "date": "2025-01-10",
                    "payment_ref": f"order {wrong_amount.name}",
                },
            ]
        )
        self.assertEqual(lines.mapped("oms_sale_order_id"), by_ref | by_name)
        self.assertEqual(by_ref.oms_payment_state, "paid")
        self.assertEqual(by_name.oms_payment_state, "paid")
        self.assertEqual(wrong_amount.oms_payment_state, "not_paid")
        self.assertTrue(lines[0].is_reconciled)
        self.assertTrue(by_ref.oms_payment_ids.is_matched)
        self.assertFalse(lines[2].is_reconciled)

    def test_cancelling_a_paid_order_refunds_it(self):
        order = self._order([(self.service, 2)])
        order._oms_register_payment(60.0, "bank_transfer")
        order._oms_register_payment(40.0, "cash")
        order.action_cancel()
        self.assertEqual(order.state, "cancel")
        refunds = order.oms_payment_ids.filtered(lambda p: p.payment_type == "outbound")
        self.assertEqual(sorted(refunds.mapped("amount")), [40.0, 60.0])
        self.assertEqual(order.oms_payment_state, "refunded")
        self.assertEqual(order.oms_amount_paid, 0.0)

    def _card_paid_order(self):
        order = self._order([(self.service, 2)])
        tx = order._oms_create_transaction(self.provider, self.pay_method, order.amount_total)
        tx._process("demo", {"reference": tx.reference, "simulated_state": "done"})
        tx._post_process()
        self.assertEqual(order.oms_payment_state, "paid")
        return order, tx

    def test_cancelling_a_card_paid_order_refunds_through_the_provider(self):
        order, tx = self._card_paid_order()
        order.with_env(self.user_env).action_cancel()
        refund_tx = tx.child_transaction_ids
        self.assertEqual((refund_tx.operation, refund_tx.state), ("refund", "done"))
        self.assertEqual(refund_tx.amount, -order.amount_total)
        self.assertIn(refund_tx.reference, order.message_ids[0].body)
        # Odoo's post-processing (a cron) records the refund payment
        refund_tx._post_process()
        refund = order.oms_payment_ids.filtered(lambda p: p.payment_type == "outbound")
        self.assertEqual(refund.payment_transaction_id, refund_tx)
        self.assertEqual(refund.source_payment_id, tx.payment_id)
        self.assertEqual(refund.amount, order.amount_total)
        self.assertTrue(tx.payment_id.is_reconciled)
        self.assertTrue(refund.is_reconciled)
        self.assertEqual(order.oms_payment_state, "refunded")
        self.assertEqual(order.oms_amount_paid, 0.0)

    def test_failed_provider_refund_is_reported_on_the_order(self):
        order, tx = self._card_paid_order()
        refuse = patch.object(
            type(self.env["payment.transaction"]),
            "_send_refund_request",
            side_effect=ValidationError("card expired"),
        )
        with refuse:
            order.with_env(self.user_env).action_cancel()
        self.assertEqual(tx.child_transaction_ids.state, "error")
        self.assertIn("card expired", order.message_ids[0].body)
        self.assertIn("by hand", order.message_ids[0].body)
        self.assertFalse(order.oms_payment_ids.filtered(lambda p: p.payment_type == "outbound"))

    def test_cash_on_delivery_recorded_at_delivery(self):
        order = self._order([(self.product, 3)], oms_payment_method="cod")
        order.action_confirm()
        self.assertEqual(order.oms_payment_state, "not_paid")
        self._deliver(order)
        self.assertEqual(order.oms_payment_state, "paid")
        self.assertEqual(order.oms_payment_ids.oms_method, "cod")
        self.assertEqual(order.oms_payment_ids.journal_id.type, "cash")

    def test_payment_registered_on_the_invoice_counts_for_the_order(self):
        order = self._order([(self.service, 1)])
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        register = self.user_env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        )
        payment = register.create({})._create_payments()
        self.assertEqual(payment.oms_sale_order_id, order)
        self.assertEqual(order.oms_payment_state, "paid")
