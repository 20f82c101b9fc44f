#!/usr/bin/env python3
"""Generate a realistic, reproducible OMS data set in an installed Odoo 19 database.

Usage::

    .venv/bin/python bench/generate.py --db NAME --orders N --seed S [--paid-quotations M]

Master data (categories, brands, products, vendors, customers, teams, UTM
records) is created through the ORM with tracking and mail disabled.  Orders
and everything that hangs off them (lines, pickings, stock moves and move
lines, quants, invoices, journal items, payments, reconciliations) are planned
in Python and written set-based with PostgreSQL ``COPY``, filling every stored
computed field the way Odoo 19 computes it.  ``check()`` then reads the totals
back through the ORM and recomputes a sample of stored fields with the ORM to
prove the SQL-written values are the ones Odoo would have computed.

The run is identified by a dedicated ``utm.campaign``; document names follow
the standard Odoo sequences (numbers are reserved), so re-running on the same
database with another seed appends new data without collisions.

``--paid-quotations M`` adds M recent quotations, each paid in full by a posted
bank payment that is not reconciled yet (what a customer paying up front leaves):
the input of the OMS automation benchmark. With ``oms_extended`` installed, the
payments are linked to their orders and the orders wait for the automation cron.
"""

import argparse
import importlib
import io
import os
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _ensure_odoo_importable():
    try:
        importlib.import_module("odoo")
    except ImportError:
        sys.path.insert(0, os.environ.get("ODOO_PATH", "/opt/odoo19"))


_ensure_odoo_importable()

import odoo  # noqa: E402
from odoo.tools import SQL, float_round  # noqa: E402

NO_MAIL_CTX = {
    "tracking_disable": True,
    "mail_notrack": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_auto_subscribe_no_notify": True,
    "no_reset_password": True,
}

BATCH_ORDERS = 10_000

COUNTRY_CODES = (
    "US",
    "CA",
    "MX",
    "BR",
    "AR",
    "CL",
    "CO",
    "PE",
    "GB",
    "IE",
    "FR",
    "BE",
    "NL",
    "LU",
    "DE",
    "AT",
    "CH",
    "IT",
    "ES",
    "PT",
    "DK",
    "SE",
    "NO",
    "FI",
    "PL",
    "CZ",
    "HU",
    "RO",
    "GR",
    "TR",
    "IN",
    "JP",
    "KR",
    "CN",
    "SG",
    "AU",
    "NZ",
    "ZA",
    "MA",
    "AE",
)
FIRST_NAMES = (
    "Alice",
    "Bruno",
    "Chloé",
    "Diego",
    "Emma",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kenji",
    "Lena",
    "Marco",
    "Nadia",
    "Oscar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tara",
)
LAST_NAMES = (
    "Martin",
    "Smith",
    "Rossi",
    "Müller",
    "Garcia",
    "Dubois",
    "Silva",
    "Kowalski",
    "Nakamura",
    "Jensen",
    "Novak",
    "Ivanova",
    "Fischer",
    "Lopez",
    "Brown",
    "Khan",
    "Peeters",
    "Moreau",
)
COMPANY_WORDS = (
    "Alpha",
    "Blue",
    "Cedar",
    "Delta",
    "Echo",
    "Falcon",
    "Granite",
    "Harbor",
    "Iris",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Maple",
    "Nova",
    "Orbit",
    "Pine",
    "Quartz",
    "River",
    "Summit",
    "Terra",
)
COMPANY_SUFFIXES = ("Trading", "Retail", "Supplies", "Group", "Stores", "Distribution", "Labs")
CATEGORIES = {
    "Electronics": ("Headphones", "Speaker", "Charger", "Cable", "Monitor", "Keyboard"),
    "Home & Kitchen": ("Kettle", "Pan", "Knife Set", "Lamp", "Blender", "Mug"),
    "Outdoor": ("Tent", "Backpack", "Flashlight", "Bottle", "Sleeping Bag"),
    "Office": ("Desk Chair", "Notebook", "Pen Set", "Organizer", "Stapler"),
    "Sports": ("Yoga Mat", "Dumbbell", "Football", "Racket", "Bike Helmet"),
    "Beauty": ("Shampoo", "Face Cream", "Perfume", "Hair Dryer"),
    "Toys": ("Puzzle", "Building Set", "Plush", "Board Game"),
}
SERVICES = (
    "Extended Warranty",
    "Installation",
    "Gift Wrapping",
    "Express Handling",
    "Setup Call",
    "Recycling Fee",
    "Premium Support",
)
BRANDS = (
    "Acme",
    "Nordica",
    "Zenith",
    "Vortex",
    "Helios",
    "Lumina",
    "Oakline",
    "Pioneer",
    "Solace",
    "Tundra",
    "Urbana",
    "Vela",
    "Wavecrest",
    "Xeno",
    "Yarrow",
)
TEAMS = ("Web Shop", "Retail Stores", "B2B Direct", "Marketplaces", "Phone Sales")
SOURCES = ("Search engine", "Newsletter", "Facebook", "Instagram", "Referral", "Google Ads")
MEDIUMS = ("Website", "Email", "Phone", "Social", "Direct", "Banner")
# order buckets: (bucket, sale.order state)
BUCKETS = ("draft", "sent", "sale", "delivered", "invoiced", "paid", "cancel")
BUCKET_WEIGHTS = {  # by order age (days): recent orders are less advanced
    7: (25, 20, 25, 15, 10, 0, 5),
    45: (8, 8, 12, 14, 18, 33, 7),
    10_000: (2, 2, 2, 3, 8, 76, 7),
}
# paid quotations (--paid-quotations): a quotation with a posted payment not reconciled
PREPAID = "prepaid"
ORDER_STATE = {
    PREPAID: "draft",
    "draft": "draft",
    "sent": "sent",
    "sale": "sale",
    "delivered": "sale",
    "invoiced": "sale",
    "paid": "sale",
    "cancel": "cancel",
}


class GenerationError(Exception):
    """Raised when the database is not suitable for the generation."""


class CheckError(Exception):
    """Raised when the self-check finds an inconsistency."""


def money(value):
    return float_round(value, precision_digits=2)


# --------------------------------------------------------------------------
# progress reporting
# --------------------------------------------------------------------------


class Progress:
    def __init__(self, out=print):
        self.out = out
        self.start = time.monotonic()
        self.timings = {}
        self._phase = None
        self._phase_start = None

    def phase(self, name):
        self._close_phase()
        self._phase, self._phase_start = name, time.monotonic()

    def tick(self, count, unit="orders"):
        now = time.monotonic()
        spent = now - self._phase_start
        rate = count / spent if spent > 0 else 0.0
        self.out(
            f"[{self._phase}] {count:>9,} {unit} | {rate:>9,.0f}/s | "
            f"phase {spent:6.1f}s | elapsed {now - self.start:7.1f}s"
        )

    def _close_phase(self):
        if self._phase:
            self.timings[self._phase] = self.timings.get(self._phase, 0.0) + (
                time.monotonic() - self._phase_start
            )
            self._phase = None

    def finish(self):
        self._close_phase()
        self.timings["total"] = time.monotonic() - self.start
        return self.timings


# --------------------------------------------------------------------------
# low level SQL helpers
# --------------------------------------------------------------------------

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _fmt(value):
    kind = type(value)
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is str:
        return value.translate(_COPY_ESCAPES)
    if kind is float:
        return repr(value)
    if kind is datetime or kind is date:
        return value.isoformat()
    return str(value)


def copy_rows(cr, table, columns, rows, constants=None):
    """COPY ``rows`` (tuples matching ``columns``) into ``table``.

    ``constants`` maps extra columns to one value shared by every row.
    Table and column names come from this module, never from user input.
    """
    constants = constants or {}
    tail = "".join("\t" + _fmt(v) for v in constants.values())
    buf = io.StringIO()
    write = buf.write
    for row in rows:
        write("\t".join([_fmt(v) for v in row]))
        write(tail)
        write("\n")
    buf.seek(0)
    cols = ", ".join(list(columns) + list(constants))
    # Foreign keys are correct by construction (ids come from the database or from
    # reserved sequences); skipping the per-row RI triggers makes COPY ~5x faster.
    if _can_skip_fk_triggers(cr):
        cr.execute("SET LOCAL session_replication_role = replica")
    cr._obj.copy_expert(f"COPY {table} ({cols}) FROM STDIN", buf)
    cr.execute("SET LOCAL session_replication_role = DEFAULT")


def _can_skip_fk_triggers(cr):
    cr.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return cr.fetchone()[0]


def reserve_ids(cr, table, count):
    """Reserve ``count`` ids of ``table`` from its PostgreSQL sequence."""
    if not count:
        return []
    cr.execute(
        SQL(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            f"{table}_id_seq",
            count,
        )
    )
    return [row[0] for row in cr.fetchall()]


def reserve_sequence(sequence, count):
    """Reserve ``count`` numbers of an ir.sequence; return a name factory."""
    sequence = sequence.sudo()
    start = sequence.number_next_actual
    sequence.write({"number_next_actual": start + count})
    prefix, suffix = sequence._get_prefix_suffix()
    padding = sequence.padding
    return lambda i: f"{prefix}{start + i:0{padding}d}{suffix}"


# --------------------------------------------------------------------------
# master data (ORM)
# --------------------------------------------------------------------------


@dataclass
class Customer:
    id: int
    commercial_id: int
    commercial_name: str
    country_id: int
    fpos_id: int
    tax_id: int


@dataclass
class Product:
    id: int
    name: str
    price: float
    cost: float
    storable: bool
    uom_id: int
    vendor_id: int | None


