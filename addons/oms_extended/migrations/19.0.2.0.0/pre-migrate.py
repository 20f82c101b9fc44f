"""19.0.2.0.0: one addon per feature (issue 20). ``oms_extended`` keeps the core (the app,
groups, menus, order status, automation, payment collection); replenishment, shipping and the
customer lifecycle move to ``oms_replenishment``, ``oms_shipping`` and
``oms_customer_lifecycle``. Nothing of a database is lost or re-created:

- the XML ids of the moved records change module (``ir_model_data.module``): the moved
  models with their fields, selections and constraints, the fields the features add to
  Odoo's models, and every record the new addons' data files define (views, actions,
  menus, crons and their server actions, mail templates, access rights, rules). Their
  tables, columns and rows stay as they are; ``_process_end`` deletes nothing, as every
  moved XML id is loaded again by its new addon in this same run;
- the new addons are marked *to upgrade* from the installed version, so that Odoo loads
  them in this run (STEP 3 of ``odoo/modules/loading.py`` loops while modules are marked)
  in update mode: ``noupdate`` data (crons' intervals and active flags, templates) keeps
  users' edits. When they are already marked *to install* (``-i`` of them, or ``-u all``
  with ``oms_delivery_state``, whose dependency is now ``oms_shipping``), Odoo installs them
  in this run in init mode, which rewrites ``noupdate`` records: their rows are kept here
  and put back by ``end-migrate.py``;
- ``oms_suite`` and the bridges are marked *to install* when the database has what they
  join; ``oms_delivery_state`` is upgraded with its new dependency.
"""

import csv
import logging

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.modules.module import Manifest
from odoo.tools import SQL, file_open

_logger = logging.getLogger(__name__)

FEATURES = ("oms_replenishment", "oms_shipping", "oms_customer_lifecycle")
# The models each feature addon now defines.
MODELS = {
    "oms_replenishment": ("oms.reorder.policy", "oms.reorder.line"),
    "oms_shipping": (
        "oms.shipment",
        "oms.shipment.event",
        "oms.carrier.webhook.request",
        "oms.shipment.event.import",
    ),
    "oms_customer_lifecycle": (
        "oms.customer.stat",
        "oms.customer.rfm.threshold",
        "oms.customer.segment.history",
        "oms.customer.acquisition.report",
    ),
}
# The fields each feature addon adds to Odoo's models.
FIELDS = {
    "oms_replenishment": {
        "stock.warehouse.orderpoint": (
            "oms_policy_id",
            "oms_manual",
            "oms_avg_daily_demand",
            "oms_demand_std",
            "oms_forecast_daily_demand",
            "oms_stockout_days",
            "oms_lead_days",
            "oms_safety_stock",
            "oms_computed_at",
        ),
    },
    "oms_shipping": {
        "sale.order": ("oms_shipment_ids", "oms_shipment_count", "oms_shipment_status"),
        "stock.picking": ("oms_shipment_ids",),
        "delivery.carrier": (
            "oms_tracking_url_template",
            "oms_tracking_timeout",
            "oms_notify_customer",
            "oms_poll_failures",
            "oms_poll_backoff_until",
            "oms_poll_error",
            "oms_code",
            "oms_webhook_secret",
            "oms_webhook_url",
        ),
    },
    "oms_customer_lifecycle": {
        "res.partner": (
            "oms_customer_stat_ids",
            "oms_segment_history_ids",
            "oms_segment",
            "oms_clv",
            "oms_retention_opt_out",
            "oms_open_order_ids",
            "oms_open_opportunity_ids",
            "oms_last_picking_ids",
            "oms_timeline_html",
            "oms_amount_due",
            "oms_company_currency_id",
        ),
        "res.company": (
            "oms_clv_lifetime_years",
            "oms_retention_clv_threshold",
            "oms_retention_team_id",
            "oms_retention_stage_id",
        ),
        "res.config.settings": (
            "oms_clv_lifetime_years",
            "oms_retention_clv_threshold",
            "oms_retention_team_id",
            "oms_retention_stage_id",
        ),
        "crm.lead": ("oms_is_retention",),
    },
}
# Installed with the features when the database has what they join (all their dependencies).
BRIDGES = ("oms_customer_lifecycle_stock_delivery", "oms_customer_lifecycle_mobile_api")
# The whole suite of the one-addon layout: with it, the umbrella addon is installed.
SUITE = ("oms_reports", "oms_audit", "oms_mobile_api")
LOADED = ("installed", "to upgrade", "to install")
# The records of a data file (not the elements of their XML or HTML fields).
DATA_NODES = " | ".join(
    f"/odoo/{tag}[@id] | /odoo/data/{tag}[@id]" for tag in ("record", "menuitem", "template")
)
# Rows of records users edit, kept for end-migrate.py (see the module docstring).
SNAPSHOT_TABLE = "oms_cut_noupdate_snapshot"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _mark_modules(env, version)
    for module in FEATURES:
        _move_model_xmlids(cr, module)
        _move_data_xmlids(cr, module)
    _snapshot_noupdate_records(env)


