"""19.0.2.0.0, after every addon loaded: put back the rows of the moved ``noupdate`` records
(crons and their server actions, mail templates) as pre-migrate.py kept them, so that a
feature addon that Odoo installed in init mode in this run (instead of upgrading it) did not
overwrite what users set. For an addon upgraded in update mode, the rows are unchanged and
this changes nothing."""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.sql import table_exists

_logger = logging.getLogger(__name__)

SNAPSHOT_TABLE = "oms_cut_noupdate_snapshot"


def migrate(cr, version):
    if not version or not table_exists(cr, SNAPSHOT_TABLE):
        return
    snapshot = SQL.identifier(SNAPSHOT_TABLE)
    cr.execute(SQL("SELECT DISTINCT tbl, columns FROM %s", snapshot))
    for table, columns in cr.fetchall():
        cr.execute(
            SQL(
                "SELECT array_agg(column_name::varchar) FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = %s",
                table,
            )
        )
        current = set(cr.fetchone()[0] or ())
        # The columns the table had then and still has, but the key.
        names = sorted((set(columns) & current) - {"id"})
        if not names:
            continue
        cr.execute(
            SQL(
                """
                UPDATE %(table)s t SET (%(columns)s) = (SELECT %(values)s)
                  FROM %(snapshot)s s, jsonb_populate_record(NULL::%(table)s, s.row) r
                 WHERE s.tbl = %(table_name)s AND t.id = s.id
                """,
                table=SQL.identifier(table),
                columns=SQL(", ").join(SQL.identifier(name) for name in names),
                values=SQL(", ").join(SQL.identifier("r", name) for name in names),
                snapshot=snapshot,
                table_name=table,
            )
        )
        _logger.info(
            "oms_extended 19.0.2.0.0: %s rows of %s kept as users left them", cr.rowcount, table
        )
    cr.execute(SQL("DROP TABLE %s", snapshot))
    api.Environment(cr, SUPERUSER_ID, {}).invalidate_all()
