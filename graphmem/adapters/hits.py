"""What every framework adapter returns, built once: recalled facts and episodes as text + metadata.

Each adapter wraps these in its own document type (LangChain ``Document``, LlamaIndex ``TextNode``,
LangGraph ``SearchItem``). Metadata values are JSON types only (str, float, bool, lists, None), so
every framework can serialise them, and carry the provenance: a fact names the episodes that
evidence it, an episode the facts it supports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from graphmem.errors import InvalidInput
from graphmem.memory import Memory
from graphmem.retrieve.results import EpisodeHit, FactHit, SearchResult

__all__ = ["MemoryHit", "episode_hit", "fact_hit", "recall"]


@dataclass(frozen=True)
class MemoryHit:
    """One recalled fact or episode: prompt text, relevance and provenance."""

    id: str
    text: str
    score: float
    metadata: dict[str, Any] = field(default_factory=dict)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def fact_hit(fact: FactHit, namespace: str) -> MemoryHit:
    """A fact: its sentence, validity and older values in the text, ids and provenance in metadata."""
    text = fact.text
    if fact.history:
        text += f" (before: {', '.join(fact.history)})"
    if fact.status.value != "active":
        text += f" [{fact.status.value}]"
    return MemoryHit(
        id=fact.id,
        text=text,
        score=fact.score,
        metadata={
            "kind": "fact",
            "namespace": namespace,
            "fact_id": fact.id,
            "episode_ids": list(fact.episodes),
            "subject": fact.subject,
            "subject_id": fact.subject_id,
            "predicate": fact.predicate,
            "object": fact.object,
            "object_id": fact.object_id,
            "status": fact.status.value,
            "modality": fact.modality.value,
            "polarity": fact.polarity,
            "valid_from": _iso(fact.valid_from),
            "valid_to": _iso(fact.valid_to),
            "history": list(fact.history),
            "path": fact.path,
            "found_by": list(fact.found_by),
            "score": fact.score,
        },
    )


def episode_hit(episode: EpisodeHit, namespace: str) -> MemoryHit:
    """An episode (what was said): its content, who said it and when, and the facts it supports."""
    who = f"{episode.speaker}: " if episode.speaker else ""
    return MemoryHit(
        id=episode.id,
        text=f"{who}{episode.content}",
        score=episode.score,
        metadata={
            "kind": "episode",
            "namespace": namespace,
            "episode_id": episode.id,
            "episode_ids": [episode.id],
            "fact_ids": list(episode.facts),
            "session_id": episode.session_id,
            "speaker": episode.speaker,
            "occurred_at": _iso(episode.occurred_at),
            "found_by": list(episode.found_by),
            "score": episode.score,
        },
    )


def recall(
    memory: Memory,
    query: str,
    *,
    namespace: str | None = None,
    k: int = 8,
    episodes: int = 4,
    as_of: datetime | str | None = None,
) -> tuple[SearchResult, list[MemoryHit]]:
    """``Memory.search`` as hits: the top ``k`` facts, then the top ``episodes`` episodes behind them."""
    if not isinstance(episodes, int) or isinstance(episodes, bool) or episodes < 0:
        raise InvalidInput("episodes must be a non-negative integer")
    result = memory.search(query, namespace=namespace, k=k, as_of=as_of)
    hits = [fact_hit(f, result.namespace) for f in result.facts[:k]]
    hits += [episode_hit(e, result.namespace) for e in result.episodes[:episodes]]
    return result, hits
