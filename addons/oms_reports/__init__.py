from . import models, report


def _oms_reports_post_init(env):
    """Fill the sales facts from the orders already in the database."""
    env["oms.sale.fact"].action_rebuild()
