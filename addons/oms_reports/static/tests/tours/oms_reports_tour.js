import { registry } from "@web/core/registry";

// A ranking opens as a pivot, switches to its graph and list views.
registry.category("web_tour.tours").add("oms_reports_ranking", {
    url: "/odoo/action-oms_reports.action_oms_report_product",
    steps: () => [
        {
            content: "Top Products opens as a pivot with the products in rows",
            trigger: ".o_pivot_view .o_pivot table th:contains(Anvil)",
        },
        {
            content: "Switch to the graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The graph is shown",
            trigger: ".o_graph_view canvas",
        },
        {
            content: "Switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The list is grouped by product",
            trigger: ".o_list_view .o_group_header:contains(Anvil)",
        },
    ],
});

// Best sellers: the same model as Top Products, its own measures and order.
registry.category("web_tour.tours").add("oms_reports_best_sellers", {
    url: "/odoo/action-oms_reports.action_oms_report_best_seller",
    steps: () => [
        {
            content: "The pivot measures units sold and orders, not revenue",
            trigger: ".o_pivot_view:not(:has(thead th:contains(Revenue))) thead th:contains(Units Sold)",
        },
        {
            content: "Bolt, the most units, comes first",
            trigger: ".o_pivot_view tbody tr:nth-child(2) th:contains(Bolt)",
        },
        {
            content: "Switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The list shows units and orders, Bolt first",
            trigger:
                ".o_list_view:not(:has(th[data-name=net_amount])):has(th[data-name=order_count]) " +
                "tbody tr.o_group_header:first-child:contains(Bolt)",
        },
    ],
});

// The dashboard shows the top of every ranking and exports the workbook.
registry.category("web_tour.tours").add("oms_reports_dashboard", {
    url: "/odoo/action-oms_reports.action_oms_report_dashboard",
    steps: () => [
        {
            content: "The dashboard shows the rankings",
            trigger: ".o_oms_dashboard .card-header:contains(Top products)",
        },
        {
            content: "with their rows",
            trigger: ".o_oms_dashboard [name=customers] td:contains(Beta)",
        },
        {
            content: "The export button is there",
            trigger: "button[name=action_export_xlsx]",
        },
    ],
});
