"""The GraphStore protocol: everything the engine needs from a database, and nothing more.

Only ``graphmem/store/`` knows a database exists. Each backend runs the named queries of its own
dialect folder (``cypher/<dialect>/<name>.cypher``); the engine above talks to this protocol only.
Every read and write is scoped by ``namespace``; there is no method without one except
``cypher`` (explicit exploration, read-only by default) and ``counts`` with ``namespace=None``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol, runtime_checkable

from graphmem.model import (
    Entity,
    Episode,
    Fact,
    FactStatus,
    Insight,
    Session,
    Subgraph,
    Supersedes,
    WriteBatch,
)

__all__ = [
    "DEPTHS",
    "EXPORT_PARTS",
    "NODE_KINDS",
    "Direction",
    "ExportPart",
    "GraphStore",
    "NodeKind",
    "ScoredId",
    "check_depth",
    "check_kind",
    "check_limit",
]

NodeKind = Literal["Episode", "Entity", "Fact", "Insight", "Session"]
NODE_KINDS: frozenset[str] = frozenset({"Episode", "Entity", "Fact", "Insight", "Session"})
Direction = Literal["out", "in", "both"]
DEPTHS: frozenset[int] = frozenset({1, 2, 3})
MAX_LIMIT = 10_000
ExportPart = Literal[
    "sessions",
    "episodes",
    "entities",
    "facts",
    "insights",
    "supersedes",
    "evidence",
    "mentions",
    "next_links",
    "similar",
    "derived_from",
]
EXPORT_PARTS: tuple[ExportPart, ...] = (
    "sessions",
    "episodes",
    "entities",
    "facts",
    "insights",
    "supersedes",
    "evidence",
    "mentions",
    "next_links",
    "similar",
    "derived_from",
)
"""What a namespace is made of, named as the ``WriteBatch`` fields that write each part back."""


@dataclass(frozen=True, slots=True)
class ScoredId:
    """A search hit: the node id and a score where higher is always more similar."""

    id: str
    score: float


def check_kind(kind: str, allowed: frozenset[str] = NODE_KINDS) -> str:
    """Labels are literals in Cypher, so they are validated against a fixed set, never interpolated."""
    if kind not in allowed:
        raise ValueError(f"unknown node kind {kind!r}; expected one of {sorted(allowed)}")
    return kind


def check_depth(depth: int) -> int:
    if depth not in DEPTHS:
        raise ValueError(f"depth must be one of {sorted(DEPTHS)}, got {depth!r}")
    return depth


def check_limit(limit: int) -> int:
    if not isinstance(limit, int) or isinstance(limit, bool) or not 0 < limit <= MAX_LIMIT:
        raise ValueError(f"limit must be an integer in 1..{MAX_LIMIT}, got {limit!r}")
    return limit


@runtime_checkable
class GraphStore(Protocol):
    """A graph database holding memory graphs, one per namespace."""

    dialect: str
    """Name of the Cypher dialect folder this backend runs (``kuzu`` or ``neo4j``)."""

    def open(self, *, dimension: int) -> None:
        """Connect and bootstrap the schema idempotently; raise SchemaMismatch on another dimension."""

    def close(self) -> None:
        """Release the database; safe to call twice."""

    # --- writes ------------------------------------------------------------------------------

    def write(self, batch: WriteBatch) -> None:
        """Apply the whole batch in one transaction: all of it becomes visible, or none of it."""

    def delete_episode(self, namespace: str, episode_id: str) -> dict[str, int]:
        """Delete an episode; facts left with no evidence and entities left unreferenced go too.

        Returns counts of deleted nodes by kind. Raises NotFound for an unknown episode.
        """

    def delete_namespace(self, namespace: str) -> dict[str, int]:
        """Delete every node of the namespace; returns counts of deleted nodes by kind."""

    def get_meta(self, key: str) -> str | None:
        """A store-wide setting written through ``WriteBatch.meta`` (None when absent)."""

    # --- point reads -------------------------------------------------------------------------

    def get_episodes(self, namespace: str, ids: Sequence[str]) -> dict[str, Episode]: ...

    def get_entities(self, namespace: str, ids: Sequence[str]) -> dict[str, Entity]: ...

    def get_facts(self, namespace: str, ids: Sequence[str]) -> dict[str, Fact]: ...

    def get_sessions(self, namespace: str, ids: Sequence[str]) -> dict[str, Session]: ...

    def get_insights(self, namespace: str, ids: Sequence[str]) -> dict[str, Insight]: ...

    def find_entities(self, namespace: str, keys: Sequence[str]) -> dict[str, Entity]:
        """Entities whose key or one of whose aliases equals one of ``keys``; maps key -> entity."""

    def last_episode(self, namespace: str, session_id: str) -> Episode | None:
        """The episode with the highest seq in a session (for NEXT links and numbering)."""

    def latest_episode_time(self, namespace: str) -> datetime | None:
        """When the namespace's latest episode happened (the "now" of its questions); None if empty."""

    def list_sessions(self, namespace: str, *, skip: int = 0, limit: int = 100) -> list[Session]: ...

    def session_episodes(
        self, namespace: str, session_id: str, *, skip: int = 0, limit: int = 100
    ) -> list[Episode]:
        """The episodes of a session in order (seq ascending)."""

    # --- facts -------------------------------------------------------------------------------

    def slot_facts(
        self,
        namespace: str,
        subject_id: str,
        predicate: str,
        statuses: Sequence[FactStatus] | None = None,
    ) -> list[Fact]:
        """Facts of one slot (namespace, subject, predicate), optionally only some statuses."""

    def list_facts(
        self,
        namespace: str,
        *,
        subject_id: str | None = None,
        predicate: str | None = None,
        statuses: Sequence[FactStatus] | None = None,
        skip: int = 0,
        limit: int = 100,
    ) -> list[Fact]:
        """Facts ordered by recorded_at then id, filtered; paginated."""

    def supersedes(self, namespace: str, fact_ids: Sequence[str]) -> list[Supersedes]:
        """SUPERSEDES edges touching any of the facts (either end)."""

    def fact_evidence(self, namespace: str, fact_ids: Sequence[str]) -> dict[str, list[str]]:
        """fact id -> ids of the episodes that evidence it."""

    def episode_facts(self, namespace: str, episode_ids: Sequence[str]) -> dict[str, list[str]]:
        """episode id -> ids of the facts it evidences."""

    # --- traversal ---------------------------------------------------------------------------

    def neighborhood(
        self,
        namespace: str,
        entity_ids: Sequence[str],
        *,
        depth: int = 1,
        direction: Direction = "both",
        statuses: Sequence[FactStatus] | None = (FactStatus.active,),
        as_of: datetime | None = None,
        degree_cap: int = 50,
    ) -> Subgraph:
        """Entities reachable within ``depth`` RELATES hops (following ``direction``) and the facts
        on those hops, filtered by status and by validity at ``as_of``; at most ``degree_cap``
        edges are followed per node and hop (most recent first). Evidence ids are filled in."""

    def subgraph(
        self,
        namespace: str,
        *,
        entity_ids: Sequence[str] = (),
        fact_ids: Sequence[str] = (),
        episode_ids: Sequence[str] = (),
        insight_ids: Sequence[str] = (),
    ) -> Subgraph:
        """The given nodes plus: for facts, their subject/object entities and evidence ids; for
        episodes, the facts they evidence counted; insights with their DERIVED_FROM targets."""

    def list_insights(
        self,
        namespace: str,
        *,
        kind: str | None = None,
        include_stale: bool = False,
        skip: int = 0,
        limit: int = 100,
    ) -> list[Insight]:
        """Insights of the namespace, newest first, optionally of one kind."""

    def insights_of(self, namespace: str, target_ids: Sequence[str]) -> dict[str, list[str]]:
        """target id (fact, episode, entity or session) -> ids of insights derived from it."""

    # --- search ------------------------------------------------------------------------------

    def vector_search(
        self, kind: NodeKind, namespace: str, vector: Sequence[float], k: int
    ) -> list[ScoredId]:
        """Top-k nodes of a kind by cosine similarity (score in [-1, 1], higher is closer)."""

    def text_search(self, kind: NodeKind, namespace: str, query: str, k: int) -> list[ScoredId]:
        """Top-k nodes of a kind by full-text (BM25-like) relevance; higher is better."""

    # --- exploration and admin ----------------------------------------------------------------

    def cypher(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        read_only: bool = True,
        limit: int = 1000,
        timeout_s: float = 10.0,
    ) -> list[dict[str, Any]]:
        """Run a user's Cypher statement; read-only unless told otherwise (ReadOnlyViolation)."""

    def counts(self, namespace: str | None = None) -> dict[str, int]:
        """Node and relationship counts, for one namespace or the whole store."""

    # --- export ------------------------------------------------------------------------------

    def export_part(self, namespace: str, part: ExportPart) -> list[Any]:
        """Every record of one part of a namespace, in no fixed order: nodes with their embeddings
        (facts of every status, stale insights too), relationships as the records that create them
        (Supersedes, Evidence, Mention, NextLink, Similar, DerivedFrom). ``WriteBatch(namespace=ns,
        **{part: records})`` writes them back, so a namespace moves between backends unchanged."""
