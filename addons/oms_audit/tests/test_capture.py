"""Each logged action through the path Odoo's own flows take."""

from odoo.tests import tagged

from .common import OmsAuditCommon


@tagged("post_install", "-at_install")
class TestCapture(OmsAuditCommon):
    def test_create_change_and_stage_through_web_save(self):
        env = self.env(user=self.oms_user)
        spec = {"name": {}, "state": {}}
        result = env["sale.order"].web_save(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 1})],
            },
            spec,
        )
        order = env["sale.order"].browse(result[0]["id"])
        self._commit_log()
        created = self._entries(order, "create")
        self.assertEqual(len(created), 1)
        self.assertEqual(created.stage_to, "draft")
        self.assertEqual(created.user_id, self.oms_user)
        self.assertEqual(created.channel, "cron")  # no HTTP request in this test

        order.web_save({"client_order_ref": "PO-42", "note": "<p>Gift wrap</p>"}, spec)
        order.action_confirm()
        self._commit_log()
        change = self._entries(order, "change")
        self.assertEqual(len(change), 1)
        self.assertIn("Customer Reference: ∅ → PO-42", change.details)
        stage = self._entries(order, "stage")
        self.assertEqual((stage.stage_from, stage.stage_to), ("draft", "sale"))
        self.assertEqual(stage.details, "Quotation → Sales Order")

    def test_nothing_is_logged_when_the_transaction_rolls_back(self):
        order = self._order([(self.product, 1)])
        self._commit_log()
        with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
            order.client_order_ref = "undone"
            order.action_confirm()
            self.env.flush_all()
            raise ZeroDivisionError
        order.invalidate_recordset()
        self._commit_log()
        self.assertFalse(self._entries(order, "stage"))
        self.assertFalse(self._entries(order, "change"))

    def test_salesperson_outside_oms_confirms_and_storekeeper_validates(self):
        env = self.env(user=self.salesperson)
        order = env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 2})],
            }
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self._commit_log()
        picking = order.picking_ids.with_user(self.storekeeper)
        # in a request, the cursor's flushes (at savepoints, at the commit) run in the
        # request's environment: the storekeeper's here
        self.env.transaction.default_env = picking.env
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        self.assertIs(picking.button_validate(), True)
        self.assertEqual(picking.state, "done")
        self._commit_log()
        stages = self._entries(order, "stage")
        self.assertEqual(stages.user_id, self.salesperson)
        self.assertEqual(stages.stage_to, "sale")
        # the delivery's state is computed: its creation says the stage it entered, then
        # each change of it is a stage change, by the storekeeper
        self.assertTrue(self._entries(picking, "create").stage_to)
        done = self._entries(picking, "stage").filtered(lambda entry: entry.stage_to == "done")
        self.assertEqual(done.user_id, self.storekeeper)
        # the stage progress: each stage entered, how long it stayed
        progress = self.env["oms.document.stage"].search(
            [("res_model", "=", "stock.picking"), ("res_id", "=", picking.id)], order="id"
        )
        self.assertEqual(progress[-1].stage, "done")
        self.assertTrue(progress[-1].is_current)
        self.assertTrue(all(stay.date_leave for stay in progress[:-1]))

    def test_print_export_mail_and_attachment(self):
        order = self._order([(self.product, 1)])
        self.env["ir.actions.report"]._render_qweb_pdf("sale.action_report_saleorder", order.ids)
        printed = self._entries(order, "print")
        self.assertEqual(len(printed), 1)  # the PDF, not also the HTML it is made of
        self.assertIn("Report: ", printed.details)

        order.with_env(self.env).export_data(["name", "partner_id"])
        self.assertEqual(self._entries(order, "export").details, "Fields: name, partner_id")

        order.message_post(
            body="Your quotation",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.customer.ids,
        )
        order.message_post(
            body="internal note", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        mail = self._entries(order, "mail")
        self.assertEqual(len(mail), 1)
        self.assertIn(self.customer.name, mail.details)

        self.env["ir.attachment"].create(
            {"name": "signed.pdf", "raw": b"%PDF", "res_model": "sale.order", "res_id": order.id}
        )
        self._commit_log()
        self.assertIn(
            "Attachment added: signed.pdf", self._entries(order, "change").mapped("details")
        )

    def test_models_not_audited_are_not_logged(self):
        self.env.ref("oms_audit.oms_audit_model_sale_order").active = False
        order = self._order([(self.product, 1)])
        order.action_confirm()
        order.with_env(self.env).export_data(["name"])
        self._commit_log()
        self.assertFalse(self._entries(order))
        # the deliveries still are
        self.assertTrue(self._entries(order.picking_ids, "create"))
