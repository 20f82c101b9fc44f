"""Customers (companies, persons and their contacts in several countries), vendors, the
sales teams with their salespeople, and the UTM sources and mediums."""

from dataclasses import dataclass

from .core import _search_or_create

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


TEAMS = ("Web Shop", "Retail Stores", "B2B Direct", "Marketplaces", "Phone Sales")


SOURCES = ("Search engine", "Newsletter", "Facebook", "Instagram", "Referral", "Google Ads")


MEDIUMS = ("Website", "Email", "Phone", "Social", "Direct", "Banner")


@dataclass
class Customer:
    id: int
    commercial_id: int
    commercial_name: str
    country_id: int
    fpos_id: int
    tax_id: int


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
