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

function chartDrawn(selector) {
    return {
        content: `A chart is drawn in ${selector}`,
        trigger: selector,
        run() {
            const chart = window.Chart && window.Chart.getChart(this.anchor);
            if (!chart || !chart.data.datasets[0].data.length) {
                throw new Error(`No chart with data in ${selector}`);
            }
        },
    };
}

// The Sales Dashboard client action: figures, charts, tables, click-through.
registry.category("web_tour.tours").add("oms_reports_sales_dashboard", {
    url: "/odoo/action-oms_reports.action_oms_sales_dashboard",
    steps: () => [
        {
            content: "The dashboard is titled Sales Dashboard",
            trigger: ".o_breadcrumb:contains(Sales Dashboard)",
        },
        {
            content: "The headline figures are shown",
            trigger: ".o_oms_kpi[data-kpi=revenue] .o_oms_kpi_value:contains(320.00)",
        },
        chartDrawn("canvas.o_oms_revenue_chart"),
        chartDrawn(".o_oms_ranking[data-ranking-key=customers] canvas.o_oms_ranking_chart"),
        {
            content: "The customers' table ranks Gamma first, new against the previous period",
            trigger:
                ".o_oms_ranking[data-ranking-key=customers] tbody tr:first-child:contains(Gamma) .o_oms_rank_change_previous:contains(new)",
        },
        {
            content: "Click on Gamma's row",
            trigger: ".o_oms_ranking[data-ranking-key=customers] .o_oms_ranking_row:contains(Gamma)",
            run: "click",
        },
        {
            content: "Gamma's orders open in a list",
            trigger: ".o_breadcrumb:contains(Top customers: Gamma)",
        },
        {
            content: "with only Gamma's orders, and the Export XLSX button",
            trigger:
                ".o_list_view:not(:has(.o_data_row td:contains(Beta))) .o_data_row td:contains(Gamma)",
        },
        {
            content: "Export what is on screen (the download fails the tour on any error)",
            trigger: ".o_control_panel .o_oms_export_xlsx",
            run: "click",
        },
        {
            content: "The list is still there, no error dialog",
            trigger: "body:not(:has(.o_error_dialog)) .o_list_view .o_data_row td:contains(Gamma)",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb a:contains(Sales Dashboard)",
            run: "click",
        },
        {
            content: "Click on the first bar of the customers' chart",
            trigger: ".o_oms_ranking[data-ranking-key=customers] canvas.o_oms_ranking_chart",
            run() {
                const canvas = this.anchor;
                const chart = window.Chart.getChart(canvas);
                const { x, y } = chart.getDatasetMeta(0).data[0].getCenterPoint();
                const rect = canvas.getBoundingClientRect();
                const init = {
                    bubbles: true,
                    clientX: rect.left + x,
                    clientY: rect.top + y,
                };
                canvas.dispatchEvent(new MouseEvent("mousemove", init));
                canvas.dispatchEvent(new MouseEvent("click", init));
            },
        },
        {
            content: "The bar opens Gamma's orders too",
            trigger: ".o_breadcrumb:contains(Top customers: Gamma)",
        },
        {
            content: "Back to the dashboard again",
            trigger: ".o_breadcrumb a:contains(Sales Dashboard)",
            run: "click",
        },
        {
            content: "Show one row per ranking",
            trigger: ".o_oms_sales_dashboard input.o_oms_row_limit",
            run: "edit 1",
        },
        {
            content: "Leave the field: the dashboard reloads",
            trigger: ".o_oms_sales_dashboard .o_oms_dashboard_note",
            run: "click",
        },
        {
            content: "Each ranking shows one row",
            trigger:
                ".o_oms_ranking[data-ranking-key=customers] tbody:not(:has(tr:nth-child(2))) tr:contains(Gamma)",
        },
    ],
});

function compareSteps(view) {
    return [
        {
            content: `Compare the periods of the ${view}`,
            trigger: `.o_${view}_view .o_control_panel .o_oms_compare_periods`,
            run: "click",
        },
        {
            content: "Bolt went up a place against the previous period",
            trigger:
                ".o_oms_compare_dialog .o_oms_compare_row:contains(Bolt) .o_oms_rank_change_previous:contains(up 1)",
        },
        {
            content: "Anvil went down a place",
            trigger:
                ".o_oms_compare_dialog .o_oms_compare_row:contains(Anvil) .o_oms_rank_change_previous:contains(down 1)",
        },
        {
            content: "Crate is new, nothing was sold last year; rank columns are shown",
            trigger:
                ".o_oms_compare_dialog:has(thead th:contains(Rank)):has(th:contains(Last year)) " +
                ".o_oms_compare_row:contains(Crate) .o_oms_rank_change_last_year:contains(new)",
        },
        {
            content: "Close the comparison",
            trigger: ".o_oms_compare_dialog .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The dialog is closed, no error",
            trigger: `body:not(:has(.o_oms_compare_dialog)):not(:has(.o_error_dialog)) .o_${view}_view`,
        },
    ];
}

// Compare Periods on a ranking's screen (pivot and list): the last 30 days against
// the previous 30 days and last year, with the change in rank.
registry.category("web_tour.tours").add("oms_reports_compare_periods", {
    url: "/odoo/action-oms_reports.action_oms_report_product",
    steps: () => [
        {
            content: "Top Products opens as a pivot",
            trigger: ".o_pivot_view .o_pivot table th:contains(Anvil)",
        },
        ...compareSteps("pivot"),
        {
            content: "Switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The list is grouped by product",
            trigger: ".o_list_view .o_group_header:contains(Anvil)",
        },
        ...compareSteps("list"),
    ],
});
