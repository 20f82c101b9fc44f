from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from .common import InputModel, Reference

NO_NUL = r"^[^\x00]*$"


class TokenRequest(InputModel):
    """Login and password of an Odoo user, for an API key of one device."""

    # A password is taken as typed: its spaces are part of it.
    model_config = ConfigDict(str_strip_whitespace=False)

    login: str = Field(min_length=1, max_length=256, pattern=NO_NUL, examples=["clerk@example.com"])
    password: str = Field(min_length=1, max_length=1024)
    device: str = Field(
        default="Mobile app",
        min_length=1,
        max_length=64,
        pattern=NO_NUL,
        description="Name of the device, shown in the user's list of API keys.",
        examples=["Anna's phone"],
    )
    days: int = Field(
        default=30,
        ge=1,
        le=365,
        description="Days before the key expires (default 30); never more than Odoo allows "
        "the user's groups (*API Keys maximum duration days*, 90 for internal users): "
        "`expires_at` of the answer says until when.",
    )
    totp: str | None = Field(
        default=None,
        max_length=16,
        pattern=r"^[0-9 ]*$",
        description="The current code of the user's authenticator app, for a user with "
        "two-factor authentication (ignored otherwise). Without it, or with a wrong one, "
        "the answer is the 401 of a wrong password.",
        examples=["123456"],
    )


class Token(BaseModel):
    key: str = Field(
        description="The API key of this device: send it as `Authorization: Bearer <key>`. "
        "It is shown only in this response; Odoo keeps only its hash."
    )
    token_type: str = Field(examples=["Bearer"])
    expires_at: datetime
    device: str = Field(description="Name of the key in the user's preferences.")
    user: Reference


class Revoked(BaseModel):
    revoked: bool = Field(description="The calling API key was removed.")
