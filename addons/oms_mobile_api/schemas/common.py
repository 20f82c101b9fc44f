from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

Id = Annotated[int, Field(gt=0, le=2**31 - 1, description="Odoo record id.")]
Quantity = Annotated[float, Field(gt=0, le=1e9, allow_inf_nan=False)]
Price = Annotated[float, Field(ge=0, le=1e12, allow_inf_nan=False)]
ShortText = Annotated[str, Field(max_length=256)]
# Free text of the query string: no NUL character (PostgreSQL cannot compare it).
SEARCH_PATTERN = r"^[^\x00]*$"


class InputModel(BaseModel):
    """A request body: unknown fields are refused, so that a typo is an error, not a no-op."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_character(cls, value):
        # PostgreSQL cannot store it: refused as bad input.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


class Error(BaseModel):
    code: str = Field(description="Machine-readable error code, e.g. `not_found`.")
    message: str = Field(description="What went wrong and what to do, for a person.")
    details: dict[str, Any] = Field(
        description="Context of the error, e.g. `fields`: the invalid fields of a 400 "
        "(`field`, `location`, `message`, `type`)."
    )


class ErrorResponse(BaseModel):
    error: Error


class Reference(BaseModel):
    id: int
    name: str


def utc(value):
    """Odoo's naive UTC datetimes as timezone-aware ones (ISO 8601 with the offset)."""
    return value.replace(tzinfo=UTC) if isinstance(value, datetime) else None


def reference(record):
    return Reference(id=record.id, name=record.display_name) if record else None


def text(value):
    return value or None
