from odoo.tests import tagged
from odoo.tools.safe_eval import datetime, safe_eval

from .common import OmsCommon

OMS_USER_MENUS = {
    "oms_extended.menu_oms_orders",
    "oms_extended.menu_oms_order_board",
    "oms_extended.menu_oms_quotations",
    "oms_extended.menu_oms_sale_orders",
    "oms_extended.menu_oms_payments",
    "oms_extended.menu_oms_customer_invoices",
    "oms_extended.menu_oms_customer_payments",
    "oms_extended.menu_oms_shipping",
    "oms_extended.menu_oms_deliveries",
    "oms_extended.menu_oms_customers",
    "oms_extended.menu_oms_customer_list",
}
OMS_MANAGER_MENUS = OMS_USER_MENUS | {
    "oms_extended.menu_oms_config",
    "oms_extended.menu_oms_sales_teams",
    "oms_extended.menu_oms_delivery_carriers",
    "oms_extended.menu_oms_workflows",
}


def oms_menu_tree(env):
    """The Order Management menus the env's user sees, as the web client loads them."""
    menus = env["ir.ui.menu"].load_menus(debug=False)
    root_id = env.ref("oms_extended.menu_oms_root").id
    if root_id not in menus:
        return {}
    seen, todo = {}, list(menus[root_id]["children"])
    while todo:
        menu = menus[todo.pop()]
        seen[menu["xmlid"]] = menu
        todo.extend(menu["children"])
    return seen


def open_action(env, menu):
    """Do what the web client does when a menu is clicked: load the action, its
    views and the first page of records, as the env's user."""
    action = env[menu["action_model"]].browse(menu["action_id"])
    data = action._get_action_dict()
    eval_ctx = {
        "uid": env.uid,
        "context_today": datetime.date.today,
        "datetime": datetime,
        "allowed_company_ids": env.user.company_ids.ids,
        "active_id": False,
        "active_ids": [],
    }
    context = safe_eval(data.get("context") or "{}", eval_ctx)
    domain = safe_eval(data.get("domain") or "[]", eval_ctx)
    records = env[data["res_model"]].with_context(**context)
    views = [(view_id, view_type) for view_id, view_type in data["views"]]
    records.get_views(views, {"load_filters": True})
    return records.web_search_read(domain, specification={"display_name": {}}, limit=80)


@tagged("post_install", "-at_install")
class TestOmsMenus(OmsCommon):
    def test_app_menu_hidden_from_plain_employees(self):
        self.assertFalse(oms_menu_tree(self.env(user=self.employee)))

    def test_oms_user_sees_and_opens_every_menu(self):
        self._check_menus(self.oms_user, OMS_USER_MENUS, hidden={"oms_extended.menu_oms_config"})

    def test_oms_manager_sees_and_opens_every_menu(self):
        self._check_menus(self.oms_manager, OMS_MANAGER_MENUS)

    def _check_menus(self, user, expected, hidden=()):
        env = self.env(user=user)
        tree = oms_menu_tree(env)
        self.assertLessEqual(expected, set(tree))
        for xmlid in hidden:
            self.assertNotIn(xmlid, tree)
        for xmlid, menu in tree.items():
            if menu["action_model"] == "ir.actions.client":
                # a client action (e.g. the Sales Dashboard) loads its own data: its addon's
                # tests open it; here, the user can read the action and it names its screen
                with self.subTest(menu=xmlid):
                    action = env["ir.actions.client"].browse(menu["action_id"])
                    self.assertTrue(action._get_action_dict()["tag"])
            elif menu["action_id"]:
                with self.subTest(menu=xmlid):
                    result = open_action(env, menu)
                    self.assertIn("records", result)
