import resource
from contextlib import contextmanager

from odoo.addons.sale.tests.common import SaleCommon
from odoo.fields import Command
from odoo.tests import Form, new_test_user


@contextmanager
def unlimited_address_space():
    """Odoo caps the server's address space (limit_memory_hard); chromium reserves more
    than that (as Odoo's own browser tests allow it): a playwright driver and its browser
    started in this block run without the cap."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def company_warehouse(env, company):
    """The warehouse of ``company``, once it has a chart of accounts: Odoo's generic one
    (as ``AccountTestInvoicingCommon`` loads it) when the database has no localisation."""
    if not company.chart_template:
        env["account.chart.template"].try_loading("generic_coa", company=company)
    return env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)


class OmsCommon(SaleCommon):
    """Odoo's own sale fixtures (``SaleCommon``: company, ``partner``, ``product``,
    ``service_product``, ``pricelist``, ``sale_team``) and the users
    shared by the OMS tests: none of them is a system administrator."""

    @classmethod
    def default_env_context(cls):
        """Tracking off, as SaleCommon has it, but chatter and tracking values kept where a
        test turns tracking on (order status timeline, audit log of messages)."""
        return {"tracking_disable": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.oms_user = new_test_user(
            cls.env, login="oms_user", name="OMS User", groups="oms_extended.group_oms_user"
        )
        cls.oms_manager = new_test_user(
            cls.env,
            login="oms_manager",
            name="OMS Manager",
            groups="oms_extended.group_oms_manager",
        )
        cls.employee = new_test_user(cls.env, login="oms_employee", groups="base.group_user")


class OmsOrderCommon(OmsCommon):
    """A company ready to sell, deliver, invoice and collect, and builders for orders.
    ``product`` (stored, invoiced on delivery) and ``service`` are SaleCommon's product
    and service, made to the OMS tests' measure."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        cls.warehouse = company_warehouse(cls.env, company)
        cls.bank_journal = cls.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
        )
        cls.cash_journal = cls.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "cash")], limit=1
        )
        if not cls.cash_journal:
            cls.cash_journal = cls.env["account.journal"].create(
                {"name": "Cash", "code": "CSH1", "type": "cash", "company_id": company.id}
            )
        cls.product.write(
            {
                "name": "Espresso machine",
                "is_storable": True,
                "list_price": 100.0,
                "invoice_policy": "delivery",
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 1000.0
        )
        cls.service = cls.service_product
        cls.service.write({"name": "Barista training", "invoice_policy": "order"})
        # not SaleCommon's partner, who has its quotations
        cls.customer = cls._create_partner(name="Café Lumière")
        # Shipped archived (installing changes nothing): these tests turn it on.
        cls.default_rule = cls.env.ref("oms_extended.oms_workflow_default")
        cls.default_rule.active = True
        cls.user_env = cls.env(user=cls.oms_user)

    @classmethod
    def _order(cls, lines, env=None, **vals):
        """A quotation created as the OMS user; lines are (product, qty) pairs."""
        env = env or cls.user_env
        return env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
                **vals,
            }
        )

    def _payment_wizard(self, order, **values):
        """The order's Register Payment wizard, opened and filled in as the OMS user."""
        action = order.action_oms_register_payment()
        ctx = dict(self.user_env.context, **action["context"])
        with Form(self.user_env["oms.order.payment"].with_context(**ctx)) as form:
            for name, value in values.items():
                setattr(form, name, value)
        return form.record

    @staticmethod
    def _deliver(order, qty=None):
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        for move in picking.move_ids:
            move.quantity = qty if qty is not None else move.product_uom_qty
        picking.move_ids.picked = True
        result = picking.with_context(skip_backorder=qty is None).button_validate()
        if isinstance(result, dict):  # the backorder wizard: keep the rest for later
            wizard = order.env[result["res_model"]].with_context(**result["context"]).create({})
            wizard.process()
        return result
