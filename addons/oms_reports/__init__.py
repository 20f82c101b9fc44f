from odoo.tools import SQL

from . import controllers, models, report


def _oms_reports_post_init(env):
    """Fill the sales facts from the orders already in the database."""
    env["oms.sale.fact"].action_rebuild()


def _oms_reports_uninstall(env):
    """The fact tables go with their models; the queue has no model."""
    env.cr.execute(SQL("DROP TABLE IF EXISTS oms_sale_fact_queue"))
