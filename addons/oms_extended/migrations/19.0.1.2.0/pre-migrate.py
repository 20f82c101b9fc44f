"""Data a user may edit is noupdate from 19.0.1.2.0 on. Databases that installed an older
version hold these records as updatable: flag them before the data files load, so that this
upgrade already keeps what users set (the rule's policies, the cron's interval and active)."""

from odoo.tools import SQL

USER_EDITABLE = ("oms_workflow_default", "ir_cron_oms_apply_automation")


def migrate(cr, version):
    cr.execute(
        SQL(
            "UPDATE ir_model_data SET noupdate = TRUE WHERE module = %s AND name IN %s",
            "oms_extended",
            USER_EDITABLE,
        )
    )
