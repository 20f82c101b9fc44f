from odoo import fields, models
from odoo.tools import SQL

COLUMN_TYPES = {"many2one": "int4", "integer": "int4", "float": "float8", "datetime": "timestamp"}


class OmsFactMixin(models.AbstractModel):
    """What the fact tables share: the order's dimensions, and a table of their own
    without foreign keys (a fact table is written in bulk; its rows are rewritten
    whenever their order changes), with the indexes listed in ``_oms_indexes``."""

    _name = "oms.fact.mixin"
    _description = "Sales Fact: order dimensions"
    _log_access = False
    _order = "date desc, id desc"
    _oms_indexes = ("order_id", "date", "company_id, date")

    order_id = fields.Many2one("sale.order", readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Datetime(readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    commercial_partner_id = fields.Many2one("res.partner", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    source_id = fields.Many2one("utm.source", readonly=True)
    medium_id = fields.Many2one("utm.medium", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", readonly=True)

    def init(self):
        if not self._abstract:
            self._create_fact_table()

    def _create_fact_table(self):
        columns = [SQL("id int4 PRIMARY KEY")]
        for name, field in self._fields.items():
            if field.store and name != "id":
                columns.append(SQL("%s %s", SQL.identifier(name), SQL(COLUMN_TYPES[field.type])))
        cr = self.env.cr
        cr.execute(
            SQL(
                "CREATE TABLE IF NOT EXISTS %s (%s)",
                SQL.identifier(self._table),
                SQL(", ").join(columns),
            )
        )
        for index in self._oms_indexes:
            name = f"{self._table}_{index.replace(', ', '_').replace(' ', '_').lower()}_idx"
            cr.execute(
                SQL(
                    "CREATE INDEX IF NOT EXISTS %s ON %s (%s)",
                    SQL.identifier(name),
                    SQL.identifier(self._table),
                    SQL(index),
                )
            )
