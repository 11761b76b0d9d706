"""``GET /v1/me``: what the presented API key may do, so a client can offer only what will work.

The graph page fills its namespace picker from this: a key bound to namespaces gets exactly those, a
store-wide key (``*``) a free field starting at the server's default namespace. Nothing here is secret
to the key's holder: it is the key's own configuration, never the key, its digest or other keys.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from graphmem.api.auth import ALL_NAMESPACES, SCOPES
from graphmem.api.deps import PrincipalDep
from graphmem.api.errors import error_responses

__all__ = ["KeyInfo", "router"]

router = APIRouter(tags=["auth"])


class KeyInfo(BaseModel):
    """The caller's key: its label, namespaces and scopes."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "maria-app",
                    "auth": "enabled",
                    "namespaces": ["maria"],
                    "all_namespaces": False,
                    "scopes": ["read", "write"],
                    "can": {"read": True, "write": True, "admin": False},
                    "default_namespace": "default",
                },
            ]
        },
    )

    name: str = Field(description="the key's label from the keys file (never the key itself)")
    auth: Literal["enabled", "disabled"] = Field(description="disabled: no key is configured, all is open")
    namespaces: list[str] = Field(description="namespaces the key may use; ['*'] for every namespace")
    all_namespaces: bool = Field(description="true when the key may use every namespace")
    scopes: list[str] = Field(description="scopes as configured: read, write, admin")
    can: dict[str, bool] = Field(description="effective rights per scope (admin implies read and write)")
    default_namespace: str = Field(description="the server's default namespace")


@router.get("/me", summary="The caller's key: namespaces and scopes", responses=error_responses(401))
def me(request: Request, principal: PrincipalDep) -> KeyInfo:
    """Which namespaces and scopes the presented key has (401 without a valid key). With auth disabled
    the answer is the open access every caller then has."""
    enabled = request.app.state.keyring.enabled
    return KeyInfo(
        name=principal.name,
        auth="enabled" if enabled else "disabled",
        namespaces=sorted(principal.namespaces),
        all_namespaces=ALL_NAMESPACES in principal.namespaces,
        scopes=[s for s in SCOPES if s in principal.scopes],
        can={s: principal.has_scope(s) for s in SCOPES},
        default_namespace=request.app.state.settings.namespace,
    )
