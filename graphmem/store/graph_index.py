"""A derived, in-memory graph index per namespace: traversal and hydration without store round trips.

Why: the read path asks the store for seed facts, their endpoints and evidence, one-hop neighbourhoods,
episodes, supersession edges and insight links; over Kuzu each of those is an ``UNWIND .. MATCH`` that
runs as one primary-key look-up per id (the joined plan scans whole tables), about 360 executes and
two thirds of the time of a search. Like the vector and lexical indexes, this index is *derived*: the
store stays the source of truth; a namespace is loaded from it on first use (six scans), kept in step
after each committed write (``apply``) or delete (``remove``), and dropped whenever something it cannot
follow happened (a write through ``cypher()``), so it can never be ahead of the store nor silently
behind it.

What it holds per namespace:

* dense int ids for entities and facts; per fact the subject and object entity ints, status code and
  the event/transaction times (``valid_from``, ``valid_to``, ``recorded_at``) as int64 microseconds,
  so the status and validity filters of a hop are array operations;
* adjacency as CSR (``_Adjacency``) over entity ints: entity -> facts it is the subject of, and
  entity -> facts it is the object of, with a short tail of edges added since the last compaction;
* fact -> evidencing episodes and episode -> evidenced facts; SUPERSEDES edges both ways; DERIVED_FROM
  target -> insights;
* the records themselves (facts, entities, episodes) without their embeddings (those live in the vector
  index), so hydrating what a search returns is a dictionary look-up, not a query. Insights and sessions
  are few and rarely read: they stay in the store.

Updates replay the store's own write semantics (entity upsert: ``ON MATCH`` changes only type, aliases,
summary, mention count and last seen; fact updates: null fields keep their value, then the clears), and
every replay is idempotent, because a namespace loaded between a commit and its ``apply`` already
holds the batch. ``snapshot`` gives a canonical view, so tests can check the incrementally maintained
index against a fresh load from the store.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from graphmem.model import (
    Entity,
    Episode,
    Fact,
    FactStatus,
    Supersedes,
    WriteBatch,
    dumps_metadata,
    entity_id,
    entity_key,
    legacy_entity_id,
)

__all__ = ["GraphIndex", "NamespaceGraph"]

Loader = Callable[[str, str], list[dict[str, Any]]]
"""``loader(query_name, namespace)``: rows of one of the ``graph_*`` named queries."""

STATUS_CODE: dict[str, int] = {s.value: i for i, s in enumerate(FactStatus)}
REMOVED = -1
_LOW = np.iinfo(np.int64).min  # unknown valid_from: valid since always
_HIGH = np.iinfo(np.int64).max  # open valid_to: still valid
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EMPTY = np.zeros(0, dtype=np.int64)


def micros(value: datetime | None, default: int) -> int:
    """Microseconds since the epoch (UTC) of an aware datetime, ``default`` for None."""
    if value is None:
        return default
    delta = value.astimezone(UTC) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


class _Column:
    """A growable numpy column (amortised O(1) append)."""

    __slots__ = ("data", "size")

    def __init__(self, dtype: type) -> None:
        self.data: npt.NDArray[Any] = np.zeros(64, dtype=dtype)
        self.size = 0

    def append(self, value: int) -> int:
        if self.size == self.data.shape[0]:
            grown = np.zeros(2 * self.data.shape[0], dtype=self.data.dtype)
            grown[: self.size] = self.data[: self.size]
            self.data = grown
        self.data[self.size] = value
        self.size += 1
        return self.size - 1

    @property
    def view(self) -> npt.NDArray[Any]:
        return self.data[: self.size]


class _Adjacency:
    """node int -> fact ints: CSR over the edges present at the last compaction plus a short tail.

    The CSR is rebuilt (a stable argsort of the edge sources, so each node's facts stay in insertion
    order) when the tail grows past an eighth of the compacted edges, so a stream of small commits
    costs amortised O(1) per edge and a look-up is one slice plus, rarely, a short list.
    """

    __slots__ = ("built", "facts", "indptr", "ordered", "sources", "tail")

    def __init__(self) -> None:
        self.sources = _Column(np.int64)
        self.facts = _Column(np.int64)
        self.indptr = np.zeros(1, dtype=np.int64)
        self.ordered = _EMPTY
        self.built = 0
        self.tail: dict[int, list[int]] = defaultdict(list)

    def add(self, node: int, fact: int) -> None:
        self.sources.append(node)
        self.facts.append(fact)
        self.tail[node].append(fact)
        if self.sources.size - self.built > max(4096, self.built // 8):
            self.compact()

    def compact(self) -> None:
        sources = self.sources.view
        order = np.argsort(sources, kind="stable")
        self.ordered = self.facts.view[order].copy()
        counts = np.bincount(sources, minlength=int(sources.max()) + 1 if sources.size else 0)
        self.indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self.built = sources.size
        self.tail = defaultdict(list)

    def get(self, node: int) -> npt.NDArray[np.int64]:
        base = (
            self.ordered[self.indptr[node] : self.indptr[node + 1]]
            if node + 1 < self.indptr.shape[0]
            else _EMPTY
        )
        extra = self.tail.get(node)
        if extra:
            return np.concatenate([base, np.asarray(extra, dtype=np.int64)])
        return base


def _alias_keys(entity: Entity) -> set[str]:
    return {entity_key(a) for a in entity.aliases} - {""}


def stored_episode(episode: Episode) -> Episode:
    """The episode as the store hands it back: no embedding, metadata through its JSON text."""
    return episode.model_copy(
        update={"embedding": None, "metadata": json.loads(dumps_metadata(episode.metadata))}
    )


class NamespaceGraph:
    """The graph of one namespace; every method is called under the owning ``GraphIndex`` lock."""

    def __init__(self) -> None:
        self.entity_pos: dict[str, int] = {}
        self.entities: list[Entity | None] = []
        self.entity_ids: list[str] = []
        self.alias: dict[str, list[str]] = defaultdict(list)
        self.fact_pos: dict[str, int] = {}
        self.facts: list[Fact | None] = []
        self.fact_ids: list[str] = []
        self.subject = _Column(np.int64)
        self.object = _Column(np.int64)
        self.status = _Column(np.int8)
        self.valid_from = _Column(np.int64)
        self.valid_to = _Column(np.int64)
        self.recorded_at = _Column(np.int64)
        self.by_subject = _Adjacency()
        self.by_object = _Adjacency()
        self.evidence: dict[str, list[str]] = {}
        self.episode_facts: dict[str, list[str]] = {}
        self.episodes: dict[str, Episode] = {}
        self.supersedes_from: dict[str, list[Supersedes]] = defaultdict(list)
        self.supersedes_to: dict[str, list[Supersedes]] = defaultdict(list)
        self.insights_of: dict[str, list[str]] = defaultdict(list)
        self._latest: datetime | None = None
        self._latest_known = False

    # --- building ---------------------------------------------------------------------------------

    def _entity_int(self, eid: str) -> int:
        pos = self.entity_pos.get(eid)
        if pos is None:
            pos = len(self.entity_ids)
            self.entity_pos[eid] = pos
            self.entity_ids.append(eid)
            self.entities.append(None)
        return pos

    def upsert_entity(self, entity: Entity) -> None:
        pos = self._entity_int(entity.id)
        current = self.entities[pos]
        if current is None:
            stored = entity.model_copy(update={"embedding": None})
        else:  # the store's ON MATCH: only these change; name, key, first_seen stay
            stored = current.model_copy(
                update={
                    "type": entity.type,
                    "aliases": list(entity.aliases),
                    "summary": entity.summary,
                    "mention_count": entity.mention_count,
                    "last_seen": entity.last_seen,
                }
            )
            for key in _alias_keys(current):
                if entity.id in self.alias.get(key, ()):
                    self.alias[key].remove(entity.id)
        self.entities[pos] = stored
        for key in sorted(_alias_keys(stored)):
            if entity.id not in self.alias[key]:
                self.alias[key].append(entity.id)

    def insert_fact(self, fact: Fact) -> None:
        if fact.id in self.fact_pos:
            return  # already loaded from the store (a load raced the commit's apply)
        pos = len(self.fact_ids)
        self.fact_pos[fact.id] = pos
        self.fact_ids.append(fact.id)
        self.facts.append(fact.model_copy(update={"embedding": None}))
        subject = self._entity_int(fact.subject_id)
        obj = self._entity_int(fact.object_id) if fact.object_id is not None else -1
        self.subject.append(subject)
        self.object.append(obj)
        self.status.append(STATUS_CODE[fact.status.value])
        self.valid_from.append(micros(fact.valid_from, _LOW))
        self.valid_to.append(micros(fact.valid_to, _HIGH))
        self.recorded_at.append(micros(fact.recorded_at, 0))
        self.by_subject.add(subject, pos)
        if obj >= 0:
            self.by_object.add(obj, pos)

    def update_fact(self, pos: int, changes: Mapping[str, Any]) -> None:
        fact = self.facts[pos]
        if fact is None or not changes:
            return
        fact = fact.model_copy(update=dict(changes))
        self.facts[pos] = fact
        self.status.data[pos] = STATUS_CODE[FactStatus(fact.status).value]
        self.valid_to.data[pos] = micros(fact.valid_to, _HIGH)

    def add_evidence(self, fact_id: str, episode_id: str) -> None:
        eps = self.evidence.setdefault(fact_id, [])
        if episode_id not in eps:  # EVIDENCED_BY is MERGEd: one edge per pair
            eps.append(episode_id)
            self.episode_facts.setdefault(episode_id, []).append(fact_id)

    def add_supersedes(self, edge: Supersedes) -> None:
        key = (edge.new_id, edge.old_id, edge.rule, edge.at)
        if any((e.new_id, e.old_id, e.rule, e.at) == key for e in self.supersedes_from.get(edge.new_id, ())):
            return
        self.supersedes_from[edge.new_id].append(edge)
        self.supersedes_to[edge.old_id].append(edge)

    def add_insight_link(self, target_id: str, insight_id: str) -> None:
        if insight_id not in self.insights_of[target_id]:
            self.insights_of[target_id].append(insight_id)

    def apply(self, batch: WriteBatch) -> None:
        """Replay one committed batch, in the order of ``records.write_plan``."""
        for episode in batch.episodes:
            self.episodes[episode.id] = stored_episode(episode)
            if self._latest_known and (self._latest is None or episode.occurred_at > self._latest):
                self._latest = episode.occurred_at
        for entity in batch.entities:
            self.upsert_entity(entity)
        for fact in batch.facts:
            self.insert_fact(fact)
        for update in batch.fact_updates:
            pos = self.fact_pos.get(update.id)
            if pos is None:
                continue
            changes = {
                name: getattr(update, name)
                for name in (
                    "status",
                    "valid_to",
                    "invalidated_at",
                    "confidence",
                    "support",
                    "access_count",
                    "last_access",
                    "utility",
                )
                if getattr(update, name) is not None
            }
            if update.clear_valid_to:
                changes["valid_to"] = None
            if update.clear_invalidated_at:
                changes["invalidated_at"] = None
            self.update_fact(pos, changes)
        for ev in batch.evidence:
            self.add_evidence(ev.fact_id, ev.episode_id)
        for edge in batch.supersedes:
            self.add_supersedes(edge)
        for link in batch.derived_from:
            self.add_insight_link(link.target_id, link.insight_id)

    def remove(self, removed: Mapping[str, Sequence[str]]) -> None:
        """Forget deleted nodes and every edge that touched them (the store DETACH DELETEs)."""
        for eid in removed.get("Episode", ()):
            self.episodes.pop(eid, None)
            self._latest_known = False
            for fid in self.episode_facts.pop(eid, []):
                eps = self.evidence.get(fid)
                if eps and eid in eps:
                    eps.remove(eid)
                    if not eps:
                        del self.evidence[fid]
            self.insights_of.pop(eid, None)
        for fid in removed.get("Fact", ()):
            pos = self.fact_pos.pop(fid, None)
            if pos is None:
                continue
            self.facts[pos] = None
            self.status.data[pos] = REMOVED
            for eid in self.evidence.pop(fid, []):
                facts = self.episode_facts.get(eid)
                if facts and fid in facts:
                    facts.remove(fid)
                    if not facts:
                        del self.episode_facts[eid]
            for edge in self.supersedes_from.pop(fid, []):
                self.supersedes_to[edge.old_id] = [
                    e for e in self.supersedes_to[edge.old_id] if e is not edge
                ]
            for edge in self.supersedes_to.pop(fid, []):
                self.supersedes_from[edge.new_id] = [
                    e for e in self.supersedes_from[edge.new_id] if e is not edge
                ]
            self.insights_of.pop(fid, None)
        for eid in removed.get("Entity", ()):
            pos = self.entity_pos.pop(eid, None)
            if pos is None:
                continue
            entity = self.entities[pos]
            self.entities[pos] = None
            if entity is not None:
                for key in _alias_keys(entity):
                    if eid in self.alias.get(key, ()):
                        self.alias[key].remove(eid)
            self.insights_of.pop(eid, None)

    # --- reads ------------------------------------------------------------------------------------

    def entity(self, eid: str) -> Entity | None:
        pos = self.entity_pos.get(eid)
        return self.entities[pos] if pos is not None else None

    def fact(self, fid: str) -> Fact | None:
        pos = self.fact_pos.get(fid)
        return self.facts[pos] if pos is not None else None

    def latest_episode_time(self) -> datetime | None:
        """``occurred_at`` of the namespace's latest episode (kept as a running maximum)."""
        if not self._latest_known:
            self._latest = max((e.occurred_at for e in self.episodes.values()), default=None)
            self._latest_known = True
        return self._latest

    def find_entities(self, namespace: str, keys: Sequence[str]) -> dict[str, Entity]:
        found: dict[str, Entity] = {}
        for key in keys:  # ids derive from namespace + key; stores written before that, from the key
            for eid in (entity_id(namespace, key), legacy_entity_id(key)):
                entity = self.entity(eid)
                if entity is not None and entity.key == key:
                    found[key] = entity
                    break
        for key in keys:
            if key not in found:
                for eid in self.alias.get(key, ()):
                    entity = self.entity(eid)
                    if entity is not None:
                        found[key] = entity
                        break
        return found

    def _alive(
        self, facts: npt.NDArray[np.int64], statuses: npt.NDArray[np.int8], as_of: int | None
    ) -> npt.NDArray[np.int64]:
        """The facts whose status is one of ``statuses`` and, with ``as_of``, valid at that instant."""
        if facts.size == 0:
            return facts
        keep = np.isin(self.status.data[facts], statuses)
        if as_of is not None:
            keep &= (self.valid_from.data[facts] <= as_of) & (self.valid_to.data[facts] > as_of)
        return facts[keep]

    def neighborhood(
        self,
        entity_ids: Sequence[str],
        *,
        depth: int,
        direction: str,
        statuses: npt.NDArray[np.int8],
        as_of: int | None,
        degree_cap: int,
    ) -> tuple[list[str], list[str]]:
        """Entity ids reached and fact ids followed: the semantics of ``CypherStore.neighborhood``
        (per node and hop the newest ``degree_cap`` RELATES edges, then the literal-valued facts
        of every reached entity), on arrays."""
        seen = set(entity_ids)
        frontier = list(dict.fromkeys(entity_ids))
        followed: set[int] = set()
        recorded = self.recorded_at.data
        for _ in range(depth):
            if not frontier:
                break
            nxt: list[str] = []
            for node in frontier:
                pos = self.entity_pos.get(node)
                if pos is None:
                    continue
                parts = []
                if direction in ("out", "both"):
                    out = self.by_subject.get(pos)
                    parts.append(out[self.object.data[out] >= 0])
                if direction in ("in", "both"):
                    parts.append(self.by_object.get(pos))
                edges = self._alive(np.concatenate(parts) if len(parts) > 1 else parts[0], statuses, as_of)
                if edges.size > degree_cap:
                    edges = edges[np.argsort(-recorded[edges], kind="stable")[:degree_cap]]
                for f in edges.tolist():
                    followed.add(f)
                    for end in (int(self.subject.data[f]), int(self.object.data[f])):
                        if end >= 0:
                            eid = self.entity_ids[end]
                            if eid not in seen:
                                seen.add(eid)
                                nxt.append(eid)
            frontier = nxt
        for eid in seen:  # literal-valued facts of every reached entity (ages, properties)
            pos = self.entity_pos.get(eid)
            if pos is not None:
                own = self.by_subject.get(pos)
                own = self._alive(own[self.object.data[own] < 0], statuses, as_of)
                followed.update(own.tolist())
        return sorted(seen), sorted(self.fact_ids[f] for f in followed)

    def supersedes(self, fact_ids: Iterable[str]) -> list[Supersedes]:
        edges: dict[tuple[str, str, str, datetime], Supersedes] = {}
        for fid in fact_ids:
            for edge in (*self.supersedes_from.get(fid, ()), *self.supersedes_to.get(fid, ())):
                edges[(edge.new_id, edge.old_id, edge.rule, edge.at)] = edge
        return sorted(edges.values(), key=lambda e: e.at)

    def snapshot(self) -> dict[str, Any]:
        """A canonical picture of the index (records and edges), for checks against a fresh load."""
        live_facts = {fid: self.facts[pos] for fid, pos in self.fact_pos.items()}
        live = set(self.fact_pos.values())
        arrays = {
            fid: (
                self.entity_ids[int(self.subject.data[pos])],
                self.entity_ids[int(self.object.data[pos])] if self.object.data[pos] >= 0 else None,
                int(self.status.data[pos]),
                int(self.valid_from.data[pos]),
                int(self.valid_to.data[pos]),
                int(self.recorded_at.data[pos]),
            )
            for fid, pos in self.fact_pos.items()
        }
        return {
            "entities": {
                eid: self.entities[pos] for eid, pos in self.entity_pos.items() if self.entities[pos]
            },
            "facts": live_facts,
            "fact_arrays": arrays,
            "episodes": dict(self.episodes),
            "evidence": {k: sorted(v) for k, v in self.evidence.items() if v},
            "episode_facts": {k: sorted(v) for k, v in self.episode_facts.items() if v},
            "supersedes": sorted(
                (e.new_id, e.old_id, e.rule, e.at.isoformat(), e.reason, e.old_status.value)
                for edges in self.supersedes_from.values()
                for e in edges
            ),
            "insights_of": {k: sorted(v) for k, v in self.insights_of.items() if v},
            "aliases": {k: sorted(v) for k, v in self.alias.items() if v},
            "out": {
                eid: sorted(self.fact_ids[f] for f in self.by_subject.get(pos).tolist() if f in live)
                for eid, pos in self.entity_pos.items()
            },
            "in": {
                eid: sorted(self.fact_ids[f] for f in self.by_object.get(pos).tolist() if f in live)
                for eid, pos in self.entity_pos.items()
            },
        }


