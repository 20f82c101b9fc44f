import logging

from odoo import http
from odoo.addons.account.controllers.portal import PortalAccount
from odoo.addons.sale.controllers.portal import CustomerPortal
from odoo.http import request

_logger = logging.getLogger(__name__)


def log_portal_view(model, res_id, response):
    """Log that the customer saw the document's portal page."""
    if getattr(response, "status_code", 200) != 200 or getattr(response, "location", None):
        return
    try:
        config = request.env["base"]._oms_audit_models().get(model)
        if not config or not config[1]:
            return
        # sudo: the customer reaches the document through its access token
        document = request.env[model].sudo().browse(int(res_id)).exists()
        if document:
            request.env["oms.document.log"]._oms_log_records(
                document.with_env(request.env), "portal_view"
            )
    except Exception:  # logging never breaks the request
        _logger.exception("Document audit: could not log the portal view of %s,%s", model, res_id)


class OmsAuditSalePortal(CustomerPortal):
    @http.route()
    def portal_order_page(self, order_id, report_type=None, **kw):
        response = super().portal_order_page(order_id, report_type=report_type, **kw)
        if report_type not in ("html", "pdf", "text"):
            log_portal_view("sale.order", order_id, response)
        return response


class OmsAuditAccountPortal(PortalAccount):
    @http.route()
    def portal_my_invoice_detail(self, invoice_id, report_type=None, **kw):
        response = super().portal_my_invoice_detail(invoice_id, report_type=report_type, **kw)
        if report_type not in ("html", "pdf", "text"):
            log_portal_view("account.move", invoice_id, response)
        return response
