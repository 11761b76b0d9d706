"""Episodes: add one, add a batch, delete one (with the facts only it evidenced)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from graphmem.api.deps import MemoryDep, PrincipalDep, WriteNamespace
from graphmem.api.errors import error_responses
from graphmem.api.redact import redact_add
from graphmem.api.schemas import ID_PATTERN, BatchIn, DeleteResult, EpisodeIn
from graphmem.errors import InvalidInput
from graphmem.views import AddResult

__all__ = ["router"]

router = APIRouter(prefix="/namespaces/{namespace}/episodes", tags=["episodes"])


@router.post(
    "", status_code=201, summary="Add one episode", responses=error_responses(400, 401, 403, 413, 422, 503)
)
def add_episode(
    namespace: WriteNamespace, body: EpisodeIn, memory: MemoryDep, principal: PrincipalDep
) -> AddResult:
    """Store one interaction, extract its facts, reconcile them with what the memory holds, and write
    it all in one transaction. Re-adding the same ``id`` (or the same content, speaker, session and
    time) writes nothing and lists the id under ``skipped_episode_ids``. Needs the ``write`` scope; a
    key without ``read`` gets decisions without ``reason`` and ``fact`` (they quote stored values)."""
    result = memory.add(
        body.content,
        speaker=body.speaker,
        role=body.role,
        session=body.session,
        timestamp=body.timestamp,
        namespace=namespace,
        metadata=body.metadata,
        id=body.id,
        source=body.source,
        trust=body.trust,
    )
    return redact_add(result, principal)


@router.post(
    "/batch",
    status_code=201,
    summary="Add many episodes",
    responses=error_responses(400, 401, 403, 413, 422, 503),
)
def add_episodes(
    namespace: WriteNamespace, body: BatchIn, memory: MemoryDep, request: Request, principal: PrincipalDep
) -> AddResult:
    """Every item is validated before anything is written; the batch is one transaction unless
    ``batch_size`` splits it. The server caps the number of items (``max_batch_items``)."""
    cap: int = request.app.state.max_batch_items
    if len(body.items) > cap:
        raise InvalidInput(f"a batch holds at most {cap} items, got {len(body.items)}; split it")
    result = memory.add_many(
        [item.as_item() for item in body.items], namespace=namespace, batch_size=body.batch_size
    )
    return redact_add(result, principal)


@router.delete(
    "/{episode_id}", summary="Delete an episode", responses=error_responses(401, 403, 404, 422, 503)
)
def delete_episode(
    namespace: WriteNamespace,
    episode_id: Annotated[str, Path(max_length=200, pattern=ID_PATTERN, examples=["ep-1"])],
    memory: MemoryDep,
) -> DeleteResult:
    """Delete the episode, the facts that no other episode evidences, and entities left unreferenced.
    Returns the counts of deleted nodes by kind. Needs the ``write`` scope."""
    deleted = memory.forget(namespace=namespace, episode_id=episode_id)
    return DeleteResult(namespace=namespace, episode_id=episode_id, deleted=deleted)