class GraphIndex:
    """The graph indexes of one store, one ``NamespaceGraph`` per namespace, loaded lazily."""

    def __init__(self, loader: Loader, convert: Mapping[str, Callable[[Mapping[str, Any]], Any]]) -> None:
        self._loader = loader
        self._convert = convert
        self._graphs: dict[str, NamespaceGraph] = {}
        self.lock = threading.RLock()

    def graph(self, namespace: str) -> NamespaceGraph:
        """The namespace's graph, loaded from the store on first use. Hold ``lock`` while reading it."""
        with self.lock:
            graph = self._graphs.get(namespace)
            if graph is None:
                graph = self._load(namespace)
                self._graphs[namespace] = graph
            return graph

    def _load(self, namespace: str) -> NamespaceGraph:
        graph = NamespaceGraph()
        rows = self._loader("graph_entities", namespace)
        for row in rows:
            graph.upsert_entity(self._convert["entity"](row))
        facts = [self._convert["fact"](row) for row in self._loader("graph_facts", namespace)]
        for fact in sorted(facts, key=lambda f: (f.recorded_at, f.id)):
            graph.insert_fact(fact)
        for row in self._loader("graph_episodes", namespace):
            episode = self._convert["episode"](row)
            graph.episodes[episode.id] = episode
        for row in self._loader("graph_evidence", namespace):
            graph.add_evidence(row["fact_id"], row["episode_id"])
        for row in self._loader("graph_supersedes", namespace):
            graph.add_supersedes(self._convert["supersedes"](row))
        for row in self._loader("graph_derived_from", namespace):
            graph.add_insight_link(row["target_id"], row["insight_id"])
        graph.by_subject.compact()
        graph.by_object.compact()
        return graph

    def loaded(self, namespace: str) -> bool:
        return namespace in self._graphs

    def namespace_bytes(self, namespace: str) -> int:
        """An estimate for the budget: about 1 KB per record held (records carry no embeddings)."""
        with self.lock:
            graph = self._graphs.get(namespace)
            if graph is None:
                return 0
            return 1024 * (len(graph.entity_ids) + len(graph.fact_pos) + len(graph.episodes))

    def drop_namespace(self, namespace: str) -> None:
        """Forget the namespace (the next use reloads it from the store)."""
        with self.lock:
            self._graphs.pop(namespace, None)

    def apply(self, batch: WriteBatch) -> None:
        """Record a committed batch; ignored until the namespace is first used (then loaded)."""
        with self.lock:
            graph = self._graphs.get(batch.namespace)
            if graph is not None:
                graph.apply(batch)

    def remove(self, namespace: str, removed: Mapping[str, Sequence[str]]) -> None:
        with self.lock:
            graph = self._graphs.get(namespace)
            if graph is None:
                return
            if not removed:
                del self._graphs[namespace]
            else:
                graph.remove(removed)

    def clear(self) -> None:
        """Forget every namespace (after a write the index cannot follow, e.g. through ``cypher()``)."""
        with self.lock:
            self._graphs.clear()

    def fresh(self, namespace: str) -> NamespaceGraph:
        """A new load of the namespace from the store, not cached (for consistency checks)."""
        with self.lock:
            return self._load(namespace)