@dataclass
class Master:
    company: object
    currency_id: int
    campaign_id: int
    products: list
    customers: list
    teams: list  # [(team_id, [user_id, ...])]
    source_ids: list
    medium_ids: list
    vendor_ids: list
    taxes: dict  # tax_id -> dict(rate, name, group_id, rep_line_id, account_id)
    income_account: dict  # (product_id, fpos_id) -> account id
    receivable_account_id: int
    warehouse: object
    locations: dict
    out_type: object
    in_type: object
    out_rule_id: int
    sale_journal: object
    bank_journal: object
    payment_method_line: object
    outstanding_account_id: int


def _search_or_create(model, names, extra=None):
    existing = {rec.name: rec.id for rec in model.search([("name", "in", list(names))])}
    missing = [name for name in names if name not in existing]
    if missing:
        created = model.create([{"name": name, **(extra or {})} for name in missing])
        existing.update(zip(missing, created.ids, strict=True))
    return [existing[name] for name in names]


def _shelf_price(value):
    """Round to a multiple of 0.20 so that every allowed discount gives an exact cent amount.

    Untaxed line amounts are then the same whether the company rounds taxes per line
    or globally, and Odoo's order/invoice totals are reproducible exactly.
    """
    return money(round(value * 5) / 5)


def _create_products(env, rng, company, sale_tax, vendor_ids):
    categ_root = env["product.category"].create({"name": "OMS Bench"})
    brand_ids = _search_or_create(env["product.brand"], BRANDS)
    brand_names = dict(zip(brand_ids, BRANDS, strict=True))
    uom_unit = env.ref("uom.product_uom_unit")
    tag = rng.randrange(10**6)
    vals_list = []
    for categ_name, items in CATEGORIES.items():
        categ = env["product.category"].create({"name": categ_name, "parent_id": categ_root.id})
        for item in items:
            for model_no in range(rng.randint(5, 9)):
                price = _shelf_price(
                    rng.choice((9.9, 14.5, 19.9, 24.9, 39.0, 59.9, 89.0, 129.0, 249.0))
                    * rng.uniform(0.8, 1.3)
                )
                brand = rng.choice(brand_ids)
                vals_list.append(
                    {
                        "name": f"{item} {brand_names[brand]} {model_no + 1:02d}",
                        "default_code": f"B{tag:06d}-{len(vals_list) + 1:04d}",
                        "type": "consu",
                        "is_storable": True,
                        "categ_id": categ.id,
                        "product_brand_id": brand,
                        "list_price": price,
                        "standard_price": money(price * rng.uniform(0.35, 0.65)),
                        "taxes_id": [(6, 0, sale_tax.ids)],
                        "uom_id": uom_unit.id,
                        "seller_ids": [
                            (
                                0,
                                0,
                                {
                                    "partner_id": rng.choice(vendor_ids),
                                    "delay": rng.randint(2, 21),
                                    "min_qty": rng.choice((1, 5, 10)),
                                    "price": money(price * rng.uniform(0.35, 0.6)),
                                },
                            )
                        ],
                    }
                )
    services_categ = env["product.category"].create(
        {"name": "Services", "parent_id": categ_root.id}
    )
    for name in SERVICES:
        price = _shelf_price(rng.uniform(5, 150))
        vals_list.append(
            {
                "name": name,
                "default_code": f"B{tag:06d}-S{len(vals_list) + 1:03d}",
                "type": "service",
                "categ_id": services_categ.id,
                "list_price": price,
                "standard_price": money(price * 0.3),
                "taxes_id": [(6, 0, sale_tax.ids)],
                "uom_id": uom_unit.id,
            }
        )
    return env["product.product"].create(vals_list)


def _create_partners(env, rng, n_customers, countries):
    Partner = env["res.partner"]
    vendors = Partner.create(
        [
            {
                "name": f"{rng.choice(COMPANY_WORDS)} Supply Vendor {i + 1}",
                "is_company": True,
                "supplier_rank": 1,
                "country_id": rng.choice(countries).id,
            }
            for i in range(12)
        ]
    )
    company_vals, person_vals = [], []
    for i in range(n_customers):
        country = countries[i % len(countries)] if i < len(countries) else rng.choice(countries)
        if rng.random() < 0.35:
            company_vals.append(
                {
                    "name": f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_SUFFIXES)} {i + 1}",
                    "is_company": True,
                    "customer_rank": 1,
                    "country_id": country.id,
                    "city": f"City {rng.randint(1, 50)}",
                    "email": f"orders{i + 1}@example.com",
                }
            )
        else:
            person_vals.append(
                {
                    "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {i + 1}",
                    "customer_rank": 1,
                    "country_id": country.id,
                    "city": f"City {rng.randint(1, 50)}",
                    "email": f"customer{i + 1}@example.com",
                }
            )
    companies = Partner.create(company_vals)
    persons = Partner.create(person_vals)
    contact_vals = [
        {
            "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "parent_id": comp.id,
            "type": "contact",
            "email": f"buyer{comp.id}.{k}@example.com",
        }
        for comp in companies
        for k in range(rng.randint(1, 3))
    ]
    contacts = Partner.create(contact_vals)
    return vendors, companies, persons, contacts


def _customers(env, companies, persons, contacts, sale_tax):
    """Customer tuples with their fiscal position and mapped tax."""
    FiscalPosition = env["account.fiscal.position"]
    fpos_by_country = {}
    result = []
    for partner in companies | persons | contacts:
        commercial = partner.commercial_partner_id
        country_id = commercial.country_id.id
        if country_id not in fpos_by_country:
            fpos = FiscalPosition._get_fiscal_position(commercial)
            taxes = fpos.map_tax(sale_tax) if fpos else sale_tax
            fpos_by_country[country_id] = (fpos.id or None, taxes[:1].id)
        fpos_id, tax_id = fpos_by_country[country_id]
        result.append(
            Customer(partner.id, commercial.id, commercial.name, country_id, fpos_id, tax_id)
        )
    return result


def _tax_info(env, tax_ids):
    info = {}
    for tax in env["account.tax"].browse(sorted(set(tax_ids))):
        if tax.amount_type != "percent" or tax.price_include or tax.children_tax_ids:
            raise GenerationError(
                f"Unsupported sale tax {tax.name}: only simple excluded percent taxes are handled"
            )
        rep = tax.invoice_repartition_line_ids.filtered(lambda r: r.repartition_type == "tax")
        if len(rep) != 1 or rep.tag_ids or tax.invoice_repartition_line_ids.tag_ids:
            raise GenerationError(f"Unsupported repartition on tax {tax.name}")
        info[tax.id] = {
            "rate": tax.amount,
            "name": tax.name,
            "group_id": tax.tax_group_id.id,
            "rep_line_id": rep.id,
            "account_id": rep.account_id.id,
        }
    return info


def _create_sales_structure(env, rng):
    salesman_group = env.ref("sales_team.group_sale_salesman")
    users = env["res.users"].search([("login", "=like", "oms.bench.sales%")], order="id")
    if not users:
        users = env["res.users"].create(
            [
                {
                    "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} (sales)",
                    "login": f"oms.bench.sales{i + 1}@example.com",
                    "group_ids": [(4, salesman_group.id)],
                }
                for i in range(10)
            ]
        )
    teams = []
    for i, name in enumerate(TEAMS):
        members = users[2 * i : 2 * i + 2]
        team = env["crm.team"].search([("name", "=", name)], limit=1)
        if not team:
            team = env["crm.team"].create(
                {"name": name, "crm_team_member_ids": [(0, 0, {"user_id": u.id}) for u in members]}
            )
        teams.append((team.id, members.ids))
    source_ids = _search_or_create(env["utm.source"], SOURCES)
    medium_ids = _search_or_create(env["utm.medium"], MEDIUMS)
    return teams, source_ids, medium_ids


def create_master_data(env, rng, n_orders, seed, progress):
    progress.phase("master data")
    company = env.company
    sale_tax = company.account_sale_tax_id
    if not sale_tax:
        raise GenerationError(
            "The company has no default sale tax: install a chart of accounts first"
        )
    countries = env["res.country"].search([("code", "in", COUNTRY_CODES)])
    campaign = env["utm.campaign"].create(
        {"name": f"OMS bench seed {seed} ({datetime.now():%Y-%m-%d %H:%M:%S})"}
    )
    teams, source_ids, medium_ids = _create_sales_structure(env, rng)
    n_customers = min(3000, max(60, n_orders // 30))
    vendors, companies, persons, contacts = _create_partners(env, rng, n_customers, countries)
    progress.tick(len(companies) + len(persons) + len(contacts) + len(vendors), "partners")
    products = _create_products(env, rng, company, sale_tax, vendors.ids)
    progress.tick(len(products), "products")
    customers = _customers(env, companies, persons, contacts, sale_tax)
    fpos_ids = {c.fpos_id for c in customers}
    FiscalPosition = env["account.fiscal.position"]
    income = {}
    for product in products:
        for fpos_id in fpos_ids:
            accounts = product.product_tmpl_id.get_product_accounts(
                FiscalPosition.browse(fpos_id or [])
            )
            income[(product.id, fpos_id)] = accounts["income"].id
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    locations = {
        "stock": warehouse.lot_stock_id,
        "customer": env.ref("stock.stock_location_customers"),
        "supplier": env.ref("stock.stock_location_suppliers"),
    }
    out_type, in_type = warehouse.out_type_id, warehouse.in_type_id
    out_rule = env["stock.rule"].search(
        [
            ("picking_type_id", "=", out_type.id),
            ("location_dest_id", "=", locations["customer"].id),
        ],
        limit=1,
    )
    sale_journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
    )
    bank_journal = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
    )
    payment = env["account.payment"].new(
        {"journal_id": bank_journal.id, "payment_type": "inbound", "partner_type": "customer"}
    )
    method_line = payment.payment_method_line_id
    outstanding = method_line.payment_account_id or payment._get_outstanding_account("inbound")
    receivable = (
        env["res.partner"].browse(customers[0].commercial_id).property_account_receivable_id
    )
    vendor_by_product = {p.id: p.seller_ids[:1].partner_id.id or None for p in products}
    master = Master(
        company=company,
        currency_id=company.currency_id.id,
        campaign_id=campaign.id,
        products=[
            Product(
                p.id,
                p.name,
                p.list_price,
                p.standard_price,
                p.is_storable,
                p.uom_id.id,
                vendor_by_product[p.id],
            )
            for p in products
        ],
        customers=customers,
        teams=teams,
        source_ids=source_ids,
        medium_ids=medium_ids,
        vendor_ids=vendors.ids,
        taxes=_tax_info(env, [c.tax_id for c in customers]),
        income_account=income,
        receivable_account_id=receivable.id,
        warehouse=warehouse,
        locations={k: v.id for k, v in locations.items()},
        out_type=out_type,
        in_type=in_type,
        out_rule_id=out_rule.id or None,
        sale_journal=sale_journal,
        bank_journal=bank_journal,
        payment_method_line=method_line,
        outstanding_account_id=outstanding.id,
    )
    env.flush_all()
    return master


