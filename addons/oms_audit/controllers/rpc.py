from odoo.addons.rpc.controllers import RPC
from odoo.http import request, route

from ..models.base_read import rpc_request


class OmsAuditRPC(RPC):
    """XML-RPC and JSON-RPC run the model's method without the HTTP request (Odoo takes it
    off the stack): keep its path and address for the audit trail meanwhile, so that the
    documents they read are logged with the channel *API* and the caller's address."""

    def _xmlrpc(self, service):
        with rpc_request(request.httprequest.path, request.httprequest.remote_addr):
            return super()._xmlrpc(service)

    @route()
    def jsonrpc(self, service, method, args):
        with rpc_request(request.httprequest.path, request.httprequest.remote_addr):
            return super().jsonrpc(service, method, args)
