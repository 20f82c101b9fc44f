from odoo import models

HEADER = {
    "bold": True,
    "font_color": "#FFFFFF",
    "bg_color": "#714B67",
    "border": 1,
    "text_wrap": True,
    "valign": "vcenter",
}


class ReportOmsDashboardXlsx(models.AbstractModel):
    """The dashboard as a workbook: a sheet of filters, one sheet per ranking (formatted
    header, number formats, frozen header row, filters) and a chart sheet."""

    _name = "report.oms_reports.report_dashboard_xlsx"
    _inherit = ["report.report_xlsx.abstract"]
    _description = "OMS Dashboard XLSX"

    def generate_xlsx_report(self, workbook, data, objs):
        """The blocks of the Sales Dashboard (``_ranking_blocks``) of ``objs``' filters,
        or of ``data['filters']`` (a dashboard in memory: the download of the screen's
        export, on a read-only cursor)."""
        dashboard = objs[:1]
        if not dashboard and (data or {}).get("filters") is not None:
            Dashboard = self.env["oms.report.dashboard"]
            dashboard = Dashboard._from_filters(Dashboard._dashboard_filters(data["filters"]))
        fmt = self._formats(workbook)
        blocks = dashboard._ranking_blocks(*dashboard._scope())
        self._write_filters(workbook, dashboard, fmt)
        sheets = [self._write_section(workbook, block, fmt) for block in blocks]
        self._write_chart(workbook, blocks, sheets)

    def _formats(self, workbook):
        """The cell formats shared by the dashboard's and the rankings' workbooks."""
        return {
            "header": workbook.add_format(HEADER),
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "label": workbook.add_format({"bold": True}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "qty": workbook.add_format({"num_format": "#,##0.00"}),
            "int": workbook.add_format({"num_format": "#,##0"}),
            "pct": workbook.add_format({"num_format": "+0.0%;-0.0%;0.0%"}),
            "rank_change": workbook.add_format(
                {
                    # Excel number format of a change in rank: 3 is "up 3", -1 "down 1"
                    "num_format": self.env._('"up "0;"down "0;"="'),
                    "align": "right",
                }
            ),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        }

    def _write_header(self, sheet, headers, fmt):
        """Formatted header row, column widths (rank, label, figures)."""
        sheet.set_row(0, 30)
        for col, title in enumerate(headers):
            sheet.write(0, col, title, fmt["header"])
        sheet.set_column(0, 0, 5 if headers and headers[0] == "#" else 18)
        sheet.set_column(1, 1, 40)
        sheet.set_column(2, max(len(headers) - 1, 2), 16)

    def _write_filters(self, workbook, dashboard, fmt):
        sheet = workbook.add_worksheet(self.env._("Filters"))
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 1, 60)
        sheet.write(0, 0, self.env._("Sales Dashboard"), fmt["title"])
        periods = self.env["oms.report.ranking"]._comparison_periods(
            dashboard.date_from, dashboard.date_to
        )
        previous_from, previous_to = periods["previous"]
        currency = self.env.company.currency_id
        rows = [
            (self.env._("Period"), f"{dashboard.date_from} - {dashboard.date_to}"),
            (self.env._("Previous period"), f"{previous_from} - {previous_to}"),
            (self.env._("Companies"), ", ".join(dashboard.company_ids.mapped("name"))),
            (self.env._("Warehouses"), ", ".join(dashboard.warehouse_ids.mapped("name"))),
            (self.env._("Sales teams"), ", ".join(dashboard.team_ids.mapped("name"))),
            (self.env._("Countries"), ", ".join(dashboard.country_ids.mapped("name"))),
            (self.env._("Currency"), currency.name),
            (
                self.env._("Scope"),
                self.env._("Confirmed orders, amounts untaxed, refunds deducted"),
            ),
        ]
        for index, (label, value) in enumerate(rows, start=2):
            sheet.write(index, 0, label, fmt["label"])
            sheet.write(index, 1, value or self.env._("All"))

    def _write_section(self, workbook, block, fmt):
        """A sheet of a ranking block: its rows, compared when the ranking is comparable
        (not orders, not days)."""
        sheet = workbook.add_worksheet(block["title"][:31])
        measures = block["measures"]
        first = measures[0]["label"]
        headers = [
            "#",
            block["group"],
            *(measure["label"] for measure in measures),
            self.env._("Previous: %(measure)s", measure=first),
            self.env._("Trend"),
            self.env._("Rank vs Previous"),
            self.env._("Last Year: %(measure)s", measure=first),
            self.env._("Trend vs Last Year"),
            self.env._("Rank vs Last Year"),
        ]
        self._write_header(sheet, headers, fmt)
        for row_index, row in enumerate(block["rows"], start=1):
            sheet.write_number(row_index, 0, row_index, fmt["int"])
            sheet.write_string(row_index, 1, str(row["label"]))
            for col, measure in enumerate(measures, start=2):
                number = fmt["int"] if measure["kind"] == "int" else fmt["money"]
                sheet.write_number(row_index, col, row[measure["name"]] or 0.0, number)
            col = 2 + len(measures)
            for period in ("previous", "last_year") if block["comparable"] else ():
                self._write_comparison(sheet, (row_index, col), row, period, fmt)
                col += 3
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(block["rows"]), 1), len(headers) - 1)
        return sheet

    def _write_comparison(self, sheet, cell, row, period, fmt):
        """Value of the first measure in ``period``, trend, change in rank, from
        ``cell`` (row, column) on."""
        row_index, col = cell
        if row.get(period) is None:  # not comparable (an order, a day)
            return
        sheet.write_number(row_index, col, row[period], fmt["money"])
        trend = row.get(f"{period}_trend")
        if trend is not None:
            sheet.write_number(row_index, col + 1, trend / 100.0, fmt["pct"])
        change = row.get(f"{period}_rank_change")
        if change is None:
            sheet.write_string(row_index, col + 2, self.env._("new"))
        else:
            sheet.write_number(row_index, col + 2, change, fmt["rank_change"])

    def _write_chart(self, workbook, blocks, sheets):
        """A chart sheet with the first ranking that has rows."""
        for block, sheet in zip(blocks, sheets, strict=True):
            if not block["rows"]:
                continue
            count = len(block["rows"])
            chart = workbook.add_chart({"type": "bar"})
            chart.add_series(
                {
                    "name": [sheet.name, 0, 2],
                    "categories": [sheet.name, 1, 1, count, 1],
                    "values": [sheet.name, 1, 2, count, 2],
                    "fill": {"color": "#714B67"},
                }
            )
            chart.set_title({"name": block["title"]})
            chart.set_y_axis({"reverse": True})
            chart.set_legend({"none": True})
            chartsheet = workbook.add_chartsheet(self.env._("Chart"))
            chartsheet.set_chart(chart)
            return chartsheet
        return None