# --------------------------------------------------------------------------
# planning (pure python, seeded)
# --------------------------------------------------------------------------


@dataclass(slots=True)
class Line:
    product: Product
    qty: float
    price: float
    discount: float
    subtotal: float
    tax: float
    total: float
    id: int = 0
    move_id: int = 0
    aml_id: int = 0


@dataclass(slots=True)
class Order:
    index: int
    bucket: str
    date_order: datetime
    customer: Customer
    team_id: int
    user_id: int
    source_id: int
    medium_id: int
    lines: list
    delivered_at: datetime | None = None
    invoice_date: date | None = None
    paid_date: date | None = None
    id: int = 0
    name: str = ""
    picking_id: int = 0
    picking_name: str = ""
    invoice_id: int = 0
    invoice_name: tuple = ()  # (name, sequence_prefix, sequence_number)
    receivable_line_id: int = 0
    full_reconcile_id: int = 0
    payment_id: int = 0
    payment_move_id: int = 0
    payment_name: tuple = ()
    amount_untaxed: float = 0.0
    amount_tax: float = 0.0
    amount_total: float = 0.0

    @property
    def state(self):
        return ORDER_STATE[self.bucket]

    @property
    def storable_lines(self):
        return [line for line in self.lines if line.product.storable]


def _pick_bucket(rng, age_days):
    for limit, weights in BUCKET_WEIGHTS.items():
        if age_days < limit:
            return rng.choices(BUCKETS, weights)[0]
    return "paid"


def _plan_line(rng, product, tax_rate):
    qty = float(rng.choices((1, 2, 3, 4, 5, 6, 10, 12), (40, 22, 12, 8, 7, 4, 4, 3))[0])
    discount = rng.choices((0.0, 5.0, 10.0, 15.0, 20.0), (70, 10, 10, 5, 5))[0]
    subtotal = money(qty * product.price * (1 - discount / 100.0))  # exact, see _shelf_price
    tax = money(subtotal * tax_rate / 100.0)
    total = money(subtotal + tax)
    return Line(product, qty, product.price, discount, subtotal, tax, total)


def _order_amounts(lines, tax_rate, round_globally):
    """Order/invoice totals as account.tax computes them for one excluded percent tax.

    Lines always round their own tax (single base line); the order rounds the tax once
    over all lines when the company uses 'round_globally'.
    """
    untaxed = money(sum(line.subtotal for line in lines))
    if round_globally:
        tax = money(sum(line.subtotal * tax_rate / 100.0 for line in lines))
    else:
        tax = money(sum(line.tax for line in lines))
    return untaxed, tax, money(untaxed + tax)


def plan_orders(rng, master, n_orders, now, *, paid_quotations=0, prepaid_rng=None):
    """Plan ``n_orders`` orders over the two years before ``now``, then
    ``paid_quotations`` quotations of the last two days, paid in full (drawn from
    ``prepaid_rng``, so that the history does not depend on their number)."""
    horizon = 730 * 86400
    goods = [p for p in master.products if p.storable]
    services = [p for p in master.products if not p.storable]
    tax_rates = {tax_id: info["rate"] for tax_id, info in master.taxes.items()}
    round_globally = master.company.tax_calculation_rounding_method == "round_globally"
    orders = []
    for index in range(n_orders + paid_quotations):
        if index >= n_orders:
            rng = prepaid_rng or rng
            bucket = PREPAID
            age = rng.uniform(600, 2 * 86400)
        elif index < len(BUCKETS):  # guarantee every state, even for tiny data sets
            bucket = BUCKETS[index]
            age = rng.uniform(3 * 86400, 40 * 86400)
        else:
            age = rng.uniform(3600, horizon)
            bucket = _pick_bucket(rng, age / 86400)
        date_order = (now - timedelta(seconds=age)).replace(microsecond=0)
        customer = rng.choice(master.customers)
        team_id, members = rng.choice(master.teams)
        n_lines = rng.choices(range(1, 9), (10, 12, 13, 14, 14, 13, 12, 12))[0]  # 4.57 on average
        products = rng.sample(goods, n_lines)
        if rng.random() < 0.15:
            products[-1] = rng.choice(services)
        rate = tax_rates[customer.tax_id]
        lines = [_plan_line(rng, p, rate) for p in products]
        order = Order(
            index,
            bucket,
            date_order,
            customer,
            team_id,
            rng.choice(members) if members else None,
            rng.choice(master.source_ids),
            rng.choice(master.medium_ids),
            lines,
        )
        _plan_events(rng, order, now)
        order.amount_untaxed, order.amount_tax, order.amount_total = _order_amounts(
            lines, rate, round_globally
        )
        orders.append(order)
    return orders


def _plan_events(rng, order, now):
    if order.bucket in ("delivered", "invoiced", "paid"):
        delivered = order.date_order + timedelta(hours=rng.uniform(2, 96))
        order.delivered_at = min(delivered, now - timedelta(minutes=5))
    if order.bucket in ("invoiced", "paid"):
        invoice_date = order.delivered_at.date() + timedelta(days=rng.randint(0, 2))
        order.invoice_date = min(invoice_date, now.date())
    if order.bucket == "paid":
        paid = order.invoice_date + timedelta(days=rng.choice((0, 1, 3, 7, 14, 30)))
        order.paid_date = min(paid, now.date())
    if order.bucket == PREPAID:
        order.paid_date = order.date_order.date()


# --------------------------------------------------------------------------
# ids and names
# --------------------------------------------------------------------------


def assign_ids_and_names(env, master, orders):
    """Reserve database ids and document numbers for every planned record."""
    cr = env.cr
    order_name = reserve_sequence(
        env["ir.sequence"].search(
            [("code", "=", "sale.order"), ("company_id", "in", (master.company.id, False))], limit=1
        ),
        len(orders),
    )
    for order, order_id in zip(orders, reserve_ids(cr, "sale_order", len(orders)), strict=True):
        order.id = order_id
        order.name = order_name(order.index)
    lines = [line for order in orders for line in order.lines]
    for line, line_id in zip(lines, reserve_ids(cr, "sale_order_line", len(lines)), strict=True):
        line.id = line_id
    _assign_pickings(env, master, orders)
    _assign_invoices(env, master, orders)
    _assign_payments(env, master, orders)


def _assign_pickings(env, master, orders):
    cr = env.cr
    shipped = [o for o in orders if o.state == "sale" and o.storable_lines]
    picking_name = reserve_sequence(master.out_type.sequence_id, len(shipped))
    shipped.sort(key=lambda o: o.date_order)
    for i, (order, picking_id) in enumerate(
        zip(shipped, reserve_ids(cr, "stock_picking", len(shipped)), strict=True)
    ):
        order.picking_id = picking_id
        order.picking_name = picking_name(i)
    moved = [line for o in shipped for line in o.storable_lines]
    for line, move_id in zip(moved, reserve_ids(cr, "stock_move", len(moved)), strict=True):
        line.move_id = move_id


def _account_move_namer(env, journal, prefix_code):
    """Return ``name(year) -> (name, prefix, number)`` continuing existing numbering."""
    env.cr.execute(
        SQL(
            "SELECT sequence_prefix, MAX(sequence_number) FROM account_move"
            " WHERE journal_id = %s GROUP BY sequence_prefix",
            journal.id,
        )
    )
    last = dict(env.cr.fetchall())

    def name(year):
        prefix = f"{prefix_code}/{year}/"
        last[prefix] = number = last.get(prefix, 0) + 1
        return f"{prefix}{number:05d}", prefix, number

    return name


def _assign_invoices(env, master, orders):
    cr = env.cr
    invoiced = sorted(
        (o for o in orders if o.invoice_date), key=lambda o: (o.invoice_date, o.index)
    )
    namer = _account_move_namer(env, master.sale_journal, master.sale_journal.code)
    for order, move_id in zip(
        invoiced, reserve_ids(cr, "account_move", len(invoiced)), strict=True
    ):
        order.invoice_id = move_id
        order.invoice_name = namer(order.invoice_date.year)
    lines = [line for o in invoiced for line in o.lines]
    for line, aml_id in zip(lines, reserve_ids(cr, "account_move_line", len(lines)), strict=True):
        line.aml_id = aml_id
    paid = [o for o in invoiced if o.paid_date]
    for order, full_id in zip(
        paid, reserve_ids(cr, "account_full_reconcile", len(paid)), strict=True
    ):
        order.full_reconcile_id = full_id


