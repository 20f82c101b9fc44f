from datetime import datetime
from unittest.mock import patch

from odoo.addons.oms_extended.tests.common import OmsCommon, company_warehouse


class OmsReportsCommon(OmsCommon):
    """Hand-made sales with known rankings (amounts in the company currency), on Odoo's
    own fixtures (``SaleCommon``: its salesman, sales team, product helpers, currencies).

    ========  ========  ====  =====  =======================  ======  ===========
    order     customer  team  date   lines                    refund  net revenue
    ========  ========  ====  =====  =======================  ======  ===========
    o1        Beta(BE)  T1    01-05  2 A @100, 1 B @30        1 A     130
    o2        Gamma(FR) T2    01-06  4 B @30, 1 C @50                 170
    o3        Beta(BE)  T1    01-07  1 A @100 (salesman)              100
    o4        Gamma(FR) T2    01-07  2 C @50 in FOREX, rate 2         50
    cancelled Gamma(FR) T1    01-07  10 A                             excluded
    draft     Beta(BE)  T1    01-07  10 B                             excluded
    ========  ========  ====  =====  =======================  ======  ===========
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        cls.warehouse = company_warehouse(cls.env, company)
        cls.env = cls.env(context=dict(cls.env.context, tz="UTC"))
        cls.env.user.tz = "UTC"
        cls.salesman = cls.sale_user
        cls.salesman.tz = "UTC"
        Brand = cls.env["product.brand"]
        cls.brand_x, cls.brand_y = Brand.create([{"name": "Xenon"}, {"name": "Yonder"}])
        Categ = cls.env["product.category"]
        cls.categ_1, cls.categ_2 = Categ.create([{"name": "Machines"}, {"name": "Supplies"}])

        def product(name, price, cost, brand, categ):
            return cls._create_product(
                name=name,
                type="service",
                list_price=price,
                standard_price=cost,
                invoice_policy="order",
                taxes_id=[],
                product_brand_id=brand.id,
                categ_id=categ.id,
            )

        cls.product_a = product("Anvil", 100, 40, cls.brand_x, cls.categ_1)
        cls.product_b = product("Bolt", 30, 10, cls.brand_y, cls.categ_2)
        cls.product_c = product("Crate", 50, 20, cls.brand_x, cls.categ_2)
        Partner = cls.env["res.partner"]
        cls.beta = Partner.create({"name": "Beta", "country_id": cls.env.ref("base.be").id})
        cls.gamma = Partner.create({"name": "Gamma", "country_id": cls.env.ref("base.fr").id})
        cls.team_1 = cls.sale_team
        cls.team_1.name = "T1 Shop"
        cls.team_2 = cls.env["crm.team"].create({"name": "T2 Phone"})
        cls.source = cls.env["utm.source"].create({"name": "Newsletter"})

        # SaleCommon's company sells in USD
        cls.forex = cls.setup_other_currency("EUR", rates=[("2025-01-01", 2.0)])
        cls.forex_pricelist = cls._create_pricelist(name="Forex", currency_id=cls.forex.id)

        cls.o1 = cls._order(cls.beta, cls.team_1, "2026-01-05 10:15:00", [("a", 2), ("b", 1)])
        cls.o2 = cls._order(cls.gamma, cls.team_2, "2026-01-06 15:30:00", [("b", 4), ("c", 1)])
        cls.o3 = cls._order(
            cls.beta, cls.team_1, "2026-01-07 09:00:00", [("a", 1)], user=cls.salesman
        )
        cls.o4 = cls._order(
            cls.gamma,
            cls.team_2,
            "2026-01-07 15:45:00",
            [("c", 2)],
            pricelist=cls.forex_pricelist,
            price=50,
        )
        cls.cancelled = cls._order(cls.gamma, cls.team_1, "2026-01-07 11:00:00", [("a", 10)])
        cls.cancelled._action_cancel()
        cls.draft = cls._order(
            cls.beta, cls.team_1, "2026-01-07 11:00:00", [("b", 10)], confirm=False
        )

        # Refund one anvil of o1.
        invoice = cls.o1._create_invoices()
        invoice.action_post()
        refund = invoice._reverse_moves()
        anvil = refund.invoice_line_ids.filtered(lambda line: line.product_id == cls.product_a)
        refund.write(
            {
                "invoice_line_ids": [
                    *((2, line.id) for line in refund.invoice_line_ids - anvil),
                    (1, anvil.id, {"quantity": 1}),
                ]
            }
        )
        refund.action_post()
        cls.refund = refund
        cls.refresh_facts()

    @classmethod
    def refresh_facts(cls):
        """What happens after a commit: the pre-commit hook queues what changed, then
        the cron it woke up rewrites the facts of the queue."""
        cls.env.cr.flush()
        with patch.object(type(cls.env["ir.cron"]), "_commit_progress", return_value=60.0):
            cls.env["oms.sale.fact"]._process_queue()

    @classmethod
    def _order(
        cls, partner, team, date, lines, *, user=None, pricelist=None, price=None, confirm=True
    ):
        products = {"a": cls.product_a, "b": cls.product_b, "c": cls.product_c}
        vals = {
            "partner_id": partner.id,
            "team_id": team.id,
            "user_id": (user or cls.oms_manager).id,
            "source_id": cls.source.id,
            "warehouse_id": cls.warehouse.id,
            "order_line": [
                (
                    0,
                    0,
                    {
                        "product_id": products[key].id,
                        "product_uom_qty": qty,
                        **({"price_unit": price} if price else {}),
                    },
                )
                for key, qty in lines
            ],
        }
        if pricelist:
            vals["pricelist_id"] = pricelist.id
        order = cls.env["sale.order"].create(vals)
        if confirm:
            order.action_confirm()
        order.date_order = datetime.fromisoformat(date)
        return order

    def ranking(self, key, domain=(), limit=10, env=None):
        env = env or self.env
        ranking = env["oms.report.ranking"].search([("key", "=", key)])
        return ranking._top(list(domain), limit=limit)
