"""The MCP tools over streamable HTTP at ``/mcp``, behind the same API keys and namespaces as REST.

``graphmem serve`` mounts them next to ``/v1``: one process, one store, one :class:`~graphmem.Memory`.
Every HTTP request to ``/mcp`` is authenticated by :func:`api.deps.get_principal` (the REST
dependency itself: ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``), so a missing or unknown
key gets the REST 401 before any MCP message is read. Each tool call then checks the key's namespaces
and scope with :meth:`api.auth.Principal.authorize`: reading tools need ``read``, the others ``write``;
a refusal comes back as a tool error naming the namespace or scope.

A key bound to exactly one namespace needs no ``namespace`` argument: it is the default. With no key
configured (open access) only loopback Host names are accepted, which stops a web page from reaching
the server through DNS rebinding; bind to localhost in that case, as for REST.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.security import APIKeyHeader, HTTPBearer
from starlette.requests import Request
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from graphmem.api.auth import ALL_NAMESPACES, KeyRing, Principal
from graphmem.api.deps import get_principal
from graphmem.api.errors import Unauthenticated
from graphmem.errors import ClosedError
from graphmem.memory import Memory, validate_namespace

__all__ = ["MCP_PATH", "mount_mcp"]

logger = logging.getLogger(__name__)

MCP_PATH = "/mcp"
_PRINCIPAL = "graphmem.principal"
"""ASGI scope key under which the gate leaves the authenticated caller for the tools."""

_bearer = HTTPBearer(auto_error=False)
_api_key = APIKeyHeader(name="X-API-Key", auto_error=False)


class _KeyGate:
    """Authenticates each HTTP request to ``/mcp`` with the REST dependency before MCP sees it."""

    def __init__(self) -> None:
        self.app: ASGIApp | None = None
        """The MCP session manager's app while the server runs (a new one per lifespan)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        # get_principal reads the keyring from app.state, like every REST route does.
        principal = get_principal(request, await _bearer(request), await _api_key(request))
        if self.app is None:
            raise ClosedError("the MCP endpoint is not running (the server is starting or stopping)")
        await self.app({**scope, _PRINCIPAL: principal}, receive, send)


def _key_access(default_namespace: str) -> Callable[[Any, str, str | None], str]:
    def access(ctx: Any, scope: str, namespace: str | None) -> str:
        request = ctx.request_context.request if ctx is not None else None
        principal: Principal | None = request.scope.get(_PRINCIPAL) if request is not None else None
        if principal is None:  # the gate runs before every request; this is a wiring fault
            raise Unauthenticated("no API key was checked for this MCP request")
        if namespace is None:
            own = sorted(principal.namespaces - {ALL_NAMESPACES})
            namespace = (
                own[0] if len(own) == 1 and ALL_NAMESPACES not in principal.namespaces else default_namespace
            )
        validate_namespace(namespace)
        principal.authorize("read" if scope == "read" else "write", namespace)
        return namespace

    return access


def mount_mcp(
    app: FastAPI, memory: Memory, keyring: KeyRing
) -> Callable[[], AbstractAsyncContextManager[None]]:
    """Add the ``/mcp`` route to ``app``; returns the context manager its lifespan must enter.

    Without the ``mcp`` extra nothing is mounted (the REST API works as before) and the returned
    context manager does nothing.
    """
    try:
        from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
        from mcp.server.transport_security import TransportSecuritySettings

        from graphmem.mcp_server import build_server
    except ImportError:
        logger.info("graphmem API: MCP not mounted (install the mcp extra: pip install 'graphmem[mcp]')")
        return _nothing

    server = build_server(memory, access=_key_access(memory.default_namespace))
    # With keys, a web page cannot call the tools without one, so any Host is served (proxies, Docker);
    # the SDK would otherwise turn the guard on by default and refuse every non-loopback Host.
    security = (
        TransportSecuritySettings(enable_dns_rebinding_protection=False)
        if keyring.enabled
        else TransportSecuritySettings(
            enable_dns_rebinding_protection=True,
            allowed_hosts=["127.0.0.1", "127.0.0.1:*", "localhost", "localhost:*", "[::1]", "[::1]:*"],
            allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"],
        )
    )
    gate = _KeyGate()
    app.router.routes.append(Route(MCP_PATH, endpoint=gate))

    @asynccontextmanager
    async def running() -> AsyncIterator[None]:
        # A session manager runs once; each lifespan (a test client may start an app twice) gets its own.
        server.streamable_http_app(streamable_http_path=MCP_PATH, transport_security=security)
        manager = server.session_manager
        async with manager.run():
            gate.app = StreamableHTTPASGIApp(manager)
            try:
                yield
            finally:
                gate.app = None

    return running


@asynccontextmanager
async def _nothing() -> AsyncIterator[None]:
    yield