def _assign_payments(env, master, orders):
    cr = env.cr
    paid = sorted((o for o in orders if o.paid_date), key=lambda o: (o.paid_date, o.index))
    namer = _account_move_namer(env, master.bank_journal, f"P{master.bank_journal.code}")
    move_ids = reserve_ids(cr, "account_move", len(paid))
    payment_ids = reserve_ids(cr, "account_payment", len(paid))
    for order, move_id, payment_id in zip(paid, move_ids, payment_ids, strict=True):
        order.payment_move_id = move_id
        order.payment_id = payment_id
        order.payment_name = namer(order.paid_date.year)


# --------------------------------------------------------------------------
# SQL writers (one function per table family)
# --------------------------------------------------------------------------


def _audit(uid, when):
    return {"create_uid": uid, "write_uid": uid, "create_date": when, "write_date": when}


def write_sale_orders(cr, master, orders, uid):
    company_id, currency_id = master.company.id, master.currency_id
    rows = []
    for o in orders:
        c = o.customer
        shipped = o.state == "sale" and bool(o.storable_lines)
        delivery_status = ("full" if o.delivered_at else "pending") if shipped else None
        invoice_status = {"sale": "to invoice", "delivered": "to invoice"}.get(o.bucket)
        if o.invoice_date:
            invoice_status = "invoiced"
        rows.append(
            (
                o.id,
                o.name,
                o.state,
                c.id,
                c.commercial_id,
                c.id,
                c.fpos_id,
                o.user_id,
                o.team_id,
                o.source_id,
                o.medium_id,
                invoice_status or "no",
                (o.date_order + timedelta(days=30)).date(),
                o.amount_untaxed,
                o.amount_tax,
                o.amount_total,
                o.date_order,
                o.date_order,
                o.delivered_at or o.date_order,
                delivery_status,
                o.delivered_at if shipped else None,
            )
        )
    copy_rows(
        cr,
        "sale_order",
        (
            "id",
            "name",
            "state",
            "partner_id",
            "partner_invoice_id",
            "partner_shipping_id",
            "fiscal_position_id",
            "user_id",
            "team_id",
            "source_id",
            "medium_id",
            "invoice_status",
            "validity_date",
            "amount_untaxed",
            "amount_tax",
            "amount_total",
            "date_order",
            "create_date",
            "write_date",
            "delivery_status",
            "effective_date",
        ),
        rows,
        {
            "company_id": company_id,
            "currency_id": currency_id,
            "campaign_id": master.campaign_id,
            "warehouse_id": master.warehouse.id,
            "picking_policy": "direct",
            "currency_rate": 1.0,
            "locked": False,
            "require_signature": True,
            "require_payment": False,
            "prepayment_percent": 1.0,
            "shipping_weight": 0.0,
            "create_uid": uid,
            "write_uid": uid,
        },
    )


def _line_invoicing(order, line):
    """Stored invoicing fields of a sale order line (policy: ordered quantities)."""
    qty_delivered = line.qty if (order.delivered_at and line.product.storable) else 0.0
    if order.state != "sale":
        return qty_delivered, 0.0, 0.0, "no", 0.0, 0.0
    if order.invoice_date:
        return qty_delivered, line.qty, 0.0, "invoiced", line.subtotal, 0.0
    to_invoice = money(line.qty * line.price * (1 - line.discount / 100.0))
    return qty_delivered, 0.0, line.qty, "to invoice", 0.0, to_invoice


def write_sale_order_lines(cr, master, orders, uid):
    rows, tax_rows = [], []
    for o in orders:
        c = o.customer
        for seq, line in enumerate(o.lines, start=1):
            p = line.product
            delivered, invoiced, to_invoice, inv_status, amt_invoiced, amt_to_invoice = (
                _line_invoicing(o, line)
            )
            rows.append(
                (
                    line.id,
                    o.id,
                    seq * 10,
                    c.id,
                    o.user_id,
                    p.id,
                    p.uom_id,
                    o.state,
                    "stock_move" if p.storable else "manual",
                    inv_status,
                    p.name,
                    line.qty,
                    line.price,
                    line.price,
                    line.discount,
                    line.subtotal,
                    line.total - line.subtotal,
                    line.total,
                    money(line.subtotal / line.qty),
                    money(line.total / line.qty),
                    delivered,
                    invoiced,
                    to_invoice,
                    amt_invoiced,
                    amt_to_invoice,
                    o.date_order,
                    o.delivered_at or o.date_order,
                    uid,
                    uid,
                )
            )
            tax_rows.append((line.id, c.tax_id))
    copy_rows(
        cr,
        "sale_order_line",
        (
            "id",
            "order_id",
            "sequence",
            "order_partner_id",
            "salesman_id",
            "product_id",
            "product_uom_id",
            "state",
            "qty_delivered_method",
            "invoice_status",
            "name",
            "product_uom_qty",
            "price_unit",
            "technical_price_unit",
            "discount",
            "price_subtotal",
            "price_tax",
            "price_total",
            "price_reduce_taxexcl",
            "price_reduce_taxinc",
            "qty_delivered",
            "qty_invoiced",
            "qty_to_invoice",
            "untaxed_amount_invoiced",
            "untaxed_amount_to_invoice",
            "create_date",
            "write_date",
            "create_uid",
            "write_uid",
        ),
        rows,
        {
            "company_id": master.company.id,
            "currency_id": master.currency_id,
            "warehouse_id": master.warehouse.id,
            "customer_lead": 0.0,
            "collapse_prices": False,
            "collapse_composition": False,
            "is_delivery": False,
            "is_optional": False,
        },
    )
    copy_rows(
        cr, "account_tax_sale_order_line_rel", ("sale_order_line_id", "account_tax_id"), tax_rows
    )


def write_deliveries(cr, master, orders, uid):
    """Outgoing pickings, moves and move lines; returns reserved qty per product."""
    loc_stock, loc_customer = master.locations["stock"], master.locations["customer"]
    pickings, moves, move_lines = [], [], []
    reserved = defaultdict(float)
    for o in orders:
        if not o.picking_id:
            continue
        done = o.delivered_at is not None
        when = o.delivered_at or o.date_order
        state = "done" if done else "assigned"
        pickings.append(
            (
                o.picking_id,
                o.picking_name,
                o.name,
                o.customer.id,
                state,
                o.date_order,
                o.date_order,
                o.delivered_at,
                o.id,
                o.date_order,
                when,
            )
        )
        for line in o.storable_lines:
            p = line.product
            value = money(line.qty * p.cost) if done else None
            moves.append(
                (
                    line.move_id,
                    p.id,
                    p.uom_id,
                    o.customer.id,
                    o.picking_id,
                    state,
                    o.name,
                    o.picking_name,
                    o.date_order.date(),
                    line.qty,
                    line.qty,
                    line.qty,
                    done,
                    when,
                    o.date_order,
                    line.qty,
                    value,
                    done,
                    line.id,
                    p.uom_id,
                    o.date_order,
                    when,
                )
            )
            move_lines.append(
                (
                    o.picking_id,
                    line.move_id,
                    p.id,
                    p.uom_id,
                    state,
                    line.qty,
                    line.qty,
                    done,
                    when,
                    o.date_order,
                    when,
                )
            )
            if not done:
                reserved[p.id] += line.qty
    audit = {"create_uid": uid, "write_uid": uid}
    copy_rows(
        cr,
        "stock_picking",
        (
            "id",
            "name",
            "origin",
            "partner_id",
            "state",
            "scheduled_date",
            "date_deadline",
            "date_done",
            "sale_id",
            "create_date",
            "write_date",
        ),
        pickings,
        {
            "location_id": loc_stock,
            "location_dest_id": loc_customer,
            "picking_type_id": master.out_type.id,
            "company_id": master.company.id,
            "move_type": "direct",
            "priority": "0",
            "shipping_weight": 0.0,
            "weight": 0.0,
            "has_deadline_issue": False,
            "is_locked": True,
            **audit,
        },
    )
    copy_rows(
        cr,
        "stock_move",
        (
            "id",
            "product_id",
            "product_uom",
            "partner_id",
            "picking_id",
            "state",
            "origin",
            "reference",
            "reservation_date",
            "product_qty",
            "product_uom_qty",
            "quantity",
            "picked",
            "date",
            "date_deadline",
            "packaging_uom_qty",
            "value",
            "is_out",
            "sale_line_id",
            "packaging_uom_id",
            "create_date",
            "write_date",
        ),
        moves,
        {
            "sequence": 10,
            "company_id": master.company.id,
            "location_id": loc_stock,
            "location_dest_id": loc_customer,
            "location_final_id": loc_customer,
            "rule_id": master.out_rule_id,
            "picking_type_id": master.out_type.id,
            "warehouse_id": master.warehouse.id,
            "priority": "0",
            "procure_method": "make_to_stock",
            "propagate_cancel": False,
            "additional": False,
            "to_refund": True,
            "is_in": False,
            "is_dropship": False,
            "weight": 0.0,
            **audit,
        },
    )
    copy_rows(
        cr,
        "stock_move_line",
        (
            "picking_id",
            "move_id",
            "product_id",
            "product_uom_id",
            "state",
            "quantity",
            "quantity_product_uom",
            "picked",
            "date",
            "create_date",
            "write_date",
        ),
        move_lines,
        {
            "company_id": master.company.id,
            "location_id": loc_stock,
            "location_dest_id": loc_customer,
            **audit,
        },
    )
    return reserved


