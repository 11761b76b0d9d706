"""The FastAPI application: ``create_app()`` builds it over one :class:`graphmem.Memory`.

Run it with ``uvicorn graphmem.api.app:create_app --factory`` (settings from ``GRAPHMEM_*``) or through
``graphmem serve``. The server process owns the store: Kuzu allows one process per database directory,
and the Memory serialises writes internally, so routes are plain ``def`` functions that FastAPI runs in
its threadpool (the embedded store, spaCy and the encoder are in-process and CPU-bound).

Ownership: a Memory passed in stays the caller's (the app opens it, and never closes it); a Memory the
app creates from the settings is opened by the lifespan and closed when the server stops.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from anyio import to_thread
from fastapi import FastAPI

import graphmem
from graphmem.api.auth import KeyRing
from graphmem.api.errors import install_handlers
from graphmem.api.limits import BodySizeLimit
from graphmem.api.mcp import mount_mcp
from graphmem.api.routers import ALL_ROUTERS
from graphmem.api.ui import install_docs, install_ui
from graphmem.config import Settings, get_settings
from graphmem.memory import Memory

__all__ = ["DEFAULT_MAX_BATCH_ITEMS", "create_app"]

logger = logging.getLogger(__name__)

DEFAULT_MAX_BATCH_ITEMS = 1000
"""Items per ``episodes/batch`` request unless ``Settings.api_max_batch_items`` says otherwise."""

DESCRIPTION = """\
A graph memory for LLM agents: add interactions (episodes), then search them, read facts with their
history, explore entities and the graph around them.

**Namespaces.** Every memory lives in a namespace (a user, tenant or agent): paths are
`/v1/namespaces/{namespace}/...`.

**API keys.** Send `Authorization: Bearer <key>` or `X-API-Key: <key>`. Each key is bound to namespaces
and scopes: `read` (search, facts, entities, graph, stats), `write` (add and delete episodes, undo),
`admin` (delete a namespace, store-wide stats, Cypher; implies read and write). A missing or unknown
key gets 401; a namespace or scope the key does not have gets 403. With no key configured the API is
open and `GET /v1/health` says `"auth": "disabled"`.

**Errors** are JSON: `{"error": {"type": "not_found", "message": "..."}}` with a 4xx status
(422 responses add `detail`, one entry per invalid field).

**Lists** are paginated: `{data, count, next}`; follow `next` until it is null.

**Graph page.** [`/ui`](/ui) searches, draws and explains a namespace in the browser with the same keys.
"""

TAGS: list[dict[str, Any]] = [
    {"name": "episodes", "description": "Add interactions (one or a batch) and delete them."},
    {"name": "search", "description": "Answer questions from memory; show the traversal plan."},
    {"name": "facts", "description": "Current facts, facts as of a time, and the history of a slot."},
    {"name": "entities", "description": "Entities and their neighbourhoods."},
    {"name": "graph", "description": "Subgraphs as nodes and edges, for graph viewers."},
    {"name": "namespaces", "description": "Counts; deleting a namespace (admin)."},
    {"name": "cypher", "description": "Read-only Cypher across the store (admin)."},
    {"name": "health", "description": "Liveness, without a key."},
    {"name": "auth", "description": "What the presented API key may do."},
]


def create_app(
    memory: Memory | None = None,
    settings: Settings | None = None,
    *,
    warm_up: bool = True,
    max_batch_items: int | None = None,
) -> FastAPI:
    """Build the REST API over ``memory`` (default: a Memory from ``settings``, itself from the env).

    Keys are read here, so a bad keys file fails at start-up rather than on the first request.
    ``warm_up`` loads spaCy and the encoder during start-up so the first request is not the slow one.
    ``max_batch_items`` caps ``episodes/batch`` (default ``Settings.api_max_batch_items``, else 1000).
    """
    if settings is None:
        settings = memory.settings if memory is not None else get_settings()
    owns_memory = memory is None
    mem = memory if memory is not None else Memory(settings=settings)
    keyring = KeyRing.from_settings(settings)
    if max_batch_items is None:
        max_batch_items = int(getattr(settings, "api_max_batch_items", DEFAULT_MAX_BATCH_ITEMS))
    if max_batch_items < 1:
        raise ValueError("max_batch_items must be at least 1")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not keyring.enabled:
            logger.warning(
                "graphmem API: no API keys configured (GRAPHMEM_API_KEYS / "
                "GRAPHMEM_API_KEYS_FILE); every namespace is open to every caller. "
                "Bind to localhost only."
            )
        else:
            logger.info("graphmem API: %d API key(s) configured", len(keyring))
        await to_thread.run_sync(_open, mem, warm_up)
        try:
            async with mcp_running():
                yield
        finally:
            if owns_memory:
                await to_thread.run_sync(mem.close)

    app = FastAPI(
        title="graphmem",
        version=graphmem.__version__,
        summary="Graph-database knowledge memory for LLM agents",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
        docs_url=None,  # install_docs serves /docs and /redoc from the package, not a CDN
        redoc_url=None,
    )
    app.state.memory = mem
    app.state.settings = settings
    app.state.keyring = keyring
    app.state.max_batch_items = max_batch_items
    _serve_configured_limits(app, max_batch_items)
    install_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.api_max_body_bytes)
    for router in ALL_ROUTERS:
        app.include_router(router, prefix="/v1")
    mcp_running = mount_mcp(app, mem, keyring)  # the MCP tools at /mcp, same keys and namespaces
    install_docs(app)
    install_ui(app)
    return app


def _serve_configured_limits(app: FastAPI, max_batch_items: int) -> None:
    """Write the configured batch cap into the served schema (the models carry the hard cap), so a
    client generated from ``/openapi.json`` never sends a batch the server will refuse."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            batch = schema.get("components", {}).get("schemas", {}).get("BatchIn", {}).get("properties", {})
            if "items" in batch:
                batch["items"]["maxItems"] = max_batch_items
            for option in batch.get("batch_size", {}).get("anyOf", [batch.get("batch_size", {})]):
                if "maximum" in option:
                    option["maximum"] = max_batch_items
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]


def _open(memory: Memory, warm_up: bool) -> None:
    memory.open()
    if warm_up:
        _ = memory.extractor, memory.retriever
