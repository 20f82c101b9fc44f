from odoo import fields, models


class OmsCustomerRfmThreshold(models.Model):
    """The quintile thresholds of the RFM scores of one company's customers.

    The nightly lifecycle run ranks all the company's customers, splits them in five equal
    groups on each of recency (last order date), frequency (orders) and monetary value
    (revenue), and stores here where each group starts: a customer whose value is at least
    the threshold of score k scores at least k (equal values share the lower score). A
    confirmed or cancelled order scores its customer against these thresholds, without
    reading the other customers. One row per company, written in SQL by the lifecycle
    computation only; it also keeps the place of the nightly run (the last customer ranked),
    so that a run cut short (time, concurrency) goes on where it stopped.
    """

    _name = "oms.customer.rfm.threshold"
    _description = "Customer RFM Thresholds"
    _rec_name = "company_id"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    computed_date = fields.Date(
        string="Computed On", readonly=True, help="Day of the run that ranked the customers."
    )
    customer_count = fields.Integer(string="Customers Ranked", readonly=True)
    recency_2 = fields.Date(string="R2 from", readonly=True)
    recency_3 = fields.Date(string="R3 from", readonly=True)
    recency_4 = fields.Date(string="R4 from", readonly=True)
    recency_5 = fields.Date(string="R5 from", readonly=True)
    frequency_2 = fields.Integer(string="F2 from", readonly=True)
    frequency_3 = fields.Integer(string="F3 from", readonly=True)
    frequency_4 = fields.Integer(string="F4 from", readonly=True)
    frequency_5 = fields.Integer(string="F5 from", readonly=True)
    monetary_2 = fields.Monetary(string="M2 from", readonly=True)
    monetary_3 = fields.Monetary(string="M3 from", readonly=True)
    monetary_4 = fields.Monetary(string="M4 from", readonly=True)
    monetary_5 = fields.Monetary(string="M5 from", readonly=True)
    ranked_partner_id = fields.Integer(
        string="Ranked up to",
        readonly=True,
        help="The nightly run of the day ranked the customers up to this id.",
    )
    ranked_done = fields.Boolean(
        string="Run Complete", readonly=True, help="The run of the day ranked every customer."
    )

    _company_uniq = models.Constraint(
        "UNIQUE(company_id)", "A company has one set of RFM thresholds."
    )
