import contextlib
import threading

from odoo import api, models
from odoo.http import request
from odoo.service.server import thread_local

# Set while a logged read runs: the reads nested in it are not logged again.
_reading = threading.local()
# (path, address) of the XML-RPC or JSON-RPC request being served: Odoo runs their
# methods without the request (controllers/rpc.py keeps these meanwhile).
_rpc = threading.local()
JSON2_PREFIX = "/json/2/"
WEB_CLIENT_PREFIX = "/web/"
# The calls whose records web_read reads for the caller: a form, a list, a grouped list.
WEB_READS = ("web_read", "web_search_read", "web_read_group")


@contextlib.contextmanager
def rpc_request(path, remote_addr):
    _rpc.request = (path, remote_addr)
    try:
        yield
    finally:
        _rpc.request = None


def rpc_request_info():
    """(path, address) of the XML-RPC or JSON-RPC request being served, or None."""
    return getattr(_rpc, "request", None)


class Base(models.AbstractModel):
    """Reads of audited documents: the call a client made (the web client opening a form
    or a list, ``read`` and ``search_read`` through JSON-2, XML-RPC and JSON-RPC), logged
    once per user, document and minute with one INSERT per request, whatever the number
    of records. Reads nested in other calls are not logged."""

    _inherit = "base"

    @api.model
    def _oms_audit_rpc_call(self):
        """``(model, method, api)`` of the call the request made: the path of JSON-2, the
        method of the web client's ``call_kw``, of XML-RPC and of JSON-RPC (``api``: not the
        web client); None without a request."""
        if rpc := rpc_request_info():
            path = rpc[0]
        elif request:
            try:
                path = request.httprequest.path or ""
            except (AttributeError, RuntimeError):
                return None
        else:
            return None
        if path.startswith(JSON2_PREFIX):
            model, _sep, method = path[len(JSON2_PREFIX) :].partition("/")
            return model, method, True
        called = getattr(thread_local, "rpc_model_method", "") or ""
        model, _sep, method = called.rpartition(".")
        return (model, method, not path.startswith(WEB_CLIENT_PREFIX)) if model else None

    def _oms_audit_read_call(self):
        """The request's call (:meth:`_oms_audit_rpc_call`) when it reads this audited
        model, whose reads are logged, and no logged read is running; else None."""
        if getattr(_reading, "active", False) or not (request or rpc_request_info()):
            return None
        config = self._oms_audit_models().get(self._name)
        if not config or not config[1] or self._name == "ir.attachment":
            return None
        call = self._oms_audit_rpc_call()
        return call if call and call[0] == self._name else None

    def _oms_audit_read_kind(self, method):
        """What this call of ``method`` reads, to log: ``"view"`` (a form, or a read through
        an API: the model logs reads), ``"list"`` (the web client's lists and kanbans: the
        model logs list views too), or None (not audited, not the client's own call, or
        nested in a read being logged)."""
        call = self._oms_audit_read_call()
        if not call:
            return None
        _model, called, from_api = call
        if method != "web_read":
            return "view" if called == method else None
        if called not in WEB_READS:
            return None
        if from_api or (called == "web_read" and len(self) == 1):
            return "view"  # the form opens one record; an API reads documents
        return "list" if self._oms_audit_models()[self._name][2] else None

    @contextlib.contextmanager
    def _oms_audit_reading(self):
        """While a logged read runs, and while it is logged: reads made meanwhile (nested
        in it, or by the logging itself) are not logged."""
        _reading.active = True
        try:
            yield
        finally:
            _reading.active = False

    def _oms_audit_log_reads(self, ids, kind):
        records = self.browse(ids)
        if not records:
            return
        called = self._oms_audit_rpc_call()
        if kind == "list":
            details = self.env._("In a list")
        elif called and (called[2] or called[1] != "web_read"):
            details = self.env._("Read through %s", called[1])
        else:
            details = None  # the form
        self.env["oms.document.log"]._oms_log_records(records, "view", details)

    @api.readonly
    def read(self, fields=None, load="_classic_read"):
        kind = self._oms_audit_read_kind("read")
        if not kind:
            return super().read(fields=fields, load=load)
        with self._oms_audit_reading():
            result = super().read(fields=fields, load=load)
            self._oms_audit_log_reads([values["id"] for values in result], kind)
        return result

    @api.model
    @api.readonly
    def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **kwargs):
        kind = self._oms_audit_read_kind("search_read")
        if not kind:
            return super().search_read(
                domain=domain, fields=fields, offset=offset, limit=limit, order=order, **kwargs
            )
        with self._oms_audit_reading():
            result = super().search_read(
                domain=domain, fields=fields, offset=offset, limit=limit, order=order, **kwargs
            )
            self._oms_audit_log_reads([values["id"] for values in result], kind)
        return result

    @api.readonly
    def web_read(self, specification):
        kind = self._oms_audit_read_kind("web_read")
        if not kind:
            return super().web_read(specification)
        with self._oms_audit_reading():
            result = super().web_read(specification)
            self._oms_audit_log_reads([values["id"] for values in result], kind)
        return result

    def _oms_audit_log_view(self):
        """Log a view of these records by the current user, when their model is audited
        with its reads (an API that returns the document, e.g. the mobile API)."""
        config = self._oms_audit_models().get(self._name)
        if self and config and config[1] and self._name != "ir.attachment":
            self.env["oms.document.log"]._oms_log_records(self, "view")
