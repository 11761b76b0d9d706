"""One router per resource, mounted under ``/v1`` by :func:`graphmem.api.app.create_app`."""

from __future__ import annotations

from graphmem.api.routers import cypher, entities, episodes, facts, health, me, namespaces, search

__all__ = ["ALL_ROUTERS"]

ALL_ROUTERS = (
    health.router,
    episodes.router,
    search.router,
    facts.router,
    entities.router,
    namespaces.router,
    cypher.router,
    me.router,
)
