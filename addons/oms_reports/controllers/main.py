import json

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import content_disposition, request

from ..models.oms_report_ranking import EXPORT_ROUTE

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OmsReportExport(http.Controller):
    """The downloads of the XLSX exports (the dashboard's Export button, a ranking's list):
    read-only requests, so that with a read replica (``db_replica_host``) the replica
    builds the workbook and the primary is left to the writes."""

    @http.route(
        f"{EXPORT_ROUTE}/<string:kind>",
        type="http",
        auth="user",
        methods=["GET", "POST"],
        readonly=True,
    )
    def oms_reports_export(self, kind, data="{}"):
        try:
            payload = json.loads(data)
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            raise UserError(request.env._("The export's parameters are not valid JSON."))
        if kind == "dashboard":
            render = request.env["oms.report.dashboard"]._render_xlsx_filters
            content, filename = render(payload.get("filters") or {})
        elif kind == "list":
            content, filename = request.env["oms.report.ranking"]._render_xlsx_list(payload)
        else:
            raise NotFound()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