# ---------------------------------------------------------------------- modules


def _states(cr, names):
    cr.execute(SQL("SELECT name, state FROM ir_module_module WHERE name IN %s", tuple(names)))
    return dict(cr.fetchall())


def _mark_modules(env, version):
    cr = env.cr
    new = (*FEATURES, *BRIDGES, "oms_suite", "oms_mobile_app")
    if len(_states(cr, new)) < len(new):
        # Odoo lists the addons found on disk before loading (STEP 2 of loading.py); an
        # upgrade started otherwise may not have: list them with their dependencies.
        env["ir.module.module"].update_list()
        env.flush_all()
    shipping_state = _states(cr, ["oms_shipping"]).get("oms_shipping")
    # The features were part of this addon: upgraded from its installed version. Odoo loads
    # them after this addon in this run (they are not in the graph being loaded).
    cr.execute(
        SQL(
            "UPDATE ir_module_module SET state = 'to upgrade', latest_version = %s "
            "WHERE name IN %s AND state = 'uninstalled'",
            version,
            FEATURES,
        )
    )
    if shipping_state == "uninstalled":
        # Its dependency is now oms_shipping: Odoo left it out of the graph being loaded
        # (a dependency not loaded); upgraded with oms_shipping. (When oms_shipping was
        # already to install, it is in the graph and loads after it as it is.)
        cr.execute(
            SQL(
                "UPDATE ir_module_module SET state = 'to upgrade' "
                "WHERE name = 'oms_delivery_state' AND state = 'installed'"
            )
        )
    cr.execute(SQL("UPDATE ir_module_module SET application = FALSE WHERE name = 'oms_extended'"))
    to_install = list(BRIDGES)
    suite = _states(cr, SUITE)
    if len(suite) == len(SUITE) and all(state in LOADED for state in suite.values()):
        # The app moved out of oms_mobile_api (its own pre-migration installs it too).
        to_install = ["oms_mobile_app", *to_install, "oms_suite"]
    for name in to_install:
        cr.execute(
            SQL(
                "SELECT d.name, COALESCE(m.state, 'unknown') FROM ir_module_module_dependency d "
                "JOIN ir_module_module b ON b.id = d.module_id "
                "LEFT JOIN ir_module_module m ON m.name = d.name WHERE b.name = %s",
                name,
            )
        )
        if all(state in LOADED for _dep, state in cr.fetchall()):
            cr.execute(
                SQL(
                    "UPDATE ir_module_module SET state = 'to install' "
                    "WHERE name = %s AND state = 'uninstalled'",
                    name,
                )
            )
    env["ir.module.module"].invalidate_model()
    _logger.info("oms_extended 19.0.2.0.0: modules now %s", _states(cr, new))


# ---------------------------------------------------------------------- XML ids


def _rename(cr, module, where):
    """Give to ``module`` the XML ids of oms_extended that ``where`` selects (alias d),
    unless ``module`` already has one of that name."""
    cr.execute(
        SQL(
            """
            UPDATE ir_model_data d SET module = %(module)s
             WHERE d.module = 'oms_extended' AND %(where)s
               AND NOT EXISTS (SELECT FROM ir_model_data o
                                WHERE o.module = %(module)s AND o.name = d.name)
            """,
            module=module,
            where=where,
        )
    )
    return cr.rowcount


