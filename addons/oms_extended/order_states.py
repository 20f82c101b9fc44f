"""The suite's lists of order states: one definition, imported by every addon.

Odoo's own ``sale.order.state`` is ``draft``, ``sent``, ``sale`` or ``cancel``; which of
them count as sold is Odoo's ``sale.report._get_done_states()`` (overridable, used by
Odoo's own reports): code that has an environment asks it rather than naming ``sale``.
"""

# sale.order.state of a quotation (not confirmed, not cancelled)
QUOTATION_STATES = ("draft", "sent")

# sale.order.oms_state: where the order is in its journey
OMS_STATES = [
    ("quotation", "Quotation"),
    ("awaiting_payment", "Awaiting Payment"),
    ("ready_to_ship", "Ready to Ship"),
    ("partially_shipped", "Partially Shipped"),
    ("shipped", "Shipped"),
    ("delivered", "Delivered"),
    ("invoiced", "Invoiced"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
    ("exception", "Exception"),
]

# sale.order.oms_payment_state: what was collected of the order's total
OMS_PAYMENT_STATES = [
    ("not_paid", "Not Paid"),
    ("partial", "Partially Paid"),
    ("paid", "Paid"),
    ("over_paid", "Over-paid"),
    ("refunded", "Refunded"),
]
# oms_payment_state of an order paid in full
FULLY_PAID_STATES = ("paid", "over_paid")

# account.payment.state of a payment that counts as collected
PAID_STATES = ("in_process", "paid")


def state_keys(selection):
    """The keys of a selection list, in order."""
    return tuple(key for key, _label in selection)
