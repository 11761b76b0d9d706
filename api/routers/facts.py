"""Facts: the current view, the view as of a time, the history of a slot, and undoing a decision."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from graphmem.api.deps import MemoryDep, PrincipalDep, ReadNamespace, WriteNamespace
from graphmem.api.errors import error_responses
from graphmem.api.pagination import LimitQuery, SkipQuery, page_of
from graphmem.api.schemas import ID_PATTERN, FactPage, HistoryPage, Timestamp, UndoResult

__all__ = ["router"]

router = APIRouter(prefix="/namespaces/{namespace}", tags=["facts"])

Subject = Annotated[
    str | None, Query(min_length=1, max_length=500, description="subject entity name", examples=["Maria"])
]
Predicate = Annotated[
    str | None, Query(min_length=1, max_length=200, description="canonical predicate", examples=["lives_in"])
]
FactIdQuery = Annotated[str | None, Query(min_length=1, max_length=200, description="a fact of the slot")]
FactId = Annotated[str, Path(max_length=200, pattern=ID_PATTERN, description="a fact id")]


@router.get("/facts", summary="List facts", responses=error_responses(401, 403, 422, 503))
def list_facts(
    request: Request,
    namespace: ReadNamespace,
    memory: MemoryDep,
    subject: Subject = None,
    predicate: Predicate = None,
    as_of: Annotated[Timestamp | None, Query(description="the view at this event time")] = None,
    include_history: Annotated[bool, Query(description="attach each fact's older values")] = False,
    skip: SkipQuery = 0,
    limit: LimitQuery = 50,
) -> FactPage:
    """Current facts by default (active and disputed), or the facts valid at ``as_of``; filtered by
    subject name and predicate. Paginated: follow ``next`` until it is null."""
    rows = memory.facts(
        namespace=namespace,
        subject=subject,
        predicate=predicate,
        as_of=as_of,
        include_history=include_history,
        skip=skip,
        limit=limit + 1,
    )
    data, nxt = page_of(request, rows, skip=skip, limit=limit)
    return FactPage(data=data, count=len(data), next=nxt)


@router.get("/history", summary="History of a slot", responses=error_responses(401, 403, 404, 422, 503))
def history(
    request: Request,
    namespace: ReadNamespace,
    memory: MemoryDep,
    subject: Subject = None,
    predicate: Predicate = None,
    fact_id: FactIdQuery = None,
    skip: SkipQuery = 0,
    limit: LimitQuery = 100,
) -> HistoryPage:
    """Every value a slot (subject + predicate) has had, oldest first, with the rule and reason of
    each status change. Give ``subject`` (optionally with ``predicate``) or ``fact_id``."""
    entries = memory.history(namespace=namespace, subject=subject, predicate=predicate, fact_id=fact_id)
    data, nxt = page_of(request, entries[skip : skip + limit + 1], skip=skip, limit=limit)
    return HistoryPage(data=data, count=len(data), next=nxt)


@router.post(
    "/facts/{fact_id}/undo",
    summary="Undo a reconciliation decision",
    responses=error_responses(401, 403, 404, 413, 422, 503),
)
def undo(
    namespace: WriteNamespace, fact_id: FactId, memory: MemoryDep, principal: PrincipalDep
) -> UndoResult:
    """Reverse the latest decision that changed this fact's status (e.g. a supersession that was
    wrong) and return the slot's history after it, with each fact's status. Needs the ``write``
    scope; a key without ``read`` gets the statuses only (the history holds stored values)."""
    history = memory.undo_reconcile(fact_id, namespace=namespace)
    statuses = {entry.fact.id: str(entry.fact.status) for entry in history}
    if not principal.has_scope("read"):
        return UndoResult(fact_id=fact_id, history=[], statuses=statuses, redacted=True)
    return UndoResult(fact_id=fact_id, history=history, statuses=statuses)