def _invoice_lines(master, o):
    """Journal items of one customer invoice (product, tax, receivable)."""
    c = o.customer
    partner = c.commercial_id
    rows = []
    for seq, line in enumerate(o.lines):
        p = line.product
        rows.append(
            (
                line.aml_id,
                master.income_account[(p.id, c.fpos_id)],
                seq,
                "product",
                p.name,
                p.id,
                p.uom_id,
                0.0,
                line.subtotal,
                -line.subtotal,
                -line.subtotal,
                0.0,
                line.qty,
                line.price,
                line.subtotal,
                line.total,
                line.discount,
                None,
                None,
                None,
                None,
                None,
                False,
                None,
                None,
                None,
                partner,
            )
        )
    if o.amount_tax:
        tax = master.taxes[c.tax_id]
        rows.append(
            (
                None,
                tax["account_id"],
                10000,
                "tax",
                tax["name"],
                None,
                None,
                0.0,
                o.amount_tax,
                -o.amount_tax,
                -o.amount_tax,
                0.0,
                0.0,
                0.0,
                0.0,
                0.0,
                0.0,
                c.tax_id,
                tax["group_id"],
                tax["rep_line_id"],
                -o.amount_untaxed,
                None,
                False,
                None,
                None,
                None,
                partner,
            )
        )
    paid = o.paid_date is not None
    residual = 0.0 if paid else o.amount_total
    rows.append(
        (
            None,
            master.receivable_account_id,
            12000,
            "payment_term",
            f"{o.name} - {o.invoice_name[0]}",
            None,
            None,
            o.amount_total,
            0.0,
            o.amount_total,
            o.amount_total,
            residual,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            None,
            None,
            None,
            None,
            o.invoice_date,
            paid,
            o.full_reconcile_id or None,
            str(o.full_reconcile_id) if paid else None,
            0.0,
            partner,
        )
    )
    return rows


AML_VAR_COLUMNS = (
    "id",
    "account_id",
    "sequence",
    "display_type",
    "name",
    "product_id",
    "product_uom_id",
    "debit",
    "credit",
    "balance",
    "amount_currency",
    "amount_residual",
    "quantity",
    "price_unit",
    "price_subtotal",
    "price_total",
    "discount",
    "tax_line_id",
    "tax_group_id",
    "tax_repartition_line_id",
    "tax_base_amount",
    "date_maturity",
    "reconciled",
    "full_reconcile_id",
    "matching_number",
    "discount_amount_currency",
    "partner_id",
    "move_id",
    "move_name",
    "ref",
    "date",
    "invoice_date",
    "amount_residual_currency",
    "payment_id",
    "create_date",
    "write_date",
)


def _aml_constants(master, journal, uid):
    return {
        "journal_id": journal.id,
        "company_id": master.company.id,
        "company_currency_id": master.currency_id,
        "currency_id": master.currency_id,
        "parent_state": "posted",
        "is_storno": False,
        "no_followup": False,
        "deductible_amount": 100.0,
        "create_uid": uid,
        "write_uid": uid,
    }


def write_invoices(cr, master, orders, uid):
    invoiced = [o for o in orders if o.invoice_id]
    moves, amls, tax_rel, sol_rel, fulls = [], [], [], [], []
    extra_ids = iter(
        reserve_ids(cr, "account_move_line", sum(2 if o.amount_tax else 1 for o in invoiced))
    )
    for o in invoiced:
        c = o.customer
        name, prefix, number = o.invoice_name
        residual = 0.0 if o.paid_date else o.amount_total
        ts = datetime.combine(o.invoice_date, dtime(12))
        moves.append(
            (
                o.invoice_id,
                number,
                prefix,
                name,
                c.commercial_id,
                c.commercial_id,
                c.id,
                c.fpos_id,
                o.user_id,
                o.name,
                name,
                "paid" if o.paid_date else "not_paid",
                c.commercial_name,
                o.name,
                o.invoice_date,
                o.invoice_date,
                o.invoice_date,
                o.delivered_at.date() if o.delivered_at else None,
                1.0,
                o.amount_untaxed,
                o.amount_tax,
                o.amount_total,
                residual,
                o.amount_untaxed,
                o.amount_untaxed,
                o.amount_tax,
                o.amount_total,
                o.amount_total,
                residual,
                False,
                o.team_id,
                o.source_id,
                o.medium_id,
                master.campaign_id,
                None,
                ts,
                ts,
            )
        )
        for row in _invoice_lines(master, o):
            aml_id = row[0] or next(extra_ids)
            amls.append(
                (
                    aml_id,
                    *row[1:],
                    o.invoice_id,
                    name,
                    o.name,
                    o.invoice_date,
                    o.invoice_date,
                    row[11],
                    None,
                    ts,
                    ts,
                )
            )
            if row[3] == "product":
                tax_rel.append((aml_id, c.tax_id))
            elif row[3] == "payment_term":
                o.receivable_line_id = aml_id
        sol_rel.extend((line.aml_id, line.id) for line in o.lines)
        if o.paid_date:
            fulls.append((o.full_reconcile_id, ts, ts))
    _copy_moves(cr, master, master.sale_journal, "out_invoice", moves, uid=uid)
    copy_rows(
        cr,
        "account_full_reconcile",
        ("id", "create_date", "write_date"),
        fulls,
        {"create_uid": uid, "write_uid": uid},
    )
    copy_rows(
        cr,
        "account_move_line",
        AML_VAR_COLUMNS,
        amls,
        _aml_constants(master, master.sale_journal, uid),
    )
    copy_rows(
        cr, "account_move_line_account_tax_rel", ("account_move_line_id", "account_tax_id"), tax_rel
    )
    copy_rows(cr, "sale_order_line_invoice_rel", ("invoice_line_id", "order_line_id"), sol_rel)


MOVE_VAR_COLUMNS = (
    "id",
    "sequence_number",
    "sequence_prefix",
    "name",
    "partner_id",
    "commercial_partner_id",
    "partner_shipping_id",
    "fiscal_position_id",
    "invoice_user_id",
    "ref",
    "payment_reference",
    "payment_state",
    "invoice_partner_display_name",
    "invoice_origin",
    "date",
    "invoice_date",
    "invoice_date_due",
    "delivery_date",
    "invoice_currency_rate",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "amount_residual",
    "amount_untaxed_signed",
    "amount_untaxed_in_currency_signed",
    "amount_tax_signed",
    "amount_total_signed",
    "amount_total_in_currency_signed",
    "amount_residual_signed",
    "always_tax_exigible",
    "team_id",
    "source_id",
    "medium_id",
    "campaign_id",
    "origin_payment_id",
    "create_date",
    "write_date",
)


def _copy_moves(cr, master, journal, move_type, rows, *, uid):
    copy_rows(
        cr,
        "account_move",
        MOVE_VAR_COLUMNS,
        rows,
        {
            "journal_id": journal.id,
            "company_id": master.company.id,
            "currency_id": master.currency_id,
            "state": "posted",
            "move_type": move_type,
            "auto_post": "no",
            "checked": True,
            "posted_before": True,
            "made_sequence_gap": False,
            "is_manually_modified": False,
            "create_uid": uid,
            "write_uid": uid,
        },
    )


