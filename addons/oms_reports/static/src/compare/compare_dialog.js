import { Component } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";
import { formatFloat } from "@web/views/fields/formatters";

/**
 * "Compare Periods" of a ranking's screen: the groups of the screen's first grouping
 * for its period (Order Date filter, else the last 30 days), against the previous
 * period and the same dates last year (oms.report.ranking.get_list_comparison).
 */
export class OmsCompareDialog extends Component {
    static template = "oms_reports.CompareDialog";
    static components = { Dialog };
    static props = {
        title: String,
        data: Object,
        close: Function,
    };

    get comparisons() {
        const { periods } = this.props.data;
        return [
            { name: "previous", label: _t("Previous period"), period: periods.previous },
            { name: "last_year", label: _t("Last year"), period: periods.last_year },
        ];
    }

    formatValue(value) {
        const digits = this.props.data.kind === "int" ? 0 : 2;
        return formatFloat(value || 0, { digits: [false, digits] });
    }

    formatTrend(trend) {
        if (trend === null || trend === undefined) {
            return "";
        }
        const sign = trend > 0 ? "+" : "";
        return `${sign}${formatFloat(trend, { digits: [false, 1] })}%`;
    }

    changeClass(comparison) {
        if (comparison.rank_change === null) {
            return "text-info";
        }
        if (comparison.rank_change > 0) {
            return "text-success";
        }
        return comparison.rank_change < 0 ? "text-danger" : "text-muted";
    }
}

/**
 * Ask the server for the comparison of a ranking's screen and show it.
 */
export async function openComparison(component, { resModel, domain, groupBy, order, measure }) {
    const data = await component.orm.call("oms.report.ranking", "get_list_comparison", [
        resModel,
        domain,
        { groupby: groupBy || [], order: order || "", measure: measure || null },
    ]);
    const title = component.env.config.getDisplayName
        ? component.env.config.getDisplayName()
        : "";
    component.dialogService.add(OmsCompareDialog, {
        title: title ? _t("Compare Periods: %s", title) : _t("Compare Periods"),
        data,
    });
}
