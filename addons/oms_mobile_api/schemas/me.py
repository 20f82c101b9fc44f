from pydantic import BaseModel, Field

from .common import Reference, reference


class Version(BaseModel):
    api: str = Field(examples=["v1"])
    module_version: str = Field(examples=["19.0.1.1.0"])


class Me(BaseModel):
    id: int
    name: str
    login: str
    email: str | None
    lang: str | None
    tz: str | None
    company: Reference = Field(description="The user's default company: new records go there.")
    companies: list[Reference] = Field(description="Every company whose records the user sees.")
    currency: str = Field(description="ISO 4217 code of the default company's currency.")
    is_oms_user: bool
    is_oms_manager: bool

    @classmethod
    def from_env(cls, env):
        user = env.user
        return cls(
            id=user.id,
            name=user.name,
            login=user.login,
            email=user.email or None,
            lang=env.context.get("lang") or user.lang or None,
            tz=user.tz or None,
            company=reference(env.company),
            companies=[reference(company) for company in env.companies],
            currency=env.company.currency_id.name,
            is_oms_user=user.has_group("oms_extended.group_oms_user"),
            is_oms_manager=user.has_group("oms_extended.group_oms_manager"),
        )
