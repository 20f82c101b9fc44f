"""The normalised shipment statuses shared by shipments and their tracking events."""

SHIPMENT_STATUSES = [
    ("label_created", "Label Created"),
    ("picked_up", "Picked Up"),
    ("in_transit", "In Transit"),
    ("out_for_delivery", "Out for Delivery"),
    ("delivered", "Delivered"),
    ("exception", "Exception"),
    ("returned", "Returned"),
]

# The forward journey: a shipment never moves back to a lower rank (a late scan of an earlier
# step does not undo a newer one); exception and returned are reachable from any status.
STATUS_RANK = {
    "label_created": 10,
    "picked_up": 20,
    "in_transit": 30,
    "out_for_delivery": 40,
    "delivered": 50,
}
PROBLEM_STATUSES = ("exception", "returned")
CLOSED_STATUSES = ("delivered", "returned")

# Carrier status words mapped to our statuses (upper-cased, spaces and dashes as "_"); a
# carrier adapter may map its own codes before handing events over.
STATUS_ALIASES = {
    "CREATED": "label_created",
    "LABEL_CREATED": "label_created",
    "PRE_TRANSIT": "label_created",
    "INFO_RECEIVED": "label_created",
    "PICKED_UP": "picked_up",
    "PICKUP": "picked_up",
    "ACCEPTED": "picked_up",
    "IN_TRANSIT": "in_transit",
    "TRANSIT": "in_transit",
    "OUT_FOR_DELIVERY": "out_for_delivery",
    "DELIVERED": "delivered",
    "EXCEPTION": "exception",
    "FAILURE": "exception",
    "FAILED_ATTEMPT": "exception",
    "DELIVERY_FAILED": "exception",
    "RETURNED": "returned",
    "RETURN_TO_SENDER": "returned",
    "RETURNED_TO_SENDER": "returned",
}


def normalise_status(value):
    """Our status for a carrier's status word, or None when it is not one we know."""
    if not value or not isinstance(value, str):
        return None
    if value in STATUS_RANK or value in PROBLEM_STATUSES:
        return value
    key = value.strip().upper().replace(" ", "_").replace("-", "_")
    return STATUS_ALIASES.get(key)


def fold_statuses(statuses, start=None):
    """The status a shipment reaches through ``statuses`` (oldest first): a step forward or a
    problem is taken, a step back is ignored (relative to the furthest step reached), and a
    returned shipment stays returned."""
    status, reached = start, STATUS_RANK.get(start, 0)
    for new in statuses:
        if not new or status == "returned":
            continue
        if new in PROBLEM_STATUSES:
            status = new
        elif STATUS_RANK[new] >= reached:
            status, reached = new, STATUS_RANK[new]
    return status