def write_payments(cr, master, orders, uid):
    """Posted bank payments: reconciled with the invoice, or open (paid quotations,
    whose memo is the order's name)."""
    paid = [o for o in orders if o.payment_id]
    journal = master.bank_journal
    method_line = master.payment_method_line
    moves, amls, payments, partials, links = [], [], [], [], []
    aml_ids = iter(reserve_ids(cr, "account_move_line", 2 * len(paid)))
    for o in paid:
        c = o.customer
        name, prefix, number = o.payment_name
        settled = bool(o.invoice_id)
        inv_name = o.invoice_name[0] if settled else o.name
        amount = o.amount_total
        ts = datetime.combine(o.paid_date, dtime(12))
        moves.append(
            (
                o.payment_move_id,
                number,
                prefix,
                name,
                c.commercial_id,
                c.commercial_id,
                None,
                c.fpos_id,
                None,
                inv_name,
                None,
                "not_paid",
                c.commercial_name,
                None,
                o.paid_date,
                None,
                o.paid_date,
                None,
                0.0,
                0.0,
                0.0,
                amount,
                0.0,
                0.0,
                0.0,
                0.0,
                amount,
                amount,
                0.0,
                True,
                None,
                None,
                None,
                None,
                None,  # origin_payment_id: set once the payment exists
                ts,
                ts,
            )
        )
        label = f"{method_line.name}: {inv_name}"
        liquidity_id, counterpart_id = next(aml_ids), next(aml_ids)
        common = (o.payment_move_id, name, inv_name, o.paid_date, None)
        amls.append(
            (
                liquidity_id,
                master.outstanding_account_id,
                100,
                "product",
                label,
                None,
                None,
                amount,
                0.0,
                amount,
                amount,
                amount,
                1.0,
                0.0,
                amount,
                amount,
                0.0,
                None,
                None,
                None,
                None,
                o.paid_date,
                False,
                None,
                None,
                None,
                c.commercial_id,
                *common,
                amount,
                o.payment_id,
                ts,
                ts,
            )
        )
        amls.append(
            (
                counterpart_id,
                master.receivable_account_id,
                100,
                "product",
                label,
                None,
                None,
                0.0,
                amount,
                -amount,
                -amount,
                0.0 if settled else -amount,
                1.0,
                0.0,
                -amount,
                -amount,
                0.0,
                None,
                None,
                None,
                None,
                o.paid_date,
                settled,
                o.full_reconcile_id or None,
                str(o.full_reconcile_id) if settled else None,
                None,
                c.commercial_id,
                *common,
                0.0 if settled else -amount,
                o.payment_id,
                ts,
                ts,
            )
        )
        payments.append(
            (
                o.payment_id,
                o.payment_move_id,
                c.commercial_id,
                name,
                inv_name,
                o.paid_date,
                amount,
                amount,
                settled,
                "paid" if settled else "in_process",
                ts,
                ts,
            )
        )
        if not settled:
            continue
        partials.append(
            (
                o.receivable_line_id,
                counterpart_id,
                o.full_reconcile_id,
                max(o.invoice_date, o.paid_date),
                amount,
                amount,
                amount,
                ts,
                ts,
            )
        )
        links.append((o.invoice_id, o.payment_id))
    _copy_moves(cr, master, journal, "entry", moves, uid=uid)
    copy_rows(
        cr,
        "account_payment",
        (
            "id",
            "move_id",
            "partner_id",
            "name",
            "memo",
            "date",
            "amount",
            "amount_company_currency_signed",
            "is_reconciled",
            "state",
            "create_date",
            "write_date",
        ),
        payments,
        {
            "journal_id": journal.id,
            "company_id": master.company.id,
            "payment_method_line_id": method_line.id,
            "payment_method_id": method_line.payment_method_id.id,
            "currency_id": master.currency_id,
            "outstanding_account_id": master.outstanding_account_id,
            "destination_account_id": master.receivable_account_id,
            "payment_type": "inbound",
            "partner_type": "customer",
            "is_matched": False,
            "is_sent": False,
            "create_uid": uid,
            "write_uid": uid,
        },
    )
    copy_rows(cr, "account_move_line", AML_VAR_COLUMNS, amls, _aml_constants(master, journal, uid))
    copy_rows(
        cr,
        "account_partial_reconcile",
        (
            "debit_move_id",
            "credit_move_id",
            "full_reconcile_id",
            "max_date",
            "amount",
            "debit_amount_currency",
            "credit_amount_currency",
            "create_date",
            "write_date",
        ),
        partials,
        {
            "debit_currency_id": master.currency_id,
            "credit_currency_id": master.currency_id,
            "company_id": master.company.id,
            "create_uid": uid,
            "write_uid": uid,
        },
    )
    copy_rows(cr, "account_move__account_payment", ("invoice_id", "payment_id"), links)
    cr.execute(
        SQL(
            "UPDATE account_move m SET origin_payment_id = v.payment_id"
            " FROM unnest(%s::int[], %s::int[]) AS v(move_id, payment_id)"
            " WHERE m.id = v.move_id",
            [o.payment_move_id for o in paid],
            [o.payment_id for o in paid],
        )
    )


def plan_receipts(rng, master, orders):
    """Monthly receipts per vendor covering every delivery and reservation."""
    need = defaultdict(float)  # (vendor, month, product) -> qty
    first_month = {}
    for o in orders:
        if not o.picking_id:
            continue
        month = o.date_order.date().replace(day=1)
        for line in o.storable_lines:
            p = line.product
            need[(p.vendor_id, month, p.id)] += line.qty
            first_month[p.id] = min(first_month.get(p.id, month), month)
    for (vendor, month, product_id), _qty in list(need.items()):
        if first_month.get(product_id) == month:
            need[(vendor, month, product_id)] += rng.randint(10, 60)  # safety stock
            first_month[product_id] = None
    receipts = defaultdict(list)
    for (vendor, month, product_id), qty in sorted(
        need.items(), key=lambda kv: (kv[0][1], kv[0][0] or 0, kv[0][2])
    ):
        receipts[(month, vendor)].append((product_id, qty))
    return receipts


def write_receipts(env, master, receipts, uid):
    """Done incoming pickings; returns received qty per product and first date."""
    cr = env.cr
    loc_supplier, loc_stock = master.locations["supplier"], master.locations["stock"]
    products = {p.id: p for p in master.products}
    keys = sorted(receipts, key=lambda k: (k[0], k[1] or 0))
    picking_name = reserve_sequence(master.in_type.sequence_id, len(keys))
    picking_ids = reserve_ids(cr, "stock_picking", len(keys))
    move_ids = iter(reserve_ids(cr, "stock_move", sum(len(v) for v in receipts.values())))
    pickings, moves, move_lines = [], [], []
    received, first_in = defaultdict(float), {}
    for i, (key, picking_id) in enumerate(zip(keys, picking_ids, strict=True)):
        month, vendor = key
        when = datetime.combine(month, dtime(6))
        name = picking_name(i)
        pickings.append((picking_id, name, vendor, when, when, when, when))
        for product_id, qty in receipts[key]:
            p = products[product_id]
            move_id = next(move_ids)
            moves.append(
                (
                    move_id,
                    p.id,
                    p.uom_id,
                    vendor,
                    picking_id,
                    name,
                    month,
                    qty,
                    qty,
                    qty,
                    when,
                    qty,
                    money(qty * p.cost),
                    p.uom_id,
                    when,
                    when,
                )
            )
            move_lines.append((picking_id, move_id, p.id, p.uom_id, qty, qty, when, when, when))
            received[p.id] += qty
            first_in.setdefault(p.id, when)
    audit = {"create_uid": uid, "write_uid": uid}
    copy_rows(
        cr,
        "stock_picking",
        ("id", "name", "partner_id", "scheduled_date", "date_done", "create_date", "write_date"),
        pickings,
        {
            "location_id": loc_supplier,
            "location_dest_id": loc_stock,
            "picking_type_id": master.in_type.id,
            "company_id": master.company.id,
            "user_id": uid,
            "move_type": "direct",
            "state": "done",
            "priority": "0",
            "shipping_weight": 0.0,
            "weight": 0.0,
            "has_deadline_issue": False,
            "is_locked": True,
            **audit,
        },
    )
    copy_rows(
        cr,
        "stock_move",
        (
            "id",
            "product_id",
            "product_uom",
            "partner_id",
            "picking_id",
            "reference",
            "reservation_date",
            "product_qty",
            "product_uom_qty",
            "quantity",
            "date",
            "packaging_uom_qty",
            "value",
            "packaging_uom_id",
            "create_date",
            "write_date",
        ),
        moves,
        {
            "sequence": 10,
            "company_id": master.company.id,
            "location_id": loc_supplier,
            "location_dest_id": loc_stock,
            "picking_type_id": master.in_type.id,
            "priority": "0",
            "state": "done",
            "procure_method": "make_to_stock",
            "picked": True,
            "propagate_cancel": True,
            "additional": False,
            "to_refund": True,
            "is_in": True,
            "is_out": False,
            "is_dropship": False,
            "weight": 0.0,
            **audit,
        },
    )
    copy_rows(
        cr,
        "stock_move_line",
        (
            "picking_id",
            "move_id",
            "product_id",
            "product_uom_id",
            "quantity",
            "quantity_product_uom",
            "date",
            "create_date",
            "write_date",
        ),
        move_lines,
        {
            "company_id": master.company.id,
            "location_id": loc_supplier,
            "location_dest_id": loc_stock,
            "state": "done",
            "picked": True,
            **audit,
        },
    )
    return received, first_in


def write_quants(env, master, *, received, delivered, reserved, first_in, uid, now):
    """One quant per product in stock, supplier and customer locations."""
    stock_location = env["stock.location"].browse(master.locations["stock"])
    inventory_date = stock_location._get_next_inventory_date()
    rows = []
    for product_id, qty_in in received.items():
        qty_out = delivered.get(product_id, 0.0)
        in_date = first_in[product_id]
        rows.append(
            (
                product_id,
                master.company.id,
                master.locations["stock"],
                inventory_date,
                qty_in - qty_out,
                reserved.get(product_id, 0.0),
                in_date,
            )
        )
        rows.append((product_id, None, master.locations["supplier"], None, -qty_in, 0.0, in_date))
        if qty_out:
            rows.append(
                (product_id, None, master.locations["customer"], None, qty_out, 0.0, in_date)
            )
    copy_rows(
        env.cr,
        "stock_quant",
        (
            "product_id",
            "company_id",
            "location_id",
            "inventory_date",
            "quantity",
            "reserved_quantity",
            "in_date",
        ),
        rows,
        {"inventory_diff_quantity": 0.0, "inventory_quantity_set": False, **_audit(uid, now)},
    )


# --------------------------------------------------------------------------
# orchestration
# --------------------------------------------------------------------------


def _expected(master, orders, received, delivered, reserved):
    by_state = defaultdict(lambda: [0, 0.0, 0.0])
    for o in orders:
        acc = by_state[o.state]
        acc[0] += 1
        acc[1] += o.amount_total
        acc[2] += o.amount_untaxed
    invoices = [o for o in orders if o.invoice_id]
    return {
        "campaign_id": master.campaign_id,
        "order_ids": [o.id for o in orders],
        "orders_by_state": {k: (v[0], money(v[1]), money(v[2])) for k, v in by_state.items()},
        "buckets": sorted({o.bucket for o in orders}),
        "report_qty": sum(line.qty for o in orders for line in o.lines),
        "report_total": money(sum(line.total for o in orders for line in o.lines)),
        "report_untaxed": money(sum(o.amount_untaxed for o in orders)),
        "report_lines": sum(len(o.lines) for o in orders),
        "invoice_ids": [o.invoice_id for o in invoices],
        "invoice_total": money(sum(o.amount_total for o in invoices)),
        "invoice_residual": money(sum(o.amount_total for o in invoices if not o.paid_date)),
        "paid_invoice_ids": [o.invoice_id for o in invoices if o.paid_date],
        "payment_ids": [o.payment_id for o in orders if o.payment_id],
        "payment_total": money(sum(o.amount_total for o in orders if o.payment_id)),
        "paid_quotation_ids": [o.id for o in orders if o.bucket == PREPAID],
        "paid_quotation_payment_ids": [o.payment_id for o in orders if o.bucket == PREPAID],
        "stock": {pid: received[pid] - delivered.get(pid, 0.0) for pid in received},
        "reserved": dict(reserved),
        "stock_location_id": master.locations["stock"],
        "sample": _sample(orders),
    }


