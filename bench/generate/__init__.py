"""Generate a realistic, reproducible OMS data set in an installed Odoo 19 database.

Usage::

    .venv/bin/python bench/generate --db NAME --orders N --seed S [--paid-quotations M]

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

The package, by concern: ``catalogue`` (products, brands, vendors' prices),
``customers`` (partners, teams, UTM), ``master`` (both, with the company's set-up),
``orders`` (planning and the order tables), ``stock`` (deliveries, receipts, quants),
``invoices``, ``payments``, ``checks`` (the self-check), ``build`` (the whole run),
``core`` (what they share) and ``cli`` (the command line, ``__main__``).
"""

from .build import generate
from .checks import check
from .core import CheckError, GenerationError, Progress
from .orders import BUCKETS, PREPAID

__all__ = ["BUCKETS", "PREPAID", "CheckError", "GenerationError", "Progress", "check", "generate"]
