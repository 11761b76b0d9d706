"""FastAPI dependencies: the Memory, the caller's key, and namespaces the key may use.

A route gets its namespace only through :data:`ReadNamespace`, :data:`WriteNamespace` or
:data:`AdminNamespace`, which authenticate the key (401) and check its namespaces and scope (403)
before the route body runs. So no route can forget the key -> namespace check.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from graphmem.api.auth import KeyRing, Principal, Scope
from graphmem.api.errors import Unauthenticated
from graphmem.api.schemas import NAMESPACE_PATTERN
from graphmem.memory import Memory

__all__ = [
    "AdminDep",
    "AdminNamespace",
    "MemoryDep",
    "PrincipalDep",
    "ReadNamespace",
    "StoreAdminDep",
    "WriteNamespace",
    "get_memory",
    "get_principal",
]

_bearer = HTTPBearer(
    auto_error=False, scheme_name="BearerKey", description="`Authorization: Bearer <api key>`"
)
_api_key = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    scheme_name="ApiKeyHeader",
    description="`X-API-Key: <api key>` (alternative to the bearer header)",
)


def get_memory(request: Request) -> Memory:
    """The app's one Memory, opened by the lifespan."""
    memory: Memory = request.app.state.memory
    return memory


def get_principal(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    api_key: Annotated[str | None, Depends(_api_key)],
) -> Principal:
    """Authenticate the key from ``Authorization: Bearer`` or ``X-API-Key`` (they must agree if both)."""
    keyring: KeyRing = request.app.state.keyring
    token = bearer.credentials if bearer is not None else None
    if token and api_key and token != api_key:
        raise Unauthenticated("the Authorization and X-API-Key headers carry different keys")
    return keyring.authenticate(token or api_key)


MemoryDep = Annotated[Memory, Depends(get_memory)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]

NamespacePath = Annotated[
    str,
    Path(
        pattern=NAMESPACE_PATTERN,
        description="the memory's namespace (tenant, user or agent); the API key must be allowed to use it",
        examples=["maria"],
    ),
]


def _read(namespace: NamespacePath, principal: PrincipalDep) -> str:
    return _checked(principal, "read", namespace)


def _write(namespace: NamespacePath, principal: PrincipalDep) -> str:
    return _checked(principal, "write", namespace)


def _admin_namespace(namespace: NamespacePath, principal: PrincipalDep) -> str:
    return _checked(principal, "admin", namespace)


def _checked(principal: Principal, scope: Scope, namespace: str) -> str:
    principal.authorize(scope, namespace)
    return namespace


def _admin(principal: PrincipalDep) -> Principal:
    principal.authorize("admin")
    return principal


def _store_admin(principal: PrincipalDep) -> Principal:
    principal.authorize_store_wide("raw Cypher")
    return principal


ReadNamespace = Annotated[str, Depends(_read)]
WriteNamespace = Annotated[str, Depends(_write)]
AdminNamespace = Annotated[str, Depends(_admin_namespace)]
AdminDep = Annotated[Principal, Depends(_admin)]
StoreAdminDep = Annotated[Principal, Depends(_store_admin)]
"""An admin key bound to every namespace: the only kind that may run raw Cypher."""
