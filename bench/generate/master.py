"""Master data (ORM): the catalogue, the customers and the company's set-up the SQL
writers need (taxes, accounts, warehouse, journals, payment method)."""

from dataclasses import dataclass
from datetime import datetime

from .catalogue import Product, _create_products
from .core import GenerationError
from .customers import COUNTRY_CODES, _create_partners, _create_sales_structure, _customers


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
