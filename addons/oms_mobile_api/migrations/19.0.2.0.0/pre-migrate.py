"""19.0.2.0.0: the mobile app (its shell, manifest, service worker and files under /oms/app)
moved to its own addon, ``oms_mobile_app``, a client of this API. It has no data: a database
that served the app installs it in this run, so that /oms/app keeps working."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(SQL("SELECT 1 FROM ir_module_module WHERE name = 'oms_mobile_app'"))
    if not cr.fetchone():
        # Odoo lists the addons found on disk before loading; an upgrade started otherwise
        # may not have.
        api.Environment(cr, SUPERUSER_ID, {})["ir.module.module"].update_list()
    cr.execute(
        SQL(
            "UPDATE ir_module_module SET state = 'to install' "
            "WHERE name = 'oms_mobile_app' AND state = 'uninstalled'"
        )
    )
