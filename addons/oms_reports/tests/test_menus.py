from lxml import etree

from odoo.addons.oms_extended.tests.common import OmsCommon
from odoo.addons.oms_extended.tests.test_menus import oms_menu_tree, open_action
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

LINES, ORDERS = "oms.report.line", "oms.report.order"
BY_REVENUE = ["net_amount", "order_count", "avg_amount"]
PRODUCTS = ["net_amount", "net_qty", "net_margin"]
# action: (model, grouped by, measures (the first one orders), graph type and order)
ACTIONS = {
    "action_oms_report_product": (LINES, "product_id", PRODUCTS, "bar", "desc"),
    "action_oms_report_best_seller": (
        LINES,
        "product_id",
        ["net_qty", "order_count"],
        "bar",
        "desc",
    ),
    "action_oms_report_brand": (LINES, "brand_id", PRODUCTS, "bar", "desc"),
    "action_oms_report_category": (LINES, "categ_id", PRODUCTS, "bar", "desc"),
    "action_oms_report_customer": (ORDERS, "partner_id", BY_REVENUE, "bar", "desc"),
    "action_oms_report_order": (
        ORDERS,
        "order_id",
        ["net_amount", "net_margin", "qty"],
        "bar",
        "desc",
    ),
    "action_oms_report_country": (ORDERS, "country_id", BY_REVENUE, "bar", "desc"),
    "action_oms_report_channel": (ORDERS, "team_id", BY_REVENUE, "bar", "desc"),
    "action_oms_report_day": (ORDERS, "date:day", BY_REVENUE, "line", "asc"),
}


@tagged("post_install", "-at_install")
class TestOmsReportsMenus(OmsCommon):
    def test_oms_user_opens_sales_analysis(self):
        tree = oms_menu_tree(self.env(user=self.oms_user))
        self.assertIn("oms_reports.menu_oms_sales_analysis", tree)
        self.assertNotIn("oms_reports.menu_oms_brands", tree)
        menu = tree["oms_reports.menu_oms_sales_analysis"]
        self.assertIn("records", open_action(self.env(user=self.oms_user), menu))

    def test_oms_user_opens_every_ranking(self):
        env = self.env(user=self.oms_user)
        tree = oms_menu_tree(env)
        ours = [xmlid for xmlid in tree if xmlid.startswith("oms_reports.menu_oms_report_")]
        self.assertEqual(len(ours), 10)  # 9 rankings and the dashboard
        self.assertIn("oms_reports.menu_oms_report_dashboard", ours)
        self.assertNotIn("oms_reports.menu_oms_report_schedules", ours)
        for xmlid in ours:
            with self.subTest(menu=xmlid):
                if xmlid == "oms_reports.menu_oms_report_dashboard":
                    continue  # a client action: see TestSalesDashboard
                self.assertIn("records", open_action(env, tree[xmlid]))

    def test_oms_manager_manages_brands(self):
        env = self.env(user=self.oms_manager)
        tree = oms_menu_tree(env)
        self.assertIn("oms_reports.menu_oms_brands", tree)
        open_action(env, tree["oms_reports.menu_oms_brands"])
        open_action(env, tree["oms_reports.menu_oms_report_schedules"])
        brand = env["product.brand"].create({"name": "Acme"})
        product = self.env["product.template"].create(
            {"name": "Anvil", "product_brand_id": brand.id}
        )
        self.assertEqual(brand.products_count, 1)
        self.assertEqual(product.product_brand_id.name, "Acme")

    def test_each_ranking_action_groups_measures_and_orders(self):
        """Nine actions on two models: each its grouping, its measures (pivot and list
        columns) and its order (pivot, list and graph), as the web client reads them:
        the pivot's and the graph's from the action's context, else from the views."""
        for xmlid, (model, groupby, measures, graph_type, graph_order) in ACTIONS.items():
            with self.subTest(action=xmlid):
                action = self.env.ref(f"oms_reports.{xmlid}")
                self.assertEqual(action.res_model, model)
                self.assertEqual([mode for __, mode in action.views], ["pivot", "graph", "list"])
                views = self.env[model].get_views(action.views)["views"]
                pivot, graph, list_ = (
                    etree.fromstring(views[mode]["arch"]) for mode in ("pivot", "graph", "list")
                )
                context = safe_eval(action.context)
                self.assertEqual(context["group_by"], [groupby])
                arch_measures = [
                    node.get("name")
                    for node in pivot.iter("field")
                    if node.get("type") == "measure"
                ]
                self.assertEqual(context.get("pivot_measures", arch_measures), measures)
                columns = [
                    node.get("name")
                    for node in list_.iter("field")
                    if node.get("sum") or node.get("avg")
                ]
                self.assertEqual(columns, measures)
                order = f"{measures[0]} desc"
                self.assertEqual(
                    (pivot.get("default_order"), list_.get("default_order")), (order, order)
                )
                [graph_measure] = [
                    node.get("name")
                    for node in graph.iter("field")
                    if node.get("type") == "measure"
                ]
                self.assertEqual(context.get("graph_measure", graph_measure), measures[0])
                self.assertEqual(
                    (
                        context.get("graph_mode", graph.get("type")),
                        context.get("graph_order", graph.get("order")),
                    ),
                    (graph_type, graph_order),
                )
