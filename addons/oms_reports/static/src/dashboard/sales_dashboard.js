import { Component, onWillStart, onWillUnmount, useEffect, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { getColor } from "@web/core/colors/colors";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatFloat, formatMonetary } from "@web/views/fields/formatters";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { Layout } from "@web/search/layout";
import { downloadExport } from "../export/download_export";

const MODEL = "oms.report.dashboard";

/**
 * The Sales Dashboard: headline figures, revenue per day and the top of each
 * chosen ranking as a bar chart next to its table. Every figure comes from one
 * server call, oms.report.dashboard.get_dashboard_data(filters), which only
 * reads (a read replica may serve it); the filters a user chooses are
 * remembered by save_dashboard_filters, called beside it.
 */
export class SalesDashboard extends Component {
    static template = "oms_reports.SalesDashboard";
    static components = { Layout, Dropdown, DropdownItem };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null, loading: true });
        this.charts = {};
        this.revenueRef = useRef("revenue");
        this.rootRef = useRef("root");
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            await this.load(null);
        });
        useEffect(
            () => {
                this.renderCharts();
            },
            () => [this.state.data]
        );
        onWillUnmount(() => this.destroyCharts());
    }

    // ------------------------------------------------------------------
    // Data
    // ------------------------------------------------------------------
    async load(filters) {
        // the last request wins: an older answer arriving late is dropped
        const request = (this.lastRequest = (this.lastRequest || 0) + 1);
        this.state.loading = true;
        try {
            const [data] = await Promise.all([
                this.orm.call(MODEL, "get_dashboard_data", [filters]),
                filters && this.orm.call(MODEL, "save_dashboard_filters", [filters]),
            ]);
            if (request === this.lastRequest) {
                this.state.data = data;
            }
        } finally {
            if (request === this.lastRequest) {
                this.state.loading = false;
            }
        }
    }

    async setRowLimit(value) {
        const rowLimit = parseInt(value);
        if (rowLimit >= 1 && rowLimit <= 50 && rowLimit !== this.filters.row_limit) {
            await this.setFilter("row_limit", rowLimit);
        }
    }

    get filters() {
        return this.state.data.filters;
    }

    async setFilter(key, value) {
        const filters = { ...this.filters, [key]: value };
        if (key === "date_from" || key === "date_to") {
            filters.period = "custom";
        }
        await this.load(filters);
    }

    async toggleFilter(key, id) {
        const ids = new Set(this.filters[key]);
        if (ids.has(id)) {
            ids.delete(id);
        } else {
            ids.add(id);
        }
        await this.setFilter(key, [...ids]);
    }

    selectedLabel(key, options, all) {
        const ids = this.filters[key];
        if (!ids.length) {
            return all;
        }
        const names = options.filter((o) => ids.includes(o.id)).map((o) => o.name);
        return names.length > 2 ? `${names.slice(0, 2).join(", ")} +${names.length - 2}` : names.join(", ");
    }

    get filterMenus() {
        const options = this.state.data.options;
        return [
            { key: "ranking_ids", label: _t("Rankings"), options: options.rankings, all: _t("None") },
            { key: "warehouse_ids", label: _t("Warehouses"), options: options.warehouses, all: _t("All") },
            { key: "team_ids", label: _t("Sales Teams"), options: options.teams, all: _t("All") },
            { key: "country_ids", label: _t("Countries"), options: options.countries, all: _t("All") },
            ...(options.companies.length > 1
                ? [{ key: "company_ids", label: _t("Companies"), options: options.companies, all: _t("Current") }]
                : []),
        ];
    }

    // ------------------------------------------------------------------
    // Formatting
    // ------------------------------------------------------------------
    format(value, kind) {
        if (kind === "int") {
            return formatFloat(value || 0, { digits: [false, 0] });
        }
        if (kind === "float") {
            return formatFloat(value || 0, { digits: [false, 2] });
        }
        return formatMonetary(value || 0, { currencyId: this.state.data.currency_id });
    }

    trendLabel(trend) {
        if (trend === null || trend === undefined) {
            return "";
        }
        const sign = trend >= 0 ? "▲" : "▼";
        return `${sign} ${formatFloat(Math.abs(trend), { digits: [false, 1] })} %`;
    }

    trendClass(trend) {
        if (trend === null || trend === undefined) {
            return "text-muted";
        }
        return trend >= 0 ? "text-success" : "text-danger";
    }

    rankChange(row, period) {
        const change = row[`${period}_rank_change`];
        if (change === null || change === undefined) {
            return { label: _t("new"), cls: "text-muted" };
        }
        if (change > 0) {
            return { label: _t("up %s", change), cls: "text-success" };
        }
        if (change < 0) {
            return { label: _t("down %s", -change), cls: "text-danger" };
        }
        return { label: "=", cls: "text-muted" };
    }

    // ------------------------------------------------------------------
    // Charts
    // ------------------------------------------------------------------
    destroyCharts() {
        for (const chart of Object.values(this.charts)) {
            chart.destroy();
        }
        this.charts = {};
    }

    renderCharts() {
        this.destroyCharts();
        const data = this.state.data;
        if (!data || !this.rootRef.el) {
            return;
        }
        const revenue = data.revenue_chart;
        if (this.revenueRef.el) {
            this.charts.revenue = new Chart(this.revenueRef.el, {
                type: "line",
                data: {
                    labels: revenue.labels,
                    datasets: [
                        {
                            label: _t("This period"),
                            data: revenue.current,
                            borderColor: getColor(0, "light", "odoo"),
                            backgroundColor: getColor(0, "light", "odoo"),
                            tension: 0.2,
                        },
                        {
                            label: _t("Previous period"),
                            data: revenue.previous,
                            borderColor: getColor(1, "light", "odoo"),
                            backgroundColor: getColor(1, "light", "odoo"),
                            borderDash: [6, 4],
                            tension: 0.2,
                        },
                    ],
                },
                options: {
                    maintainAspectRatio: false,
                    animation: false,
                    interaction: { mode: "index", intersect: false },
                    plugins: {
                        tooltip: {
                            callbacks: {
                                title: (items) =>
                                    items.map((item) =>
                                        item.datasetIndex === 1
                                            ? revenue.previous_labels[item.dataIndex]
                                            : revenue.labels[item.dataIndex]
                                    ),
                            },
                        },
                    },
                },
            });
        }
        for (const [index, block] of data.rankings.entries()) {
            const canvas = this.rootRef.el.querySelector(`canvas[data-ranking="${block.id}"]`);
            if (!canvas || !block.rows.length) {
                continue;
            }
            const measure = block.measures[0];
            this.charts[block.id] = new Chart(canvas, {
                type: "bar",
                data: {
                    labels: block.rows.map((row) => row.label),
                    datasets: [
                        {
                            label: measure.label,
                            data: block.rows.map((row) => row[measure.name]),
                            backgroundColor: getColor(index, "light", "odoo"),
                        },
                    ],
                },
                options: {
                    indexAxis: "y",
                    maintainAspectRatio: false,
                    animation: false,
                    plugins: { legend: { display: false } },
                    onClick: (event, elements) => {
                        if (elements.length) {
                            this.openRow(block, block.rows[elements[0].index]);
                        }
                    },
                    onHover: (event, elements) => {
                        event.native.target.style.cursor = elements.length ? "pointer" : "default";
                    },
                },
            });
        }
    }

    // ------------------------------------------------------------------
    // Actions
    // ------------------------------------------------------------------
    async openRow(block, row) {
        const action = await this.orm.call(MODEL, "action_open_rows", [
            this.filters,
            block.id,
            row.key,
            row.label,
        ]);
        await this.action.doAction(action);
    }

    async exportXlsx() {
        const action = await this.orm.call(MODEL, "action_export_filters", [this.filters]);
        await downloadExport(action);
    }
}

registry.category("actions").add("oms_reports.dashboard", SalesDashboard);
