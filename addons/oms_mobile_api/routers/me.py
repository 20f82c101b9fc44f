from typing import Annotated

from fastapi import APIRouter, Depends

from odoo.api import Environment

from ..dependencies import OmsApiRoute, UserEnv, endpoint_env
from ..errors import API_VERSION
from ..schemas import Me, Version
from .common import api_router, errors

router = api_router("session")
public_router = APIRouter(tags=["session"], route_class=OmsApiRoute, responses=errors(500))


@public_router.get("/version", summary="API version (no authentication)")
def get_version(env: Annotated[Environment, Depends(endpoint_env)]) -> Version:
    """The app checks it before anything else."""
    # sudo: reads the version of this module only, public in the OpenAPI document anyway.
    module = env["ir.module.module"].sudo().search([("name", "=", "oms_mobile_api")])
    return Version(api=API_VERSION, module_version=module.installed_version)


@router.get("/me", summary="The calling user")
def get_me(env: UserEnv) -> Me:
    """The user of the API key: its companies and OMS groups."""
    return Me.from_env(env)
