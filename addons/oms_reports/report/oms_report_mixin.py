from odoo import fields, models
from odoo.tools import SQL

WEEKDAYS = [
    ("1", "Monday"),
    ("2", "Tuesday"),
    ("3", "Wednesday"),
    ("4", "Thursday"),
    ("5", "Friday"),
    ("6", "Saturday"),
    ("7", "Sunday"),
]
HOURS = [(f"{hour:02d}", f"{hour:02d}:00") for hour in range(24)]


class OmsReportMixin(models.AbstractModel):
    """Read-only sales report over a sales fact table, read by the rankings.

    A report model is a projection of ``oms.sale.fact`` (``oms.report.line``) or
    ``oms.sale.order.fact`` (``oms.report.order``): no GROUP BY in the view, so
    PostgreSQL inlines it and the filters and the grouping of ``_read_group`` run
    directly on the fact table. A ranking is an action on one of the two models (its
    grouping, measures and order). Amounts are stored in each order's company
    currency and converted here to the current company's currency, as ``sale.report``
    does.
    """

    _name = "oms.report.mixin"
    _description = "OMS Sales Report (common fields)"
    _auto = False
    _rec_name = "date"
    _order = "net_amount desc"
    _oms_fact_table = None
    _oms_amount_fields = ()
    _oms_columns = {}

    date = fields.Datetime(string="Order Date", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    order_id = fields.Many2one("sale.order", string="Order", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    commercial_partner_id = fields.Many2one("res.partner", string="Customer Entity", readonly=True)
    country_id = fields.Many2one("res.country", string="Customer Country", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    source_id = fields.Many2one("utm.source", string="Source", readonly=True)
    medium_id = fields.Many2one("utm.medium", string="Medium", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", string="Campaign", readonly=True)
    weekday = fields.Selection(WEEKDAYS, string="Day of Week", readonly=True)
    hour = fields.Selection(HOURS, string="Hour of Day", readonly=True)
    qty = fields.Float(string="Qty Ordered", readonly=True)
    amount = fields.Monetary(string="Revenue (gross)", readonly=True)
    amount_total = fields.Monetary(string="Total incl. Taxes", readonly=True)
    margin = fields.Monetary(string="Margin (gross)", readonly=True)
    refund_amount = fields.Monetary(string="Refunded", readonly=True)
    net_amount = fields.Monetary(string="Revenue", readonly=True)
    net_margin = fields.Monetary(string="Margin", readonly=True)

    def _oms_select_columns(self, multicurrency):
        """SQL select list of the view: every stored field of the model."""
        columns = []
        for name, field in self._fields.items():
            if not field.store or name == "id" or name in ("weekday", "hour"):
                continue
            expr = self._oms_columns.get(name, f"f.{name}")
            if multicurrency and name == "currency_id":
                expr = str(self.env.company.currency_id.id)
            if multicurrency and (field.type == "monetary" or name in self._oms_amount_fields):
                expr = f"{expr} * account_currency_table.rate"
            columns.append(SQL(f"{expr} AS {name}"))
        return SQL(", ").join(columns)

    @property
    def _table_query(self):
        tz = self.env.tz.zone
        if tz == "UTC":
            local = SQL("f.date")
        else:
            local = SQL("(f.date AT TIME ZONE 'UTC' AT TIME ZONE %s)", tz)
        calendar = SQL("to_char(%s, 'ID') AS weekday, to_char(%s, 'HH24') AS hour", local, local)
        companies = self.env.companies
        currencies = self.env["res.currency"]
        table = SQL.identifier(self._oms_fact_table)
        if currencies._check_currency_table_monocurrency(companies):
            # like sale.report: only the rows of the selected companies
            return SQL(
                "SELECT f.id, %s, %s FROM %s f WHERE f.company_id = ANY(%s)",
                self._oms_select_columns(False),
                calendar,
                table,
                companies.ids,
            )
        currency_table = currencies._get_simple_currency_table(companies)
        return SQL(
            "SELECT f.id, %s, %s FROM %s f "
            "JOIN %s ON account_currency_table.company_id = f.company_id",
            self._oms_select_columns(True),
            calendar,
            table,
            currency_table,
        )
