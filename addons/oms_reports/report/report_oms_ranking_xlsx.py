from datetime import date, datetime

from odoo import models
from odoo.exceptions import UserError

from ..models.oms_report_ranking import LINES, ORDERS


class ReportOmsRankingXlsx(models.AbstractModel):
    """A ranking's list as a workbook, as it is on screen (filters, first grouping,
    order, columns), with the formatting of the dashboard's workbook."""

    _name = "report.oms_reports.report_ranking_xlsx"
    _inherit = ["report.oms_reports.report_dashboard_xlsx"]
    _description = "OMS Ranking XLSX"

    def generate_xlsx_report(self, workbook, data, objs):
        Report = self.env[self._export_model(data)]
        headers, rows = Report._oms_export_table(data)
        fmt = self._formats(workbook)
        sheet = workbook.add_worksheet(
            (data.get("title") or self.env["ir.model"]._get(Report._name).name)[:31]
        )
        self._write_header(sheet, [label for label, __ in headers], fmt)
        kinds = [kind for __, kind in headers]
        for row_index, row in enumerate(rows, start=1):
            for col, (value, kind) in enumerate(zip(row, kinds, strict=True)):
                if value is False or value is None:
                    continue
                if isinstance(value, datetime):
                    sheet.write_datetime(row_index, col, value, fmt["datetime"])
                elif isinstance(value, date):
                    sheet.write_datetime(row_index, col, value, fmt["date"])
                elif kind in ("int", "money", "pct") and isinstance(value, int | float):
                    sheet.write_number(row_index, col, value, fmt[kind])
                elif kind == "rank" and isinstance(value, int):
                    sheet.write_number(row_index, col, value, fmt["rank_change"])
                else:
                    sheet.write_string(row_index, col, str(value))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows), 1), max(len(headers) - 1, 0))
        return sheet

    def _export_model(self, data):
        model = (data or {}).get("model")
        if model not in (LINES, ORDERS):
            raise UserError(self.env._("Only the sales report lists can be exported here."))
        return model
