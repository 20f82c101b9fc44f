from odoo import api, fields, models


class OmsDemo(models.AbstractModel):
    """Access-log entries and stage progress: an order taken through its stages."""

    _inherit = "oms.demo"

    @api.model
    def _oms_demo_build_audit(self):
        """A quotation created, looked at by the administrator, confirmed, delivered and
        invoiced: the access log has each step (creation, view, stage changes of the order,
        its delivery and its invoice), and Stage Progress the stages they went through."""
        a, *_others = self._oms_demo_customers()
        grinder, kettle, _beans = self._oms_demo_products()
        # While the registry loads (installing the demo), the audit hooks log nothing
        # (base._oms_audit_models): the builder then writes what they would have written
        # for these documents, with the log's own rows, from their first stage.
        hooks_on = bool(self.env["oms.document.log"]._oms_audit_models())
        first_stages = {}
        order = self._oms_demo_order(a, [(grinder, 1), (kettle, 1)], "card", confirm=False)
        first_stages[order] = order.state
        admin = self.env.ref("base.user_admin")
        self.env["oms.document.log"].with_user(admin)._oms_log_records(order, "view")
        order.action_confirm()
        picking = order.picking_ids
        first_stages[picking] = picking.state
        self._oms_demo_pay(order, "card")
        self._oms_demo_deliver(order)
        invoice = self._oms_demo_invoice(order)
        first_stages[invoice] = "draft"
        order._oms_reconcile_payments()
        if not hooks_on:
            self._oms_demo_log_journey(first_stages)
        return order

    @api.model
    def _oms_demo_log_journey(self, first_stages):
        """The creation and stage entries of documents created in this transaction, as the
        audit hooks write them (``oms.document.log._oms_entry_rows``)."""
        Log = self.env["oms.document.log"]
        self.env.flush_all()
        rows = []
        for record, first_stage in first_stages.items():
            entry = {
                "created": fields.Datetime.now(),
                "uid": self.env.uid,
                "initial_stage": first_stage,
                "old": {},
            }
            rows.extend(Log._oms_entry_rows(record, entry, "state"))
        Log._oms_execute_change_rows(rows, channel="cron")
