"""What happens to a database in use, for test_install_on_history.py (not a test itself).

python tests/live_db.py ODOO_CONF DBNAME crons          every active cron runs once, as
                                                        Odoo's scheduler runs it: each job
                                                        in its own transaction
python tests/live_db.py ODOO_CONF DBNAME reorganise     staff move every order to a new
                                                        sales team, through the ORM
"""

import sys

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry


def run_crons(registry):
    with registry.cursor() as cr:
        cron_ids = api.Environment(cr, SUPERUSER_ID, {})["ir.cron"].search([], order="id").ids
    for cron_id in cron_ids:
        with registry.cursor() as cr:
            cron = api.Environment(cr, SUPERUSER_ID, {})["ir.cron"].browse(cron_id)
            result = cron.method_direct_trigger()
            print(f"{cron.name}: {'done' if result is True else 'failed'}", flush=True)


def reorganise(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        team = env["crm.team"].create({"name": "Reorganised team"})
        env["sale.order"].search([]).write({"team_id": team.id})


def main(conf, dbname, action):
    odoo.tools.config.parse_config(["-c", conf, "-d", dbname, f"--db-filter=^{dbname}$"])
    {"crons": run_crons, "reorganise": reorganise}[action](Registry(dbname))


if __name__ == "__main__":
    main(*sys.argv[1:4])
