"""``POST /v1/cypher``: read-only Cypher for exploration, store-wide admin keys only.

A statement can read every namespace (the store is one graph), so a namespace-bound key is not enough,
even with ``admin``: the route needs an admin key bound to every namespace (``*``) and refuses any
other key with 403 before looking at the statement. Writes, schema changes and non-read procedures
are refused before they reach the database (``ReadOnlyViolation`` -> 403); a statement that fails in
the database is the caller's (``QueryError`` -> 400).
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from graphmem.api.deps import MemoryDep, StoreAdminDep
from graphmem.api.errors import USER_CYPHER_FLAG, error_responses
from graphmem.api.schemas import CypherIn, CypherResult

__all__ = ["router"]

router = APIRouter(tags=["cypher"])


@router.post(
    "/cypher", summary="Run read-only Cypher", responses=error_responses(400, 401, 403, 413, 422, 503)
)
def cypher(principal: StoreAdminDep, body: CypherIn, memory: MemoryDep, request: Request) -> CypherResult:
    """Run one read-only statement in the backend's dialect (Kuzu Cypher for the embedded store) and
    return its rows. Scope it yourself with ``WHERE n.namespace = $ns``. Embeddings are left out."""
    setattr(request.state, USER_CYPHER_FLAG, True)
    rows = memory.cypher(body.query, body.params, read_only=True, limit=body.limit)
    return CypherResult(rows=rows, count=len(rows))
