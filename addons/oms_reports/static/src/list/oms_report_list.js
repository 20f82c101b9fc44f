import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { listView } from "@web/views/list/list_view";
import { ListController } from "@web/views/list/list_controller";
import { openComparison } from "../compare/compare_dialog";
import { downloadExport } from "../export/download_export";

/**
 * The list of a ranking (oms.report.line / oms.report.order) with an "Export XLSX"
 * button: the server exports what is on screen (domain, first grouping, order and
 * the columns shown) with the formatting of the dashboard's workbook; and a
 * "Compare Periods" button (the groups against the previous period and last year).
 */
export class OmsReportListController extends ListController {
    static template = "oms_reports.ReportListView";

    setup() {
        super.setup();
        this.orm = useService("orm");
    }

    get exportColumns() {
        // the columns on screen, in their order (as Odoo's own export sees them)
        const visible = new Set(this.getExportableFields().map((field) => field.name));
        return this.props.archInfo.columns
            .filter((column) => column.type === "field" && visible.has(column.name))
            .map((column) => column.name);
    }

    async onExportXlsx() {
        const root = this.model.root;
        const order = (root.orderBy || [])
            .map((term) => `${term.name} ${term.asc ? "asc" : "desc"}`)
            .join(", ");
        const action = await this.orm.call("oms.report.ranking", "action_export_list", [
            this.props.resModel,
            root.domain,
            {
                groupby: root.groupBy || [],
                order,
                columns: this.exportColumns,
                title: this.env.config.getDisplayName ? this.env.config.getDisplayName() : null,
            },
        ]);
        await downloadExport(action);
    }

    async onComparePeriods() {
        const root = this.model.root;
        await openComparison(this, {
            resModel: this.props.resModel,
            domain: root.domain,
            groupBy: root.groupBy,
            order: (root.orderBy || []).map((term) => term.name).join(", "),
        });
    }
}

export const omsReportListView = {
    ...listView,
    Controller: OmsReportListController,
};

registry.category("views").add("oms_report_list", omsReportListView);
