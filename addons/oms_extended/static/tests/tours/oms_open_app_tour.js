import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// Open the Order Management app from the web client's app menu.
registry.category("web_tour.tours").add("oms_open_app", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("oms_extended.menu_oms_root", "Open Order Management"),
        {
            content: "Order Management shows its menus",
            trigger: ".o_main_navbar .o_menu_brand:contains(Order Management)",
        },
        {
            content: "The first menu, the Order Board, is open",
            trigger: ".o_last_breadcrumb_item:contains(Order Board)",
        },
        {
            content: "and shows the orders by status",
            trigger: ".o_action_manager .o_kanban_view",
        },
    ],
});