def _sample(orders, per_bucket=6):
    seen = defaultdict(list)
    for o in orders:
        if len(seen[o.bucket]) < per_bucket:
            seen[o.bucket].append(o.id)
    return dict(seen)


# Payments first: the order's OMS payment status reads them.
WRITTEN_MODELS = (
    "account.payment", "account.move.line", "account.move", "stock.move", "stock.picking",
    "sale.order.line", "sale.order",
)  # fmt: skip


def write_line_costs(env, orders):
    """The cost of each line (sale_margin's ``purchase_price``), as Odoo sets it when the
    line is created: the product's cost. Margins are then computed by the ORM."""
    if "purchase_price" not in env["sale.order.line"]._fields:
        return
    products = {line.product.id: line.product for o in orders for line in o.lines}
    env.cr.execute(
        SQL(
            """UPDATE sale_order_line
                  SET purchase_price = cost.value
                 FROM unnest(%s::int[], %s::numeric[]) AS cost(product_id, value)
                WHERE sale_order_line.product_id = cost.product_id
                  AND sale_order_line.order_id = ANY(%s)""",
            list(products),
            [p.cost for p in products.values()],
            [o.id for o in orders],
        )
    )


def link_payments_to_orders(env, orders):
    """Link each payment to its order as oms_extended does (``oms_sale_order_id``),
    when that addon is installed: the order's OMS payment status is computed from it.
    Paid quotations then wait for the automation cron, as after a payment."""
    if "oms_sale_order_id" not in env["account.payment"]._fields:
        return
    paid = [o for o in orders if o.payment_id]
    env.cr.execute(
        SQL(
            """UPDATE account_payment
                  SET oms_sale_order_id = link.order_id, oms_method = 'bank_transfer'
                 FROM unnest(%s::int[], %s::int[]) AS link(payment_id, order_id)
                WHERE account_payment.id = link.payment_id""",
            [o.payment_id for o in paid],
            [o.id for o in paid],
        )
    )
    # Written in SQL, the orders are history to the automation (no rule): the paid
    # quotations are handed over to it, as a user does with "Apply Automation Rule".
    prepaid = env["sale.order"].browse([o.id for o in orders if o.bucket == PREPAID])
    prepaid.action_oms_apply_rule()
    env.flush_all()


# Odoo modules whose stored computed fields the SQL writers leave to the ORM, less
# the fields ``write_line_costs`` writes as Odoo fixes them when the line is created.
ORM_COMPUTED_MODULES = {"sale_margin", "sale_stock_margin"}
SQL_WRITTEN_FIELDS = {"sale.order.line.purchase_price"}


def _project_computed_fields(model):
    """Stored computed fields unknown to the SQL writers: those of this repository's
    addons and of ``ORM_COMPUTED_MODULES`` (margins, which oms_reports ranks)."""
    project = REPO / "addons"
    result = []
    for field in model._fields.values():
        if not (field.store and field.compute) or str(field) in SQL_WRITTEN_FIELDS:
            continue
        if ORM_COMPUTED_MODULES.intersection(field._modules):
            result.append(field)
            continue
        paths = [odoo.modules.module.get_module_path(m) for m in field._modules]
        if any(path and Path(path).is_relative_to(project) for path in paths):
            result.append(field)
    return result


def recompute_project_fields(env, orders, progress, chunk=5000):
    """Let the ORM fill, set-based, stored computed fields added by the project's addons."""
    env.invalidate_all()
    records = {
        "sale.order": env["sale.order"].browse(o.id for o in orders),
        "account.move": env["account.move"].browse(
            [o.invoice_id for o in orders if o.invoice_id]
            + [o.payment_move_id for o in orders if o.payment_move_id]
        ),
        "account.payment": env["account.payment"].browse(
            o.payment_id for o in orders if o.payment_id
        ),
        "stock.picking": env["stock.picking"].browse(o.picking_id for o in orders if o.picking_id),
    }
    records["sale.order.line"] = records["sale.order"].order_line
    records["stock.move"] = records["stock.picking"].move_ids
    records["account.move.line"] = records["account.move"].line_ids
    for model in WRITTEN_MODELS:
        fields_ = _project_computed_fields(env[model])
        if not fields_:
            continue
        recs = records[model]
        for start in range(0, len(recs), chunk):
            batch = recs[start : start + chunk]
            for field in fields_:
                env.add_to_compute(field, batch)
            env.flush_all()
            env.invalidate_all()
        progress.tick(len(recs), f"{model} records ({', '.join(f.name for f in fields_)})")


def generate(env, orders, seed, progress=print, *, commit=False, now=None, paid_quotations=0):
    """Generate ``orders`` sale orders (and everything around them), then
    ``paid_quotations`` quotations paid in full, not confirmed yet.

    Returns the ``expected`` dict consumed by :func:`check`.  Commits after
    every batch only when ``commit`` is true (CLI); tests keep it false.
    """
    rng = random.Random(seed)
    now = (now or datetime.now()).replace(microsecond=0)
    track = progress if isinstance(progress, Progress) else Progress(progress)
    env = env(context=dict(env.context, **NO_MAIL_CTX))
    uid = env.uid
    master = create_master_data(env, rng, orders, seed, track)
    if commit:
        env.cr.commit()

    track.phase("planning")
    planned = plan_orders(
        rng,
        master,
        orders,
        now,
        paid_quotations=paid_quotations,
        prepaid_rng=random.Random(f"{seed}-{PREPAID}"),
    )
    assign_ids_and_names(env, master, planned)
    env.flush_all()
    track.tick(len(planned))

    track.phase("receipts")
    received, first_in = write_receipts(env, master, plan_receipts(rng, master, planned), uid)
    track.tick(len(received), "products")

    delivered, reserved = defaultdict(float), defaultdict(float)
    track.phase("orders")
    for start in range(0, len(planned), BATCH_ORDERS):
        batch = planned[start : start + BATCH_ORDERS]
        write_sale_orders(env.cr, master, batch, uid)
        write_sale_order_lines(env.cr, master, batch, uid)
        for product_id, qty in write_deliveries(env.cr, master, batch, uid).items():
            reserved[product_id] += qty
        write_invoices(env.cr, master, batch, uid)
        write_payments(env.cr, master, batch, uid)
        for o in batch:
            if o.delivered_at:
                for line in o.storable_lines:
                    delivered[line.product.id] += line.qty
        if commit:
            env.cr.commit()
        track.tick(start + len(batch))

    track.phase("addon fields")
    link_payments_to_orders(env, planned)
    write_line_costs(env, planned)
    recompute_project_fields(env, planned, track)

    track.phase("quants")
    write_quants(
        env,
        master,
        received=received,
        delivered=delivered,
        reserved=reserved,
        first_in=first_in,
        uid=uid,
        now=now,
    )
    env.invalidate_all(flush=False)
    if commit:
        env.cr.commit()
    track.tick(len(received), "products")
    return _expected(master, planned, received, delivered, reserved)


# --------------------------------------------------------------------------
# self-check (ORM)
# --------------------------------------------------------------------------

RECOMPUTED_FIELDS = {
    "sale.order": (
        "amount_untaxed",
        "amount_tax",
        "amount_total",
        "invoice_status",
        "delivery_status",
    ),
    "sale.order.line": (
        "price_subtotal",
        "price_tax",
        "price_total",
        "price_reduce_taxexcl",
        "price_reduce_taxinc",
        "qty_delivered",
        "qty_invoiced",
        "qty_to_invoice",
        "invoice_status",
        "untaxed_amount_invoiced",
        "untaxed_amount_to_invoice",
    ),
    "account.move": (
        "amount_untaxed",
        "amount_tax",
        "amount_total",
        "amount_residual",
        "amount_residual_signed",
        "amount_total_signed",
        "payment_state",
    ),
    "account.move.line": (
        "amount_residual",
        "amount_residual_currency",
        "reconciled",
        "price_subtotal",
        "price_total",
    ),
    "account.payment": ("is_reconciled", "is_matched", "state"),
    "stock.picking": ("state",),
}


