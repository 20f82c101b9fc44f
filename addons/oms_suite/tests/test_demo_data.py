"""The demo data shows every feature: the builders that the addons' demo/ files call
(``oms.demo._oms_demo_build_*``) run here, on the test database (created without demo
data), and every Order Management menu then opens on records, as `make run` shows them."""

from odoo.addons.oms_extended.order_states import OMS_STATES, PAID_STATES, state_keys
from odoo.addons.oms_extended.tests.test_menus import oms_menu_tree, open_action
from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, new_test_user, tagged

# The builders, in the order the addons' demo files run (dependencies first).
BUILDERS = (
    "_oms_demo_build_orders",  # oms_extended
    "_oms_demo_build_shipments",  # oms_shipping
    "_oms_demo_build_reorder",  # oms_replenishment
    "_oms_demo_build_lifecycle",  # oms_customer_lifecycle
    "_oms_demo_build_reports",  # oms_reports
    "_oms_demo_build_audit",  # oms_audit
)
# The collection methods a customer pays by (all but "other").
METHODS = ("card", "paypal", "bank_transfer", "cash", "cod")
# Menus that need no demo records: the purges of the access log appear when the retention
# cron removes entries older than the retention period (years), which a demo cannot have
# without purging its own log; menus of the bridges `make run` does not install.
NOT_DEMO_MENUS = {"oms_audit.menu_oms_document_log_purge"}
MAKE_RUN_ADDONS = {"oms_suite", *get_manifest("oms_suite")["depends"]}


def demo_menu_counts(env):
    """{menu xmlid: number of records its action lists} for the Order Management menus the
    env's user sees that open a list of records (not a client action, not a wizard)."""
    counts = {}
    for xmlid, menu in oms_menu_tree(env).items():
        if not menu["action_id"] or menu["action_model"] != "ir.actions.act_window":
            continue
        action = env["ir.actions.act_window"].browse(menu["action_id"])._get_action_dict()
        if action.get("target") == "new":
            continue
        counts[xmlid] = open_action(env, menu)["length"]
    return counts


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # oms_extended's demo/oms_workflow_demo.xml: the default automation rule is on
        cls.env.ref("oms_extended.oms_workflow_default").active = True
        Demo = cls.env["oms.demo"]
        for builder in BUILDERS:
            getattr(Demo, builder)()
        cls.env.flush_all()
        cls.env.cr.precommit.run()  # the access log writes its entries before a commit
        cls.manager = new_test_user(
            cls.env, login="oms_demo_manager", groups="oms_extended.group_oms_manager"
        )
        cls.orders = cls.env["sale.order"].search(
            [("partner_id", "in", cls.env["oms.demo"]._oms_demo_customers().ids)]
        )

    def test_an_order_in_every_status_of_the_order_board(self):
        self.assertEqual(set(self.orders.mapped("oms_state")), set(state_keys(OMS_STATES)))

    def test_paid_by_each_collection_method(self):
        payments = self.orders.oms_payment_ids.filtered(lambda p: p.state in PAID_STATES)
        self.assertEqual(set(payments.mapped("oms_method")), set(METHODS))
        done = self.orders.filtered(lambda o: o.oms_state == "done")
        self.assertTrue({"bank_transfer", "card", "cod"} <= set(done.mapped("oms_payment_method")))
        self.assertTrue(all(o.oms_payment_state == "paid" for o in done))

    def test_shipments_tracked_one_late_one_in_exception(self):
        # every done delivery has its shipment; those with a carrier's number are tracked
        shipments = self.orders.oms_shipment_ids.filtered("tracking_ref")
        self.assertEqual(len(shipments), 4)
        self.assertTrue(all(shipments.mapped("event_ids")))
        self.assertEqual(
            sorted(shipments.mapped("status")),
            ["delivered", "exception", "in_transit", "picked_up"],
        )
        self.assertEqual(len(shipments.filtered("is_late")), 1)
        exception = shipments.filtered(lambda s: s.status == "exception")
        self.assertEqual(exception.sale_id.oms_state, "exception")
        self.assertEqual(exception.sale_id.oms_exception_type, "shipment")

    def test_reorder_policy_computed_with_stock_at_risk(self):
        policy = self.env["oms.reorder.policy"].search([("last_run", "!=", False)])
        self.assertTrue(policy)
        at_risk = policy.line_ids.filtered("at_risk")
        self.assertEqual(at_risk.product_id.default_code, "OMS-DEMO-SINGLE")
        self.assertTrue(policy.line_ids - at_risk, "a product with enough stock too")
        self.assertTrue(at_risk.orderpoint_id)
        purchase = self.env["purchase.order.line"].search(
            [("product_id", "=", at_risk.product_id.id)]
        )
        self.assertEqual(purchase.order_id.state, "purchase", "ordered, confirmed by the policy")

    def test_customer_figures_segment_changes_and_win_back(self):
        customer = self.env["res.partner"].search([("name", "=", "Vilnius Coffee House")])
        self.assertEqual(customer.oms_segment, "at_risk")
        history = self.env["oms.customer.segment.history"].search(
            [("partner_id", "=", customer.id)], order="date, id"
        )
        self.assertEqual(history[-1].to_segment, "at_risk")
        self.assertTrue(history[-1].from_segment)
        lead = self.env["crm.lead"].search(
            [("partner_id", "=", customer.id), ("oms_is_retention", "=", True)]
        )
        self.assertEqual(len(lead), 1)
        self.assertTrue(self.env["oms.customer.stat"].search_count([]) >= 6)

    def test_access_log_and_stage_progress(self):
        logs = self.env["oms.document.log"].search([("res_model", "=", "sale.order")])
        self.assertTrue({"create", "view", "stage"} <= set(logs.mapped("action")))
        stages = self.env["oms.document.stage"].search([("res_model", "=", "sale.order")])
        self.assertTrue({"draft", "sale"} <= set(stages.mapped("stage")))

    def test_a_scheduled_report_sent_once(self):
        schedule = self.env["oms.report.schedule"].search([])
        self.assertEqual(len(schedule), 1)
        self.assertTrue(schedule.last_sent)
        self.assertFalse(schedule.last_error)

    def test_every_menu_opens_on_records(self):
        counts = demo_menu_counts(self.env(user=self.manager))
        self.assertIn("oms_replenishment.menu_oms_stock_at_risk", counts)
        empty = {
            xmlid
            for xmlid, count in counts.items()
            if not count and xmlid not in NOT_DEMO_MENUS and xmlid.split(".")[0] in MAKE_RUN_ADDONS
        }
        self.assertFalse(empty, counts)
