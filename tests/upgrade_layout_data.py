"""A database of the one-addon layout in use, for test_upgrade_layout.py (not a test itself).

python tests/upgrade_layout_data.py ODOO_CONF DBNAME ADDONS_PATH fill

runs with the addons of the commit before the cut (ADDONS_PATH, from ``git archive``) and
adds, through their ORM, what a shop has after some use: orders in several statuses and a
payment, shipments with tracking events (one event still waiting for its tracking number),
a webhook request, a reorder policy computed, customer figures and segment changes, document
log entries, and users' edits of the records they may change: crons' intervals and active
flags, the automation rule, mail templates, carriers' and customers' settings.
"""

import sys
from datetime import datetime, timedelta

import odoo
from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.modules.registry import Registry

# The users' edits: {xmlid of the one-addon layout: values}.
EDITS = {
    "oms_extended.ir_cron_oms_poll_shipments": {"interval_number": 45, "active": False},
    "oms_extended.ir_cron_oms_reorder": {"interval_number": 2},
    "oms_extended.ir_cron_oms_customer_lifecycle": {"interval_number": 3, "active": False},
    "oms_extended.ir_cron_oms_apply_automation": {"interval_number": 20},
    "oms_extended.oms_workflow_default": {
        "active": True,
        "confirm_policy": "always",
        "name": "Default, as the shop set it",
    },
    "oms_extended.mail_template_oms_shipment_problem": {
        "body_html": "<p>Our own words about your parcel.</p>"
    },
    "oms_extended.mail_template_oms_winback": {"subject": "Come back soon"},
    "oms_extended.mail_template_oms_stock_digest": {"subject": "Running low"},
}


def fill(env):
    company = env.company
    if not company.chart_template:
        env["account.chart.template"].try_loading("generic_coa", company=company)
    if not env["account.journal"].search_count(
        [("company_id", "=", company.id), ("type", "=", "cash")]
    ):
        env["account.journal"].create(
            {"name": "Cash", "code": "CSH1", "type": "cash", "company_id": company.id}
        )
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    vendor = env["res.partner"].create({"name": "Upgrade Beans Ltd"})
    product = env["product.product"].create(
        {
            "name": "Upgrade Grinder",
            "is_storable": True,
            "list_price": 40.0,
            "standard_price": 20.0,
            "taxes_id": [],
            "seller_ids": [Command.create({"partner_id": vendor.id, "delay": 3, "price": 20})],
        }
    )
    env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 500.0)
    service = env["product.product"].create(
        {"name": "Upgrade Training", "type": "service", "list_price": 50.0, "taxes_id": []}
    )
    customers = env["res.partner"].create(
        [{"name": f"Upgrade Customer {i}", "email": f"upgrade{i}@example.com"} for i in range(4)]
    )
    customers[0].oms_retention_opt_out = True
    carrier = env["delivery.carrier"].create(
        {
            "name": "Upgrade Parcel",
            "delivery_type": "fixed",
            "product_id": service.id,
            "oms_code": "upgradeparcel",
            "oms_webhook_secret": "whsec-upgrade-0123456789",
            "oms_notify_customer": True,
            "oms_tracking_timeout": 12,
        }
    )

    def order(partner, lines, confirm=True):
        record = env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": qty}) for p, qty in lines
                ],
            }
        )
        if confirm:
            record.action_confirm()
        return record

    def ship(record, tracking):
        picking = record.picking_ids
        picking.write({"carrier_id": carrier.id, "carrier_tracking_ref": tracking})
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()

    order(customers[0], [(product, 1)], confirm=False)  # a quotation
    order(customers[1], [(product, 2)])  # ready to ship
    shipped = order(customers[2], [(product, 3)])
    ship(shipped, "UPG-1")
    delivered = order(customers[3], [(product, 1), (service, 1)])
    ship(delivered, "UPG-2")
    paid = order(customers[1], [(service, 2)])
    paid._oms_register_payment(100.0, "cash")
    order(customers[0], [(product, 1)]).action_cancel()
    now = datetime.now()
    events = env["oms.shipment.event"]
    events._oms_ingest(
        carrier,
        [
            {"tracking_number": "UPG-1", "status": "picked_up", "time": str(now)},
            {"tracking_number": "UPG-1", "status": "in_transit", "time": str(now)},
            {"tracking_number": "UPG-2", "status": "delivered", "time": str(now)},
            {"tracking_number": "UPG-404", "status": "in_transit", "time": str(now)},
        ],
    )
    env["oms.carrier.webhook.request"]._oms_register(carrier, "ab" * 32, now)
    env["crm.lead"].create(
        {
            "name": "Win back Upgrade Customer 2",
            "type": "opportunity",
            "partner_id": customers[2].id,
            "oms_is_retention": True,
        }
    )

    _reorder_policy(env, warehouse, product, vendor)
    env["oms.customer.stat"]._oms_compute_lifecycle(company)
    orders = env["sale.order"].search([("partner_id", "in", customers.ids)])
    env["oms.document.log"]._oms_log_records(orders, "print")

    for xmlid, values in EDITS.items():
        env.ref(xmlid).write(values)
    env.flush_all()


def _reorder_policy(env, warehouse, product, vendor):
    """Two weeks of sales to customers, and a policy computed on them."""
    now = datetime.now()
    stock, customers_location = warehouse.lot_stock_id, env.ref("stock.stock_location_customers")
    for day in range(1, 15):
        move = env["stock.move"].create(
            {
                "product_id": product.id,
                "product_uom": product.uom_id.id,
                "product_uom_qty": 2,
                "location_id": stock.id,
                "location_dest_id": customers_location.id,
            }
        )
        move._action_confirm()
        move._action_assign()
        move.quantity = 2
        move.picked = True
        move._action_done()
        move.write({"date": now - timedelta(days=day)})
        move.move_line_ids.write({"date": now - timedelta(days=day)})
    policy = env["oms.reorder.policy"].create(
        {
            "name": "Upgrade policy",
            "warehouse_id": warehouse.id,
            "demand_window_days": 28,
            "auto_confirm": True,
            "auto_confirm_partner_ids": [Command.set(vendor.ids)],
        }
    )
    policy.action_compute_now()
    assert env["oms.reorder.line"].search_count([("policy_id", "=", policy.id)]), "no result"


def main(conf, dbname, addons_path, action):
    odoo.tools.config.parse_config(
        ["-c", conf, "-d", dbname, f"--db-filter=^{dbname}$", f"--addons-path={addons_path}"]
    )
    with Registry(dbname).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        {"fill": fill}[action](env)


if __name__ == "__main__":
    main(*sys.argv[1:5])
