"""Cursor pagination (keyset): a page is the records after the last one of the previous
page in a fixed order, so that pages neither skip nor repeat records when records are added
meanwhile, and a page costs the same at any depth."""

import base64
import binascii
import json
from typing import Annotated

from fastapi import Query

from odoo import fields
from odoo.fields import Domain

from .errors import InvalidRequest
from .schemas.common import SEARCH_PATTERN

MAX_LIMIT = 200

# The query parameters of every list route.
Cursor = Annotated[
    str | None, Query(max_length=512, description="`next_cursor` of the previous page.")
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")]


def search_text(description):
    """The type of a list's ``q`` parameter: text searched as ``description`` says."""
    return Annotated[
        str | None,
        Query(min_length=1, max_length=256, pattern=SEARCH_PATTERN, description=description),
    ]


def _encode(values):
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _decode(cursor, field, env):
    try:
        value, record_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(record_id, int) or not 0 < record_id < 2**31:
            raise ValueError(record_id)
        if field.type == "datetime":
            value = fields.Datetime.to_datetime(value)
        elif not isinstance(value, str) or "\x00" in value:
            raise ValueError(value)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as error:
        raise InvalidRequest(
            env._("Invalid cursor: pass the next_cursor of the previous page as is."),
            details={"fields": [{"field": "cursor", "location": "query", "message": "invalid"}]},
        ) from error
    return value, record_id


def search_page(model, domain, sort, *, cursor=None, limit=50, descending=False, field_names=()):
    """``(records, next_cursor)``: at most ``limit`` records of ``domain`` sorted on field
    ``sort`` then id, after the position ``cursor`` (a ``next_cursor`` of a previous page),
    with their ``field_names`` read by the same query. The records share their prefetch set, so
    that reading them costs the same number of queries for any page size."""
    field = model._fields[sort]
    domain = Domain(domain)
    operator = "<" if descending else ">"
    if cursor:
        value, record_id = _decode(cursor, field, model.env)
        domain &= Domain(sort, operator, value) | (
            Domain(sort, "=", value) & Domain("id", operator, record_id)
        )
    direction = "DESC" if descending else "ASC"
    records = model.search_fetch(
        domain, [sort, *field_names], order=f"{sort} {direction}, id {direction}", limit=limit + 1
    )
    if len(records) <= limit:
        return records, None
    records = records[:limit]
    last = records[-1]
    value = last[sort]
    value = fields.Datetime.to_string(value) if field.type == "datetime" else value
    return records, _encode([value, last.id])
