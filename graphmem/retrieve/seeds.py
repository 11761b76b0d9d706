"""Seed channels: where the traversal starts (DESIGN section 6, step 2).

Three channels, one small shape (``Channel``: ranked ids with scores and the channel name), so that
fusion treats them alike:

* **entities**: exact key or alias match of the query's mentions first, then nearest entity names by
  vector for mentions that matched nothing. A seed's weight is divided by how common the entity is
  (``1 + ln(1 + mention_count)``): a hub like USER or a conversation's speaker is connected to
  everything, and must not drown the specific things the question names.
* **facts**: vector and full-text search over fact texts, fused by reciprocal rank; the strongest
  channel, because a fact is a short, focused sentence. The vector search is run wider than the seeds
  it keeps (``fact_similarity_k``) so that the traversal can weight *other* facts it meets by their
  similarity to the query without encoding anything at query time.
* **episodes**: vector and full-text search over raw episodes, fused by reciprocal rank; a low-weight
  seed for the walk but the base of the episode ranking.

These functions only call the ``GraphStore`` protocol.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from graphmem.model import Entity
from graphmem.retrieve.analysis import QueryAnalysis, QueryMention
from graphmem.retrieve.fusion import reciprocal_rank_fusion
from graphmem.store.base import GraphStore, NodeKind

__all__ = ["Channel", "EntitySeeds", "SeedSet", "commonness", "entity_seeds", "hybrid_seeds"]

_MENTION_WEIGHT = {"name": 1.0, "self": 1.0, "concept": 0.5}


@dataclass(slots=True)
class Channel:
    """One seed channel's answer: ids best first with the channel's own scores."""

    name: str
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def ranking(self) -> list[str]:
        return sorted(self.scores, key=lambda i: (-round(self.scores[i], 9), i))


@dataclass(slots=True)
class EntitySeeds:
    """Entity seeds with their weights, the records, and which mention each came from."""

    weights: dict[str, float] = field(default_factory=dict)
    records: dict[str, Entity] = field(default_factory=dict)
    found_by: dict[str, list[str]] = field(default_factory=dict)
    groups: list[tuple[QueryMention, list[str]]] = field(default_factory=list)

    def strong_groups(self) -> list[tuple[QueryMention, list[str]]]:
        """Mention groups of named things and the asking user that resolved to at least one entity."""
        return [(m, ids) for m, ids in self.groups if m.kind != "concept" and ids]


@dataclass(slots=True)
class SeedSet:
    """Everything the seed step found; the traversal and the ranking read from it."""

    entities: EntitySeeds
    fact_dense: Channel
    fact_lexical: Channel
    fact_fused: dict[str, float]
    episode_dense: Channel
    episode_lexical: Channel
    episode_fused: dict[str, float]
    fact_similarity: dict[str, float] = field(default_factory=dict)
    """Query similarity of facts (topic vector when names were masked), used to rank and weight them."""

    def fact_found_by(self, fact_id: str) -> list[str]:
        found = []
        if fact_id in self.fact_dense.scores:
            found.append("fact_vector")
        if fact_id in self.fact_lexical.scores:
            found.append("fact_text")
        return found

    def episode_found_by(self, episode_id: str) -> list[str]:
        found = []
        if episode_id in self.episode_dense.scores:
            found.append("episode_vector")
        if episode_id in self.episode_lexical.scores:
            found.append("episode_text")
        return found


def commonness(entity: Entity) -> float:
    """Divisor of a seed weight: 1 for a rare entity, growing with the log of its mentions.

    >>> from graphmem.model import utcnow
    >>> now = utcnow()
    >>> e = Entity(id="e", namespace="n", name="X", key="x", first_seen=now, last_seen=now, mention_count=0)
    >>> commonness(e)
    1.0
    """
    return 1.0 + math.log1p(max(entity.mention_count, 0))


def entity_seeds(
    store: GraphStore,
    namespace: str,
    analysis: QueryAnalysis,
    mention_vectors: Mapping[str, npt.NDArray[np.float32]],
    *,
    exact: Mapping[str, Entity] | None = None,
    k: int = 5,
    min_similarity: float = 0.55,
) -> EntitySeeds:
    """Resolve the query's mentions to entities: exact key/alias first, then vector neighbours.

    ``mention_vectors`` maps a mention key to its embedding (encoded together with the query in one
    call); mentions without a vector are only looked up exactly. ``exact`` is the result of
    ``store.find_entities`` for the mention keys when the caller already has it.
    """
    seeds = EntitySeeds()
    mentions = analysis.mentions
    if exact is None:
        exact = store.find_entities(namespace, [m.key for m in mentions]) if mentions else {}
    # vector candidates of every unresolved mention first, then one batched read of their records
    candidates: dict[str, list[tuple[str, float]]] = {}
    for mention in mentions:
        if mention.key not in exact and mention.key in mention_vectors:
            hits = store.vector_search("Entity", namespace, mention_vectors[mention.key].tolist(), k)
            candidates[mention.key] = [(h.id, h.score) for h in hits if h.score >= min_similarity]
    wanted = list(dict.fromkeys(eid for hits in candidates.values() for eid, _ in hits))
    found = store.get_entities(namespace, wanted) if wanted else {}
    for mention in mentions:
        ids: list[str] = []
        base = _MENTION_WEIGHT[mention.kind]
        entity = exact.get(mention.key)
        if entity is not None:
            ids.append(entity.id)
            seeds.records[entity.id] = entity
            _add(seeds, entity, base, f"exact:{mention.text}")
        for eid, score in candidates.get(mention.key, ()):
            matched = found.get(eid)
            if matched is None:
                continue
            ids.append(matched.id)
            seeds.records[matched.id] = matched
            _add(seeds, matched, base * 0.8 * score, f"vector:{mention.text}")
        seeds.groups.append((mention, ids))
    return seeds


def _add(seeds: EntitySeeds, entity: Entity, weight: float, channel: str) -> None:
    value = weight / commonness(entity)
    seeds.weights[entity.id] = max(seeds.weights.get(entity.id, 0.0), value)
    seeds.found_by.setdefault(entity.id, [])
    if channel not in seeds.found_by[entity.id]:
        seeds.found_by[entity.id].append(channel)


def hybrid_seeds(
    store: GraphStore,
    kind: NodeKind,
    namespace: str,
    query: str,
    vector: Sequence[float],
    *,
    k: int,
    vector_k: int | None = None,
    rrf_k: int = 60,
    keep: int | None = None,
) -> tuple[Channel, Channel, dict[str, float]]:
    """Vector and full-text search of one node kind, and their reciprocal-rank fusion (top ``k``).

    The vector channel may look further (``vector_k``) than the fused seeds it returns: the extra
    scores serve as query similarities for nodes the traversal reaches later. ``keep`` caps the fused
    seeds (default ``k``; the union of two top-k lists holds up to 2k ids).
    """
    dense = Channel(
        f"{kind.lower()}_vector",
        {h.id: h.score for h in store.vector_search(kind, namespace, list(vector), max(k, vector_k or k))},
    )
    lexical = Channel(
        f"{kind.lower()}_text", {h.id: h.score for h in store.text_search(kind, namespace, query, k)}
    )
    fused = reciprocal_rank_fusion({"vector": dense.ranking[:k], "text": lexical.ranking[:k]}, k=rrf_k)
    return dense, lexical, dict(list(fused.items())[: keep or k])
