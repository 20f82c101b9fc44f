"""Collection methods come from Odoo's records: the journal's incoming payment method
lines for cash and bank transfers, the provider and payment method for online payments."""

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import OmsOrderCommon


@tagged("post_install", "-at_install")
class TestCollectionMethodLines(OmsOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.default_rule.confirm_policy = "never"
        manual_in = cls.env.ref("account.account_payment_method_manual_in")
        # A second incoming method on the bank journal, as an accountant adds one.
        cls.bank_journal.inbound_payment_method_line_ids = [
            Command.create({"name": "Cheque deposit", "payment_method_id": manual_in.id})
        ]
        cls.cheque_line = cls.bank_journal.inbound_payment_method_line_ids.filtered(
            lambda line: line.name == "Cheque deposit"
        )
        cls.billing_user = new_test_user(
            cls.env, login="oms_billing", groups="account.group_account_invoice"
        )

    def test_wizard_offers_the_journal_method_lines(self):
        order = self._order([(self.service, 1)])
        wizard = self._payment_wizard(order, method="bank_transfer")
        self.assertEqual(wizard.journal_id, self.bank_journal)
        self.assertEqual(
            wizard.available_payment_method_line_ids,
            self.bank_journal._get_available_payment_method_lines("inbound"),
        )
        self.assertEqual(wizard.payment_method_line_id.code, "manual")
        self.assertFalse(wizard.payment_method_line_id.payment_provider_id)
        wizard.payment_method_line_id = self.cheque_line
        wizard.amount = 20.0
        wizard.action_register()
        payment = order.oms_payment_ids
        self.assertEqual(payment.payment_method_line_id, self.cheque_line)
        self.assertEqual(payment.oms_method, "bank_transfer")

        cash = self._payment_wizard(order, method="cash")
        self.assertEqual(cash.journal_id, self.cash_journal)
        self.assertIn(
            cash.payment_method_line_id,
            self.cash_journal._get_available_payment_method_lines("inbound"),
        )
        cash.action_register()
        self.assertEqual(
            order.oms_payment_ids.filtered(lambda p: p.oms_method == "cash").journal_id,
            self.cash_journal,
        )

    def test_method_line_of_another_journal_is_refused(self):
        order = self._order([(self.service, 1)])
        with self.assertRaisesRegex(UserError, "not a payment method of the journal"):
            order._oms_register_payment(
                10.0, "cash", journal=self.cash_journal, payment_method_line=self.cheque_line
            )
        self.assertFalse(order.oms_payment_ids)

    def test_payment_made_in_odoo_gets_its_method_from_the_journal(self):
        """A billing user records a payment for the order in Odoo's own way: our
        collection method follows the journal."""
        order = self._order([(self.service, 1)])
        Payment = self.env(user=self.billing_user)["account.payment"]
        for journal, method in ((self.cash_journal, "cash"), (self.bank_journal, "bank_transfer")):
            payment = Payment.create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": self.customer.id,
                    "amount": 10.0,
                    "journal_id": journal.id,
                    "oms_sale_order_id": order.id,
                }
            )
            self.assertEqual(payment.oms_method, method)

    def test_transaction_method_from_provider_and_payment_method(self):
        order = self._order([(self.service, 1)])
        Tx = self.env["payment.transaction"]
        cod = self.env.ref("delivery.payment_provider_cod")
        wire = self.env.ref("payment.payment_provider_transfer", raise_if_not_found=False)
        demo = self.env.ref("payment.payment_provider_demo")
        cases = [(cod, cod.payment_method_ids[:1], "cod")]
        if wire:
            cases.append((wire, wire.payment_method_ids[:1], "bank_transfer"))
        card = self.env.ref("payment.payment_method_card", raise_if_not_found=False)
        if card:
            cases.append((demo, card, "card"))
        for index, (provider, method, expected) in enumerate(cases):
            tx = Tx.new(
                {
                    "provider_id": provider.id,
                    "payment_method_id": method.id,
                    "reference": f"T-{index}",
                    "amount": 1.0,
                    "currency_id": order.currency_id.id,
                    "partner_id": self.customer.id,
                }
            )
            self.assertEqual(tx._oms_method(), expected, provider.name)
