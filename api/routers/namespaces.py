"""Namespaces: counts, and deleting one with everything in it."""

from __future__ import annotations

from fastapi import APIRouter

from graphmem.api.deps import AdminDep, AdminNamespace, MemoryDep, ReadNamespace
from graphmem.api.errors import error_responses
from graphmem.api.schemas import DeleteResult
from graphmem.views import Stats

__all__ = ["router"]

router = APIRouter(tags=["namespaces"])


@router.get(
    "/namespaces/{namespace}/stats",
    summary="Counts of a namespace",
    responses=error_responses(401, 403, 422, 503),
)
def namespace_stats(namespace: ReadNamespace, memory: MemoryDep) -> Stats:
    """Node and relationship counts of the namespace."""
    return memory.stats(namespace=namespace)


@router.delete(
    "/namespaces/{namespace}", summary="Delete a namespace", responses=error_responses(401, 403, 422, 503)
)
def delete_namespace(namespace: AdminNamespace, memory: MemoryDep) -> DeleteResult:
    """Delete every episode, entity, fact, insight and session of the namespace; returns the counts.
    Needs the ``admin`` scope. Deleting an empty or unknown namespace deletes nothing and succeeds."""
    return DeleteResult(namespace=namespace, deleted=memory.forget(namespace=namespace, everything=True))


@router.get("/stats", summary="Counts of the whole store", responses=error_responses(401, 403, 503))
def store_stats(principal: AdminDep, memory: MemoryDep) -> Stats:
    """Counts across every namespace for a store-wide admin key (``*``); a key bound to namespaces
    gets the sum over its own namespaces only (listed in ``namespaces``), without the store path.
    Needs the ``admin`` scope."""
    if principal.store_wide:
        return memory.stats(all_namespaces=True)
    own = sorted(principal.namespaces)
    counts: dict[str, int] = {}
    for namespace in own:
        for kind, n in memory.stats(namespace=namespace).counts.items():
            counts[kind] = counts.get(kind, 0) + n
    return Stats(namespace=None, namespaces=own, counts=counts, backend=memory.settings.backend)
