"""Errors that mean "another transaction got there first": never business errors.

Odoo retries a request that raises one of them (``odoo.service.model.retrying``) and a cron
takes its records again at its next run, so the OMS code re-raises them instead of turning
them into an order exception or a log line.
"""

from odoo.exceptions import ConcurrencyError, LockError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

RETRYABLE_ERRORS = (*PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, ConcurrencyError, LockError)
