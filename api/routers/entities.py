"""Entities and the graph around them, as nodes and edges ready to draw."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from graphmem.api.deps import MemoryDep, ReadNamespace
from graphmem.api.errors import error_responses
from graphmem.api.schemas import Timestamp
from graphmem.views import EntityView, GraphView

__all__ = ["router"]

router = APIRouter(prefix="/namespaces/{namespace}", tags=["entities"])

NameOrId = Annotated[
    str,
    Path(
        max_length=500,
        description="an entity name (any spelling of a known name or alias) or id",
        examples=["Maria"],
    ),
]
Depth = Annotated[int, Query(ge=1, le=3, description="hops from the entity")]
Direction = Annotated[Literal["out", "in", "both"], Query(description="follow facts from, to, or both")]
AsOf = Annotated[Timestamp | None, Query(description="the graph as it stood at this event time")]
Limit = Annotated[int, Query(ge=1, le=500, description="facts followed per entity and hop")]
Superseded = Annotated[
    bool,
    Query(
        description="also the facts whose value was replaced (status superseded), e.g. to draw them dashed"
    ),
]


@router.get(
    "/entities/{name_or_id}", summary="Look up an entity", responses=error_responses(401, 403, 404, 422, 503)
)
def entity(namespace: ReadNamespace, name_or_id: NameOrId, memory: MemoryDep) -> EntityView:
    """The entity with its aliases, mention counts and current facts (as subject)."""
    return memory.entity(name_or_id, namespace=namespace)


@router.get(
    "/entities/{name_or_id}/neighbors",
    summary="Neighbourhood of an entity",
    responses=error_responses(401, 403, 404, 422, 503),
)
def neighbors(
    namespace: ReadNamespace,
    name_or_id: NameOrId,
    memory: MemoryDep,
    depth: Depth = 1,
    direction: Direction = "both",
    as_of: AsOf = None,
    limit: Limit = 50,
    include_superseded: Superseded = False,
) -> GraphView:
    """Entities within ``depth`` hops and the facts joining them; literal values become ``Value`` nodes."""
    return memory.neighbors(
        name_or_id,
        namespace=namespace,
        depth=depth,
        direction=direction,
        as_of=as_of,
        limit=limit,
        include_superseded=include_superseded,
    )


@router.get(
    "/graph",
    summary="Subgraph as nodes and edges",
    tags=["graph"],
    responses=error_responses(401, 403, 404, 422, 503),
)
def graph(
    namespace: ReadNamespace,
    memory: MemoryDep,
    entity: Annotated[
        str,
        Query(min_length=1, max_length=500, description="the centre entity (name or id)", examples=["Maria"]),
    ],
    depth: Depth = 1,
    direction: Direction = "both",
    as_of: AsOf = None,
    limit: Limit = 50,
    include_superseded: Superseded = False,
) -> GraphView:
    """``{nodes: [{id, kind, label, properties}], edges: [{source, target, type, properties}]}`` around
    ``entity``, for graph viewers. Names with '/' work here, unlike in the entity path."""
    return memory.neighbors(
        entity,
        namespace=namespace,
        depth=depth,
        direction=direction,
        as_of=as_of,
        limit=limit,
        include_superseded=include_superseded,
    )
