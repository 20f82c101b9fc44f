"""Creations, changes and deletions are logged in the transaction of the change: what a
commit runs before its COMMIT writes them, and nothing after the commit is needed."""

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import OmsAuditCommon


@tagged("post_install", "-at_install")
class TestAtomicChanges(OmsAuditCommon):
    def _before_commit(self):
        """What a commit runs before its COMMIT (the flush and the pre-commit hooks); then
        the post-commit hooks are dropped, as by a crash right after the COMMIT."""
        self._commit_log()
        self.env.cr.postcommit.clear()

    def _draft_picking(self, env):
        """A draft delivery without moves: a storekeeper may delete it (not its moves)."""
        warehouse = self.warehouse
        return env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": self.customer.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": self.customer.property_stock_customer.id,
            }
        )

    def test_salesperson_changes_are_in_the_transaction(self):
        env = self.env(user=self.salesperson)
        order = env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )
        self._before_commit()
        self.assertEqual(self._entries(order, "create").user_id, self.salesperson)

        order.client_order_ref = "PO-7"
        order.action_confirm()
        self._before_commit()
        change = self._entries(order, "change")
        self.assertIn("Customer Reference: ∅ → PO-7", change.details)
        self.assertEqual(change.user_id, self.salesperson)
        stage = self._entries(order, "stage")
        self.assertEqual((stage.stage_from, stage.stage_to), ("draft", "sale"))
        # the confirmation's delivery too, created in the same transaction
        self.assertTrue(self._entries(order.picking_ids, "create"))
        # nothing of the trail is left to run after the commit
        self.assertFalse(self.env.cr.postcommit.data.get("oms_audit.changes"))

    def test_storekeeper_changes_then_deletes_a_delivery(self):
        env = self.env(user=self.storekeeper)
        picking = self._draft_picking(env)
        picking_id, name = picking.id, picking.name
        self._before_commit()
        self.assertEqual(len(self._entries(picking, "create")), 1)

        # one transaction: changed, then deleted
        picking.origin = "Phone order 12"
        picking.unlink()
        self._before_commit()
        entries = self.Log.sudo().search(
            [("res_model", "=", "stock.picking"), ("res_id", "=", picking_id)], order="id"
        )
        self.assertEqual(entries.mapped("action"), ["create", "change", "delete"])
        change, deletion = entries[1], entries[2]
        self.assertIn("Source Document: ∅ → Phone order 12", change.details)
        self.assertEqual(change.user_id, self.storekeeper)
        self.assertEqual(deletion.user_id, self.storekeeper)
        self.assertEqual(deletion.res_name, name)
        self.assertEqual(deletion.stage_from, "draft")
        self.assertIn(f"Contact: {self.customer.name}", deletion.details)
        self.assertIn("Source Document: Phone order 12", deletion.details)

    def test_created_and_deleted_in_one_transaction(self):
        picking = self._draft_picking(self.env(user=self.storekeeper))
        picking_id = picking.id
        picking.unlink()
        self._before_commit()
        entries = self.Log.sudo().search(
            [("res_model", "=", "stock.picking"), ("res_id", "=", picking_id)], order="id"
        )
        self.assertEqual(entries.mapped("action"), ["create", "delete"])

        # a deletion that fails (a confirmed order) logs nothing
        order = self._order([(self.product, 1)])
        order.action_confirm()
        self._commit_log()
        with self.assertRaises(UserError), self.env.cr.savepoint():  # or AccessError
            order.with_user(self.oms_manager).unlink()
        self._commit_log()
        self.assertTrue(order.exists())
        self.assertFalse(self._entries(order, "delete"))

    def test_billing_user_deletes_a_draft_invoice(self):
        env = self.env(user=self.billing_user)
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [
                    Command.create({"product_id": self.service.id, "price_unit": 80.0})
                ],
            }
        )
        self._before_commit()
        invoice.ref = "Changed before deletion"
        invoice.unlink()
        self._before_commit()
        deletion = self.Log.sudo().search(
            [
                ("res_model", "=", "account.move"),
                ("res_id", "=", invoice.id),
                ("action", "=", "delete"),
            ]
        )
        self.assertEqual(deletion.user_id, self.billing_user)
        self.assertIn("Total: 80.0", deletion.details)
        self.assertIn(f"Partner: {self.customer.name}", deletion.details)
        self.assertTrue(
            self.Log.sudo().search_count(
                [
                    ("res_model", "=", "account.move"),
                    ("res_id", "=", invoice.id),
                    ("action", "=", "change"),
                ]
            )
        )

    def test_entries_of_deleted_documents_are_for_auditors(self):
        picking = self._draft_picking(self.env(user=self.storekeeper))
        picking_id = picking.id
        picking.unlink()
        self._commit_log()
        domain = [("res_model", "=", "stock.picking"), ("res_id", "=", picking_id)]
        # the storekeeper can no longer read the delivery, nor its entries
        self.assertFalse(self.Log.with_user(self.storekeeper).search(domain))
        self.assertFalse(self.Log.with_user(self.salesperson).search(domain))
        entries = self.Log.with_user(self.oms_manager).search(domain)
        self.assertEqual(set(entries.mapped("action")), {"create", "delete"})

    def test_attachment_added_and_deleted(self):
        order = self._order([(self.product, 1)])
        attachment = self.env["ir.attachment"].create(
            {"name": "signed.pdf", "raw": b"%PDF", "res_model": "sale.order", "res_id": order.id}
        )
        self._before_commit()
        attachment.unlink()
        self._before_commit()
        details = self._entries(order, "change").mapped("details")
        self.assertIn("Attachment added: signed.pdf", details)
        self.assertIn("Attachment deleted: signed.pdf", details)
