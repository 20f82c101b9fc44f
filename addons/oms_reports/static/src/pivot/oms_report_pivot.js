import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { pivotView } from "@web/views/pivot/pivot_view";
import { PivotController } from "@web/views/pivot/pivot_controller";
import { openComparison } from "../compare/compare_dialog";

/**
 * The pivot of a ranking (oms.report.line / oms.report.order) with a "Compare
 * Periods" button: its row groups against the previous period and last year,
 * ranked by the measure sorted on (else the first measure shown).
 */
export class OmsReportPivotController extends PivotController {
    static template = "oms_reports.ReportPivotView";

    setup() {
        super.setup();
        this.orm = useService("orm");
        this.dialogService = useService("dialog");
    }

    async onComparePeriods() {
        const { metaData, searchParams } = this.model;
        const measures = metaData.activeMeasures.filter((name) => name !== "__count");
        await openComparison(this, {
            resModel: metaData.resModel,
            domain: searchParams.domain,
            groupBy: metaData.rowGroupBys,
            measure: (metaData.sortedColumn && metaData.sortedColumn.measure) || measures[0],
        });
    }
}

export const omsReportPivotView = {
    ...pivotView,
    Controller: OmsReportPivotController,
};

registry.category("views").add("oms_report_pivot", omsReportPivotView);
