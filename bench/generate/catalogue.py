"""The catalogue: categories, brands, storable products with a vendor, and services."""

from dataclasses import dataclass

from .core import _search_or_create, money

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


@dataclass
class Product:
    id: int
    name: str
    price: float
    cost: float
    storable: bool
    uom_id: int
    vendor_id: int | None


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