def _close(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return abs((a or 0.0) - (b or 0.0)) < 0.005
    return a == b


def _check_totals(env, expected, errors, report):
    SaleOrder = env["sale.order"]
    order_domain = [("id", "in", expected["order_ids"])]
    for state, count, total, untaxed in SaleOrder._read_group(
        order_domain, ["state"], ["__count", "amount_total:sum", "amount_untaxed:sum"]
    ):
        want = expected["orders_by_state"].get(state, (0, 0.0, 0.0))
        report.append(
            f"sale.order {state:<7} {count:>8} orders"
            f"  total {total:>16,.2f}  untaxed {untaxed:>16,.2f}"
        )
        if (count, money(total), money(untaxed)) != want:
            errors.append(
                f"sale.order state {state}: read {(count, total, untaxed)} expected {want}"
            )
    [(qty, total, untaxed)] = env["sale.report"]._read_group(
        [("campaign_id", "=", expected["campaign_id"])],
        [],
        ["product_uom_qty:sum", "price_total:sum", "price_subtotal:sum"],
    )
    report.append(f"sale.report qty {qty:,.0f} total {total:,.2f} untaxed {untaxed:,.2f}")
    got = (qty, money(total), money(untaxed))
    want = (expected["report_qty"], expected["report_total"], expected["report_untaxed"])
    if got != want:
        errors.append(f"sale.report sums {got} expected {want}")
    [(so_total, so_untaxed)] = SaleOrder._read_group(
        order_domain, [], ["amount_total:sum", "amount_untaxed:sum"]
    )
    # line totals round their own tax: with 'round_globally' the order total may
    # differ from the sum of its lines by a cent per line at most
    if not _close(so_untaxed, untaxed) or abs(so_total - total) > 0.01 * expected["report_lines"]:
        errors.append(f"sale.report {(total, untaxed)} != sale.order {(so_total, so_untaxed)}")

    [(count, inv_total, inv_residual)] = env["account.move"]._read_group(
        [("id", "in", expected["invoice_ids"])],
        [],
        ["__count", "amount_total:sum", "amount_residual:sum"],
    )
    report.append(f"invoices {count:,} total {inv_total:,.2f} residual {inv_residual:,.2f}")
    if (count, money(inv_total), money(inv_residual)) != (
        len(expected["invoice_ids"]),
        expected["invoice_total"],
        expected["invoice_residual"],
    ):
        errors.append("invoice totals/residuals differ from what was written")
    paid_states = dict(
        env["account.move"]._read_group(
            [("id", "in", expected["paid_invoice_ids"])], ["payment_state"], ["__count"]
        )
    )
    if set(paid_states) - {"paid", "in_payment"}:
        errors.append(f"paid invoices with payment states {paid_states}")
    [(count, pay_total)] = env["account.payment"]._read_group(
        [("id", "in", expected["payment_ids"]), ("state", "in", ("paid", "in_process"))],
        [],
        ["__count", "amount:sum"],
    )
    report.append(f"payments {count:,} total {pay_total:,.2f}")
    if (count, money(pay_total)) != (len(expected["payment_ids"]), expected["payment_total"]):
        errors.append("payment totals differ from what was written")
    [(debit, credit)] = env["account.move.line"]._read_group(
        [("move_id", "in", expected["invoice_ids"] + [])], [], ["debit:sum", "credit:sum"]
    )
    if not _close(debit, credit):
        errors.append(f"invoice journal items unbalanced: debit {debit} credit {credit}")


def _check_paid_quotations(env, expected, errors, report):
    """Paid quotations: drafts with one open payment each, read as paid by oms_extended."""
    ids, payment_ids = expected["paid_quotation_ids"], expected["paid_quotation_payment_ids"]
    if not ids:
        return
    [(open_count,)] = env["account.payment"]._read_group(
        [
            ("id", "in", payment_ids),
            ("state", "=", "in_process"),
            ("is_reconciled", "=", False),
        ],
        [],
        ["__count"],
    )
    oms = "oms_payment_state" in env["sale.order"]._fields
    groupby = ["state", "oms_payment_state", "oms_needs_automation"] if oms else ["state"]
    groups = env["sale.order"]._read_group([("id", "in", ids)], groupby, ["__count"])
    report.append(f"paid quotations {len(ids):,}, open payments {open_count:,}: {groups}")
    # handed over to the automation when an active rule applies to them
    flagged = oms and bool(env["sale.order"].browse(ids[:1]).oms_workflow_id)
    want = [("draft", "paid", flagged, len(ids))] if oms else [("draft", len(ids))]
    if open_count != len(ids) or groups != want:
        errors.append(f"paid quotations: {groups} with {open_count} open payments")


def _check_stock(env, expected, errors, report):
    stock = expected["stock"]
    rows = env["stock.quant"]._read_group(
        [("location_id", "=", expected["stock_location_id"]), ("product_id", "in", list(stock))],
        ["product_id"],
        ["quantity:sum", "reserved_quantity:sum"],
    )
    got = {product.id: (qty, res) for product, qty, res in rows}
    bad = [
        pid
        for pid, qty in stock.items()
        if not _close(got.get(pid, (0.0, 0.0))[0], qty)
        or not _close(got.get(pid, (0.0, 0.0))[1], expected["reserved"].get(pid, 0.0))
    ]
    report.append(
        f"stock.quant {len(got)} products on hand {sum(q for q, _r in got.values()):,.0f} units"
    )
    if bad:
        errors.append(
            f"stock.quant quantities differ for {len(bad)} products, e.g. product {bad[0]}"
        )
    products = env["product.product"].browse(list(stock)[:20])
    for product in products:
        if not _close(product.qty_available, stock[product.id]):
            errors.append(
                f"product {product.id} qty_available {product.qty_available} != {stock[product.id]}"
            )


def _records_to_recompute(env, expected):
    order_ids = [oid for ids in expected["sample"].values() for oid in ids]
    orders = env["sale.order"].browse(order_ids)
    invoices = orders.order_line.invoice_lines.move_id
    payments = env["account.payment"].search(
        ["|", ("invoice_ids", "in", invoices.ids), ("memo", "in", orders.mapped("name"))]
    )
    return {
        "sale.order": orders,
        "sale.order.line": orders.order_line,
        "account.move": invoices | payments.move_id,
        "account.move.line": (invoices | payments.move_id).line_ids,
        "account.payment": payments,
        "stock.picking": orders.picking_ids,
    }


def _check_recompute(env, expected, errors, report):
    """Let the ORM recompute stored fields of a sample and compare (rolled back)."""
    env.flush_all()
    env.invalidate_all()
    records = _records_to_recompute(env, expected)
    stored = {
        model: {rec.id: [rec[f] for f in RECOMPUTED_FIELDS[model]] for rec in recs}
        for model, recs in records.items()
    }
    env.cr.execute("SAVEPOINT bench_recompute")
    try:
        env.invalidate_all()
        for model, recs in records.items():
            for fname in RECOMPUTED_FIELDS[model]:
                env.add_to_compute(recs._fields[fname], recs)
        mismatches = []
        for model, recs in records.items():
            for rec in recs:
                for fname, old in zip(RECOMPUTED_FIELDS[model], stored[model][rec.id], strict=True):
                    new = rec[fname]
                    if not _close(old, new):
                        mismatches.append(
                            f"{model}({rec.id}).{fname}: stored {old!r} recomputed {new!r}"
                        )
    finally:
        env.clear()
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_recompute")
    count = sum(len(r) for r in records.values())
    report.append(f"ORM recompute of {count} sampled records: {len(mismatches)} mismatches")
    errors.extend(mismatches[:20])


def check(env, expected, out=print):
    """Read back through the ORM what ``generate`` wrote; raise CheckError on mismatch."""
    env.invalidate_all()
    errors, report = [], []
    _check_totals(env, expected, errors, report)
    _check_paid_quotations(env, expected, errors, report)
    _check_stock(env, expected, errors, report)
    _check_recompute(env, expected, errors, report)
    for line in report:
        out(f"[check] {line}")
    if errors:
        raise CheckError("self-check failed:\n  " + "\n  ".join(errors))
    out("[check] OK")
    return report


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database (already installed)")
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--paid-quotations",
        type=int,
        default=0,
        help="add this many recent quotations paid in full, not confirmed yet",
    )
    parser.add_argument(
        "--config", default=str(REPO / "odoo.conf"), help="Odoo config file (optional)"
    )
    parser.add_argument("--addons-path", help="override the addons path")
    parser.add_argument("--no-check", action="store_true", help="skip the self-check")
    return parser.parse_args(argv)


def _odoo_args(args):
    odoo_args = ["-d", args.db]
    if args.config and Path(args.config).is_file():
        # the project config uses paths relative to the repository root
        os.chdir(REPO)
        odoo_args = ["-c", str(Path(args.config).resolve()), *odoo_args]
    if args.addons_path:
        odoo_args.append(f"--addons-path={args.addons_path}")
    elif not (args.config and Path(args.config).is_file()) and (REPO / "addons").is_dir():
        odoo_args.append(f"--addons-path={REPO / 'addons'}")
    return odoo_args


def main(argv=None):
    args = parse_args(argv)
    odoo.tools.config.parse_config(_odoo_args(args))
    registry = odoo.modules.registry.Registry(args.db)
    progress = Progress(lambda msg: print(msg, flush=True))
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        missing = {"sale_stock", "account", "product_brand", "crm"} - set(
            env["ir.module.module"].search([("state", "=", "installed")]).mapped("name")
        )
        if missing:
            raise SystemExit(f"error: modules not installed in {args.db}: {sorted(missing)}")
        try:
            expected = generate(
                env,
                args.orders,
                args.seed,
                progress=progress,
                commit=True,
                paid_quotations=args.paid_quotations,
            )
        except GenerationError as exc:
            raise SystemExit(f"error: {exc}") from exc
        progress.phase("analyze")
        for table in (
            "sale_order",
            "sale_order_line",
            "stock_move",
            "stock_move_line",
            "account_move",
            "account_move_line",
        ):
            cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        cr.commit()
        status = 0
        if not args.no_check:
            progress.phase("check")
            try:
                check(env, expected, out=lambda msg: print(msg, flush=True))
            except CheckError as exc:
                print(f"error: {exc}", file=sys.stderr, flush=True)
                status = 1
        timings = progress.finish()
    print("timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()), flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
