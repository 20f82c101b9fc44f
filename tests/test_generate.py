"""The bench data generator builds consistent data inside a test transaction, and the
same data for the same seed, size and time."""

import hashlib
import importlib.util
import sys
from datetime import datetime
from pathlib import Path
from unittest.mock import patch

from odoo.tests import TransactionCase, tagged

GENERATOR_PATH = Path(__file__).resolve().parent.parent / "bench" / "generate"
NOW = datetime(2025, 6, 30, 15, 30)
# The digest (see _digest) of the data set of setUpClass. It was first computed with the
# generator as one file (bench/generate.py at 5deb114), then with the package it became:
# the two generate the same data. A change of the data set on purpose changes it.
DATA_SET_DIGEST = "d3b95d7f40270f925a72e9d86508abff84d3166b257968dcbaaf9344f85e73a7"
# What the digest reads of each generated record: stored fields the generator writes,
# relations by their display names (stable), not the ids or the document numbers (which
# depend on what the database held before).
DIGESTED_FIELDS = {
    "res.partner": (  # not the e-mail: a contact's holds its company's id
        "name", "city", "country_id", "is_company", "parent_id", "customer_rank",
        "supplier_rank",
    ),
    "product.product": (
        "name", "default_code", "type", "is_storable", "categ_id", "product_brand_id",
        "list_price", "standard_price", "taxes_id",
    ),
    "product.supplierinfo": ("partner_id", "delay", "min_qty", "price"),
    "sale.order": (
        "state", "invoice_status", "delivery_status", "date_order", "validity_date",
        "effective_date", "partner_id", "partner_invoice_id", "partner_shipping_id",
        "fiscal_position_id", "user_id", "team_id", "source_id", "medium_id", "amount_untaxed",
        "amount_tax", "amount_total",
    ),
    "sale.order.line": (
        "sequence", "product_id", "name", "product_uom_qty", "price_unit", "discount",
        "price_subtotal", "price_tax", "price_total", "qty_delivered", "qty_invoiced",
        "qty_to_invoice", "invoice_status", "untaxed_amount_invoiced",
        "untaxed_amount_to_invoice", "purchase_price", "tax_ids",
    ),
    "stock.picking": (
        "state", "partner_id", "picking_type_id", "location_id", "location_dest_id",
        "scheduled_date", "date_deadline", "date_done",
    ),
    "stock.move": (
        "state", "product_id", "location_id", "location_dest_id", "product_uom_qty",
        "quantity", "picked", "date", "reservation_date", "value",
    ),
    "stock.move.line": ("state", "product_id", "quantity", "picked", "date"),
    "stock.quant": ("product_id", "location_id", "quantity", "reserved_quantity", "in_date"),
    "account.move": (
        "state", "move_type", "payment_state", "partner_id", "fiscal_position_id", "date",
        "invoice_date", "invoice_date_due", "delivery_date", "amount_untaxed", "amount_tax",
        "amount_total", "amount_residual", "team_id", "source_id", "medium_id",
    ),
    "account.move.line": (
        "account_id", "display_type", "product_id", "partner_id", "debit", "credit",
        "balance", "amount_residual", "quantity", "price_unit", "price_subtotal",
        "price_total", "discount", "tax_ids", "tax_line_id", "tax_base_amount",
        "date_maturity", "reconciled",
    ),
    "account.payment": (
        "state", "partner_id", "journal_id", "payment_method_line_id", "date", "amount",
        "is_reconciled", "is_matched",
    ),
    "account.partial.reconcile": ("amount", "max_date"),
}  # fmt: skip


def _load_generator():
    """The bench/generate package, under a name of its own."""
    name = "oms_bench_generate"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, GENERATOR_PATH / "__init__.py", submodule_search_locations=[str(GENERATOR_PATH)]
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _generated_records(env, expected):
    """The records of a generated data set, by model, in the order they were made."""
    orders = env["sale.order"].browse(expected["order_ids"])
    stock_products = env["product.product"].browse(list(expected["stock"]))
    products = (orders.order_line.product_id | stock_products).sorted("id")
    receipts = env["stock.picking"].search(
        [("picking_type_code", "=", "incoming"), ("product_id", "in", stock_products.ids)],
        order="id",
    )
    pickings = (orders.picking_ids | receipts).sorted("id")
    payments = env["account.payment"].browse(expected["payment_ids"]).sorted("id")
    moves = (orders.invoice_ids | payments.move_id).sorted("id")
    partners = (
        orders.partner_id | orders.partner_id.commercial_partner_id | products.seller_ids.partner_id
    ).sorted("id")
    return {
        "res.partner": partners,
        "product.product": products,
        "product.supplierinfo": products.seller_ids.sorted("id"),
        "sale.order": orders.sorted("id"),
        "sale.order.line": orders.order_line.sorted("id"),
        "stock.picking": pickings,
        "stock.move": pickings.move_ids.sorted("id"),
        "stock.move.line": pickings.move_line_ids.sorted("id"),
        "stock.quant": env["stock.quant"].search(
            [("product_id", "in", stock_products.ids)], order="product_id, location_id"
        ),
        "account.move": moves,
        "account.move.line": moves.line_ids.sorted("id"),
        "account.payment": payments,
        "account.partial.reconcile": moves.line_ids.matched_credit_ids.sorted("id"),
    }


def _value(value):
    """A field's value without ids: records by their display names."""
    if hasattr(value, "_name"):
        return tuple(value.mapped("display_name"))
    return value


def _digest(env, expected):
    """A digest of what the generator wrote, independent of the ids and document numbers
    the database hands out."""
    env.invalidate_all()
    content = []
    for model, records in _generated_records(env, expected).items():
        fields_ = DIGESTED_FIELDS[model]
        rows = [tuple(_value(record[name]) for name in fields_) for record in records]
        content.append((model, len(rows), rows))
    return hashlib.sha256(repr(content).encode()).hexdigest()


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
            cls.env,
            40,
            seed=7,
            progress=cls.messages.append,
            commit=False,
            now=NOW,
            paid_quotations=6,
        )
        cls.orders = cls.env["sale.order"].browse(cls.expected["order_ids"])
        cls.campaign_domain = [("campaign_id", "=", cls.expected["campaign_id"])]

    def test_same_data_for_the_same_seed_size_and_time(self):
        self.assertEqual(_digest(self.env, self.expected), DATA_SET_DIGEST)

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
