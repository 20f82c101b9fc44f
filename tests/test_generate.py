"""The bench data generator builds consistent data inside a test transaction."""

import importlib.util
from pathlib import Path
from unittest.mock import patch

from odoo.tests import TransactionCase, tagged

GENERATOR_PATH = Path(__file__).resolve().parent.parent / "bench" / "generate.py"


def _load_generator():
    spec = importlib.util.spec_from_file_location("oms_bench_generate", GENERATOR_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestGenerate(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.generator = _load_generator()
        cls.messages = []
        # the rule the paid quotations follow (most specific: the company's)
        cls.rule = cls.env["oms.workflow"].create(
            {
                "name": "Generated paid quotations",
                "sequence": 0,
                "company_id": cls.env.company.id,
                "confirm_policy": "paid",
                "invoice_policy": "confirm",
                "post_invoice": True,
                "reconcile_payments": True,
            }
        )
        cls.expected = cls.generator.generate(
            cls.env, 40, seed=7, progress=cls.messages.append, commit=False, paid_quotations=6
        )
        cls.orders = cls.env["sale.order"].browse(cls.expected["order_ids"])
        cls.campaign_domain = [("campaign_id", "=", cls.expected["campaign_id"])]

    def test_self_check_passes(self):
        report = self.generator.check(self.env, self.expected, out=self.messages.append)
        self.assertTrue(any("0 mismatches" in line for line in report), report)
        self.assertTrue(any(msg.startswith("[orders]") for msg in self.messages))

    def test_every_state_is_present(self):
        self.assertEqual(set(self.orders.mapped("state")), {"draft", "sent", "sale", "cancel"})
        self.assertEqual(
            set(self.expected["buckets"]), {*self.generator.BUCKETS, self.generator.PREPAID}
        )
        confirmed = self.orders.filtered(lambda o: o.state == "sale")
        self.assertEqual(set(confirmed.mapped("invoice_status")), {"to invoice", "invoiced"})
        pickings = self.orders.picking_ids
        self.assertEqual(set(pickings.mapped("state")), {"assigned", "done"})
        invoices = self.orders.invoice_ids
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        self.assertEqual(set(invoices.mapped("payment_state")), {"not_paid", "paid"})

    def test_customers_in_several_countries(self):
        groups = self.env["sale.report"]._read_group(self.campaign_domain, ["country_id"])
        self.assertGreaterEqual(len(groups), 5)

    def test_paid_invoices_are_settled(self):
        paid = self.orders.invoice_ids.filtered(lambda m: m.payment_state == "paid")
        self.assertTrue(paid)
        for invoice in paid:
            self.assertEqual(invoice.amount_residual, 0.0)
            receivable = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
            self.assertTrue(receivable.reconciled)
            self.assertTrue(receivable.full_reconcile_id)
            payment = self.env["account.payment"].search([("invoice_ids", "in", invoice.ids)])
            self.assertEqual(payment.state, "paid")
            self.assertEqual(payment.amount, invoice.amount_total)
            self.assertEqual(payment.reconciled_invoice_ids, invoice)
        unpaid = self.orders.invoice_ids - paid
        for invoice in unpaid:
            self.assertEqual(invoice.amount_residual, invoice.amount_total)

    def test_order_payment_status_follows_the_payments(self):
        paid = self.orders.filtered(lambda o: o.invoice_ids.payment_state == "paid")
        self.assertTrue(paid)
        for order in paid:
            self.assertEqual(order.oms_payment_ids.oms_sale_order_id, order)
            self.assertEqual(order.oms_payment_state, "paid")
            self.assertEqual(order.oms_amount_due, 0.0)
        unpaid = self.orders.filtered(lambda o: o.invoice_ids.payment_state == "not_paid")
        self.assertEqual(set(unpaid.mapped("oms_payment_state")), {"not_paid"})

    def test_lines_have_margins(self):
        lines = self.orders.order_line
        self.assertTrue(all(line.purchase_price > 0 for line in lines))
        for line in lines:
            self.assertAlmostEqual(
                line.margin, line.price_subtotal - line.purchase_price * line.product_uom_qty, 2
            )
        self.assertAlmostEqual(sum(self.orders.mapped("margin")), sum(lines.mapped("margin")), 2)

    def test_invoices_are_balanced(self):
        for move in self.orders.invoice_ids:
            self.assertAlmostEqual(sum(move.line_ids.mapped("balance")), 0.0, places=2)
            order = move.line_ids.sale_line_ids.order_id
            self.assertEqual(len(order), 1)
            self.assertAlmostEqual(move.amount_total, order.amount_total, places=2)

    def test_sale_report_matches_orders(self):
        [(report_untaxed, report_qty)] = self.env["sale.report"]._read_group(
            self.campaign_domain, [], ["price_subtotal:sum", "product_uom_qty:sum"]
        )
        self.assertAlmostEqual(report_untaxed, sum(self.orders.mapped("amount_untaxed")), places=2)
        self.assertEqual(report_qty, sum(self.orders.order_line.mapped("product_uom_qty")))
        by_brand = self.env["sale.report"]._read_group(
            self.campaign_domain, ["product_tmpl_id.product_brand_id"], ["price_total:sum"]
        )
        self.assertGreater(len(by_brand), 1)
        by_team = self.env["sale.report"]._read_group(self.campaign_domain, ["team_id"])
        self.assertGreater(len(by_team), 1)

    def test_delivered_quantities_and_stock(self):
        done_moves = self.orders.picking_ids.move_ids.filtered(lambda m: m.state == "done")
        for move in done_moves:
            self.assertEqual(move.sale_line_id.qty_delivered, move.quantity)
        for product_id, qty in self.expected["stock"].items():
            product = self.env["product.product"].browse(product_id)
            self.assertAlmostEqual(product.qty_available, qty)
            self.assertGreaterEqual(product.qty_available, 0)

    def test_paid_quotations_are_open_payments(self):
        quotations = self.env["sale.order"].browse(self.expected["paid_quotation_ids"])
        self.assertEqual(len(quotations), 6)
        for order in quotations:
            self.assertEqual(order.state, "draft")
            payment = order.oms_payment_ids
            self.assertEqual(len(payment), 1)
            self.assertEqual((payment.memo, payment.amount), (order.name, order.amount_total))
            self.assertFalse(payment.is_reconciled)
            receivable = payment.move_id.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            )
            self.assertEqual(receivable.amount_residual, -order.amount_total)
            self.assertEqual((order.oms_payment_state, order.oms_amount_due), ("paid", 0.0))
            self.assertTrue(order.oms_needs_automation)

    def test_paid_quotations_run_through_the_automation(self):
        """The data set the automation benchmark feeds to the cron: each paid quotation
        ends confirmed, invoiced and paid by its own payment."""
        quotations = self.env["sale.order"].browse(self.expected["paid_quotation_ids"])
        self.assertEqual(quotations.oms_workflow_id, self.rule)
        self.env["sale.order"].search(
            [("id", "not in", quotations.ids)]
        ).oms_needs_automation = False
        # the test transaction cannot commit: the cron's batches are not committed
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", return_value=1.0):
            self.env["sale.order"]._cron_oms_apply_automation(batch_size=4)
        for order in quotations:
            self.assertEqual(order.state, "sale")
            self.assertEqual(order.invoice_ids.state, "posted")
            self.assertIn(order.invoice_ids.payment_state, ("paid", "in_payment"))
            self.assertEqual(order.invoice_ids.amount_total, order.amount_total)
            self.assertTrue(order.oms_payment_ids.is_reconciled)
            self.assertFalse(order.oms_needs_automation)
