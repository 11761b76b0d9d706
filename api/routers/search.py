"""Search (answer a question from memory) and explain (show the traversal plan)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from graphmem.api.deps import MemoryDep, ReadNamespace
from graphmem.api.errors import error_responses
from graphmem.api.schemas import MAX_QUERY_CHARS, ExplainIn, SearchIn, Timestamp
from graphmem.retrieve.plan import Plan
from graphmem.retrieve.results import SearchResult

__all__ = ["router"]

router = APIRouter(prefix="/namespaces/{namespace}", tags=["search"])

QueryText = Annotated[
    str,
    Query(
        min_length=1,
        max_length=MAX_QUERY_CHARS,
        description="the question",
        examples=["Where does Maria's sister live?"],
    ),
]
AsOf = Annotated[Timestamp | None, Query(description="answer as the memory stood at this time")]
_WITH_BODY = error_responses(400, 401, 403, 413, 422, 503)
_QUERY_ONLY = error_responses(401, 403, 422, 503)
K = Annotated[int, Query(ge=1, le=200, description="how many facts (and episodes) to return")]


@router.post("/search", summary="Search memory", responses=_WITH_BODY)
def search(namespace: ReadNamespace, body: SearchIn, memory: MemoryDep) -> SearchResult:
    """Facts (one current value per slot, with history), the episodes that evidence them, entities,
    explicit paths and insights, each with its score breakdown and the executed plan."""
    return memory.search(
        body.query,
        namespace=namespace,
        k=body.k,
        as_of=body.as_of,
        include_quarantined=body.include_quarantined,
    )


@router.get("/search", summary="Search memory (query string)", responses=_QUERY_ONLY)
def search_get(
    namespace: ReadNamespace, memory: MemoryDep, q: QueryText, k: K = 10, as_of: AsOf = None
) -> SearchResult:
    """The same as ``POST .../search``, for links and quick calls."""
    return memory.search(q, namespace=namespace, k=k, as_of=as_of)


@router.post("/explain", summary="Explain a query plan", responses=_WITH_BODY)
def explain(namespace: ReadNamespace, body: ExplainIn, memory: MemoryDep) -> Plan:
    """The traversal plan for a question (depth, beam width, direction, time filter, budgets,
    weights) and the reason for each choice, like EXPLAIN in a database. Nothing is retrieved."""
    return memory.explain(body.query, namespace=namespace, as_of=body.as_of)


@router.get("/explain", summary="Explain a query plan (query string)", responses=_QUERY_ONLY)
def explain_get(namespace: ReadNamespace, memory: MemoryDep, q: QueryText, as_of: AsOf = None) -> Plan:
    """The same as ``POST .../explain``."""
    return memory.explain(q, namespace=namespace, as_of=as_of)
