"""The read half of a store that owns its database: point reads and traversal from the graph index.

A backend that is the only writer of its database (Kuzu: one process owns the directory) can keep
the derived ``GraphIndex`` exactly in step with it, and then answers every read of the search path
(entities by key, records by id, evidence, one-hop neighbourhoods, subgraphs, supersession edges and
insight links) from memory, with the same results as the named queries of ``CypherStore``. Neo4j is
shared by many stateless API workers, so it keeps reading the database.

Records handed out are copies: callers may change them without touching the index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np

from graphmem.model import Entity, Episode, Fact, FactStatus, Subgraph, Supersedes, WriteBatch
from graphmem.store.base import Direction, check_depth
from graphmem.store.graph_index import STATUS_CODE, GraphIndex, micros
from graphmem.store.records import (
    entity_from_row,
    episode_from_row,
    fact_from_row,
    statuses_param,
    supersedes_from_row,
    uids,
)
from graphmem.store.shared import CypherStore

__all__ = ["IndexedReads"]


class IndexedReads(CypherStore):
    """``CypherStore`` whose search-path reads are served by a ``GraphIndex`` (call ``_open_graph``)."""

    graph_index: GraphIndex | None = None

    def _open_graph(self) -> None:
        self.graph_index = GraphIndex(
            lambda name, namespace: self._read(name, {"namespace": namespace}),
            {
                "entity": entity_from_row,
                "fact": fact_from_row,
                "episode": episode_from_row,
                "supersedes": supersedes_from_row,
            },
        )

    def _index(self) -> GraphIndex:
        self._check_open()
        assert self.graph_index is not None
        return self.graph_index

    # --- keeping it in step ---------------------------------------------------------------------

    def _committed(self, batch: WriteBatch) -> None:
        super()._committed(batch)
        if self.graph_index is not None:
            self.graph_index.apply(batch)

    def _deleted(self, namespace: str, removed: Mapping[str, Sequence[str]]) -> None:
        super()._deleted(namespace, removed)
        if self.graph_index is not None:
            self.graph_index.remove(namespace, removed)

    # --- point reads ----------------------------------------------------------------------------

    def get_episodes(self, namespace: str, ids: Sequence[str]) -> dict[str, Episode]:
        index = self._index()
        with index.lock:
            graph = index.graph(namespace)
            return {i: e.model_copy() for i in dict.fromkeys(ids) if (e := graph.episodes.get(i)) is not None}

    def get_entities(self, namespace: str, ids: Sequence[str]) -> dict[str, Entity]:
        index = self._index()
        with index.lock:
            graph = index.graph(namespace)
            return {i: e.model_copy() for i in dict.fromkeys(ids) if (e := graph.entity(i)) is not None}

    def get_facts(self, namespace: str, ids: Sequence[str]) -> dict[str, Fact]:
        index = self._index()
        with index.lock:
            graph = index.graph(namespace)
            return {i: f.model_copy() for i in dict.fromkeys(ids) if (f := graph.fact(i)) is not None}

    def find_entities(self, namespace: str, keys: Sequence[str]) -> dict[str, Entity]:
        keys = [k for k in dict.fromkeys(keys) if k]
        if not keys:
            return {}
        index = self._index()
        with index.lock:
            found = index.graph(namespace).find_entities(namespace, keys)
            return {k: e.model_copy() for k, e in found.items()}

    def latest_episode_time(self, namespace: str) -> datetime | None:
        index = self._index()
        with index.lock:
            return index.graph(namespace).latest_episode_time()

    def slot_facts(
        self, namespace: str, subject_id: str, predicate: str, statuses: Sequence[FactStatus] | None = None
    ) -> list[Fact]:
        """The slot's facts ordered like the named query: by valid_from, then recorded_at, NULLs last."""
        wanted = set(statuses_param(statuses))
        index = self._index()
        with index.lock:
            graph = index.graph(namespace)
            pos = graph.entity_pos.get(subject_id)
            if pos is None:
                return []
            found = [
                fact
                for f in graph.by_subject.get(pos).tolist()
                if (fact := graph.facts[f]) is not None
                and fact.predicate == predicate
                and fact.status.value in wanted
            ]
            found.sort(key=lambda f: (f.valid_from is None, f.valid_from or f.recorded_at, f.recorded_at))
            return [f.model_copy() for f in found]

    def fact_evidence(self, namespace: str, fact_ids: Sequence[str]) -> dict[str, list[str]]:
        index = self._index()
        with index.lock:
            evidence = index.graph(namespace).evidence
            return {f: sorted(evidence[f]) for f in dict.fromkeys(fact_ids) if evidence.get(f)}

    def episode_facts(self, namespace: str, episode_ids: Sequence[str]) -> dict[str, list[str]]:
        index = self._index()
        with index.lock:
            facts = index.graph(namespace).episode_facts
            return {e: sorted(facts[e]) for e in dict.fromkeys(episode_ids) if facts.get(e)}

    def supersedes(self, namespace: str, fact_ids: Sequence[str]) -> list[Supersedes]:
        if not fact_ids:
            return []
        index = self._index()
        with index.lock:
            return [e.model_copy() for e in index.graph(namespace).supersedes(fact_ids)]

    def insights_of(self, namespace: str, target_ids: Sequence[str]) -> dict[str, list[str]]:
        index = self._index()
        with index.lock:
            links = index.graph(namespace).insights_of
            return {t: sorted(links[t]) for t in dict.fromkeys(target_ids) if links.get(t)}

    # --- traversal ------------------------------------------------------------------------------

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
        check_depth(depth)
        if direction not in ("out", "in", "both"):
            raise ValueError(f"direction must be out, in or both, got {direction!r}")
        codes = np.asarray([STATUS_CODE[s] for s in statuses_param(statuses)], dtype=np.int8)
        index = self._index()
        with index.lock:
            entities, facts = index.graph(namespace).neighborhood(
                entity_ids,
                depth=depth,
                direction=direction,
                statuses=codes,
                as_of=micros(as_of, 0) if as_of is not None else None,
                degree_cap=degree_cap,
            )
            return self.subgraph(namespace, entity_ids=entities, fact_ids=facts)

    def subgraph(
        self,
        namespace: str,
        *,
        entity_ids: Sequence[str] = (),
        fact_ids: Sequence[str] = (),
        episode_ids: Sequence[str] = (),
        insight_ids: Sequence[str] = (),
    ) -> Subgraph:
        index = self._index()
        with index.lock:
            facts = self.get_facts(namespace, fact_ids)
            wanted = set(entity_ids)
            for fact in facts.values():
                wanted.add(fact.subject_id)
                if fact.object_id:
                    wanted.add(fact.object_id)
            episodes = self.get_episodes(namespace, episode_ids)
            per_episode = index.graph(namespace).episode_facts
            counts = {e: len(per_episode[e]) for e in episodes if per_episode.get(e)}
            entities = self.get_entities(namespace, sorted(wanted))
            evidence = self.fact_evidence(namespace, list(facts))
        insights = self.get_insights(namespace, insight_ids)  # few and rarely read: from the store
        derived: dict[str, list[str]] = defaultdict(list)
        if insights:
            for row in self._read("insight_targets", {"uids": uids(namespace, insights)}):
                derived[row["insight_id"]].append(row["target_id"])
        return Subgraph(
            entities=entities,
            facts=facts,
            episodes=episodes,
            evidence=evidence,
            episode_fact_counts=counts,
            insights=insights,
            derived_from={k: sorted(v) for k, v in derived.items()},
        )

    # --- writes the index cannot follow ----------------------------------------------------------

    def _forget_derived(self) -> None:
        """After a write outside ``write()``/deletes (raw Cypher), reload from the store on next use."""
        if self.graph_index is not None:
            self.graph_index.clear()
