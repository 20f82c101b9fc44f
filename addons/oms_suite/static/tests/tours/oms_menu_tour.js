import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// Every menu of the Order Management app that an OMS user sees, as
// [section, menu item, title of the view it opens].
const OMS_USER_MENUS = [
    ["Orders", "Order Board", "Order Board"],
    ["Orders", "Quotations", "Quotations"],
    ["Orders", "Sales Orders", "Sales Orders"],
    ["Payments", "Invoices", "Invoices"],
    ["Payments", "Customer Payments", "Customer Payments"],
    ["Shipping", "Deliveries", "Deliveries"],
    ["Purchasing", "Replenishment", "Replenishment"],
    ["Purchasing", "Purchase Orders", "Purchase Orders"],
    ["Customers", "Customers", "Customers"],
    ["Customers", "Pipeline", "Pipeline"],
];

function openMenuSteps([section, item, title]) {
    return [
        {
            content: `Open the ${section} section`,
            trigger: `.o_menu_sections .dropdown-toggle:contains(${section})`,
            run: "click",
        },
        {
            content: `Open ${section} > ${item}`,
            trigger: `.o-dropdown--menu .dropdown-item:contains(${item})`,
            run: "click",
        },
        {
            content: `${title} is shown`,
            trigger: `.o_last_breadcrumb_item:contains(${title})`,
        },
        {
            content: `${title} has loaded its view`,
            trigger: ".o_action_manager .o_view_controller",
        },
    ];
}

registry.category("web_tour.tours").add("oms_open_menus", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("oms_extended.menu_oms_root", "Open Order Management"),
        {
            content: "Order Management is open",
            trigger: ".o_main_navbar .o_menu_brand:contains(Order Management)",
        },
        ...OMS_USER_MENUS.flatMap(openMenuSteps),
    ],
});