def _move_model_xmlids(cr, module):
    models = MODELS[module]
    cr.execute(SQL("SELECT id FROM ir_model WHERE model IN %s", models))
    model_ids = tuple(row[0] for row in cr.fetchall()) or (0,)
    fields = SQL("f.model IN %s", models)
    # Constraints and indexes of the moved models, and those the feature adds to Odoo's
    # tables for its fields (<table>_<field>_fkey, <table>_<field>_uniq...).
    constraints = SQL("c.model IN %s", model_ids)
    for model, names in FIELDS[module].items():
        fields = SQL("%s OR (f.model = %s AND f.name IN %s)", fields, model, names)
        for name in names:
            prefix = f"{model.replace('.', '_')}_{name}_".replace("_", "\\_")
            constraints = SQL(
                "%s OR (c.model = (SELECT id FROM ir_model WHERE model = %s) AND c.name LIKE %s)",
                constraints,
                model,
                f"{prefix}%",
            )
    cr.execute(SQL("SELECT f.id FROM ir_model_fields f WHERE %s", fields))
    field_ids = tuple(row[0] for row in cr.fetchall()) or (0,)
    cr.execute(
        SQL(
            "SELECT c.id FROM ir_model_constraint c WHERE c.module = "
            "(SELECT id FROM ir_module_module WHERE name = 'oms_extended') AND (%s)",
            constraints,
        )
    )
    constraint_ids = tuple(row[0] for row in cr.fetchall()) or (0,)
    moved = _rename(cr, module, SQL("d.model = 'ir.model' AND d.res_id IN %s", model_ids))
    moved += _rename(cr, module, SQL("d.model = 'ir.model.fields' AND d.res_id IN %s", field_ids))
    moved += _rename(
        cr,
        module,
        SQL(
            "d.model = 'ir.model.fields.selection' AND d.res_id IN "
            "(SELECT id FROM ir_model_fields_selection WHERE field_id IN %s)",
            field_ids,
        ),
    )
    moved += _rename(
        cr, module, SQL("d.model = 'ir.model.constraint' AND d.res_id IN %s", constraint_ids)
    )
    # Constraints and many2many tables: dropped with the addon that owns them.
    new_module = SQL("(SELECT id FROM ir_module_module WHERE name = %s)", module)
    cr.execute(
        SQL(
            "UPDATE ir_model_constraint SET module = %s WHERE id IN %s",
            new_module,
            constraint_ids,
        )
    )
    cr.execute(
        SQL(
            "UPDATE ir_model_relation SET module = %s WHERE model IN %s AND module = "
            "(SELECT id FROM ir_module_module WHERE name = 'oms_extended')",
            new_module,
            model_ids,
        )
    )
    _logger.info("oms_extended 19.0.2.0.0: %s model XML ids moved to %s", moved, module)


def _data_xmlids(module):
    """The XML ids (without module) that the data files of ``module`` define."""
    manifest = Manifest.for_addon(module)
    names = set()
    for path in manifest["data"]:
        full = f"{manifest.path}/{path}"
        if path.endswith(".csv"):
            with file_open(full) as source:
                names.update(row["id"] for row in csv.DictReader(source))
        elif path.endswith(".xml"):
            with file_open(full, "rb") as source:
                tree = etree.parse(source)
            names.update(node.get("id") for node in tree.xpath(DATA_NODES))
    return tuple(sorted(name for name in names if "." not in name))


def _move_data_xmlids(cr, module):
    moved = _rename(cr, module, SQL("d.name IN %s", _data_xmlids(module) or ("",)))
    # The server action behind each moved cron has an XML id of its own (<cron>_ir_actions_server).
    moved += _rename(
        cr,
        module,
        SQL(
            "d.model = 'ir.actions.server' AND d.res_id IN "
            "(SELECT c.ir_actions_server_id FROM ir_cron c JOIN ir_model_data x "
            "ON x.model = 'ir.cron' AND x.res_id = c.id WHERE x.module = %s)",
            module,
        ),
    )
    _logger.info("oms_extended 19.0.2.0.0: %s data XML ids moved to %s", moved, module)


# ---------------------------------------------------------------------- noupdate rows


def _snapshot_noupdate_records(env):
    """Keep the rows of the moved ``noupdate`` records (and of their ``_inherits`` parents)
    as they are now, for end-migrate.py to put back after the new addons loaded."""
    cr = env.cr
    cr.execute(
        SQL(
            """
            CREATE TABLE IF NOT EXISTS %s (
                tbl varchar NOT NULL, id integer NOT NULL, columns varchar[] NOT NULL,
                row jsonb NOT NULL, PRIMARY KEY (tbl, id))
            """,
            SQL.identifier(SNAPSHOT_TABLE),
        )
    )
    cr.execute(
        SQL(
            "SELECT model, array_agg(res_id) FROM ir_model_data "
            "WHERE module IN %s AND noupdate GROUP BY model",
            FEATURES,
        )
    )
    todo = list(cr.fetchall())
    while todo:
        model_name, ids = todo.pop()
        if model_name not in env:
            continue
        model = env[model_name]
        _snapshot_rows(cr, model._table, tuple(ids))
        for parent, field in model._inherits.items():
            cr.execute(
                SQL(
                    "SELECT array_agg(%s) FROM %s WHERE id IN %s",
                    SQL.identifier(field),
                    SQL.identifier(model._table),
                    tuple(ids),
                )
            )
            parent_ids = [pid for pid in cr.fetchone()[0] or () if pid]
            if parent_ids:
                todo.append((parent, parent_ids))


def _snapshot_rows(cr, table, ids):
    cr.execute(
        SQL(
            """
            INSERT INTO %(snapshot)s (tbl, id, columns, row)
            SELECT %(table_name)s, t.id,
                   (SELECT array_agg(column_name::varchar) FROM information_schema.columns
                     WHERE table_schema = current_schema() AND table_name = %(table_name)s),
                   to_jsonb(t)
              FROM %(table)s t WHERE t.id IN %(ids)s
            ON CONFLICT (tbl, id) DO NOTHING
            """,
            snapshot=SQL.identifier(SNAPSHOT_TABLE),
            table_name=table,
            table=SQL.identifier(table),
            ids=ids,
        )
    )
