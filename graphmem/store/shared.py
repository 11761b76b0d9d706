"""What every Cypher backend does the same way, written once over two primitives.

A backend supplies ``_read(name, params)`` (run a named query in a read transaction) and
``_transaction(work)`` (run ``work(run)`` in one write transaction, where ``run(name, params)`` runs a
named query inside it), plus hooks for derived indexes. Everything else (point reads, slot look-ups,
traversal, subgraphs, cascade deletes, counts) lives here, so a fix reaches both dialects and the
dialect differences stay in the ``.cypher`` files, never in Python branches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from graphmem.errors import NotFound, StoreError
from graphmem.model import (
    DerivedFrom,
    Entity,
    Episode,
    Evidence,
    Fact,
    FactStatus,
    Insight,
    Mention,
    NextLink,
    Session,
    Similar,
    Subgraph,
    Supersedes,
    WriteBatch,
    entity_id,
    legacy_entity_id,
)
from graphmem.store.base import EXPORT_PARTS, Direction, ExportPart, check_depth, check_limit
from graphmem.store.queries import QueryBook
from graphmem.store.records import (
    _utc,
    entity_from_row,
    episode_from_row,
    fact_from_row,
    insight_from_row,
    session_from_row,
    statuses_param,
    supersedes_from_row,
    uid,
    uids,
    write_plan,
)

__all__ = ["CypherStore", "Run"]

Run = Callable[[str, Mapping[str, Any]], list[dict[str, Any]]]
"""Runs one named query inside the current write transaction and returns its rows."""
T = TypeVar("T")

KIND_COUNTS = {
    "Episode": "episodes",
    "Entity": "entities",
    "Fact": "facts",
    "Insight": "insights",
    "Session": "sessions",
}
_OLDEST = datetime.min.replace(tzinfo=UTC)
_EXPORTED: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "sessions": ("export_sessions", session_from_row),
    "episodes": ("export_episodes", episode_from_row),
    "entities": ("export_entities", entity_from_row),
    "facts": ("export_facts", fact_from_row),
    "insights": ("export_insights", insight_from_row),
    "supersedes": ("export_supersedes", supersedes_from_row),
    "evidence": ("export_evidence", Evidence.model_validate),
    "mentions": ("export_mentions", Mention.model_validate),
    "next_links": ("export_next_links", NextLink.model_validate),
    "similar": ("export_similar", Similar.model_validate),
    "derived_from": ("export_derived_from", DerivedFrom.model_validate),
}
"""Each export part: its named query and how a row becomes a record."""


def _window(skip: int, limit: int) -> int:
    """Pages are cut in Python: Kuzu 0.11.3 crashes the process on ``ORDER BY ... SKIP n LIMIT m``
    once n passes a few thousand, so queries fetch the first skip + limit rows (SKIP 0)."""
    return max(skip, 0) + limit


class CypherStore:
    """The shared half of a GraphStore; subclasses add connection handling, search and cypher()."""

    dialect: str
    queries: QueryBook

    # --- what a backend supplies -----------------------------------------------------------------

    def _read(self, name: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _transaction(self, work: Callable[[Run], T]) -> T:
        raise NotImplementedError

    def _check_open(self) -> None:
        raise NotImplementedError

    def _committed(self, batch: WriteBatch) -> None:
        """Called after a batch committed (derived indexes catch up here)."""

    def _deleted(self, namespace: str, removed: Mapping[str, Sequence[str]]) -> None:
        """Called after nodes were deleted; ``removed`` maps a node kind to ids."""

    # --- writes ----------------------------------------------------------------------------------

    def write(self, batch: WriteBatch) -> None:
        self._check_open()
        if batch.is_empty():
            return
        plan = write_plan(batch)

        def work(run: Run) -> None:
            for name, params in plan:
                rows = run(name, params)
                expected = len(params.get("rows", ()))
                # Writes that attach to existing nodes return how many rows found their endpoints:
                # a dangling reference must fail the batch, not be skipped silently.
                if expected and rows and "written" in rows[0] and int(rows[0]["written"]) != expected:
                    raise StoreError(
                        f"{name}: {expected - int(rows[0]['written'])} of {expected} rows reference nodes "
                        "that do not exist in the namespace; nothing was written"
                    )

        self._transaction(work)
        self._committed(batch)

    def delete_episode(self, namespace: str, episode_id: str) -> dict[str, int]:
        ep_uid = uid(namespace, episode_id)

        def work(run: Run) -> tuple[list[str], list[str]]:
            links = run("episode_links", {"uid": ep_uid})
            if not links:
                raise NotFound(f"no episode {episode_id!r} in namespace {namespace!r}")
            fact_uids = [f["uid"] for f in run("episode_sole_facts", {"uid": ep_uid})]
            candidates = set(links[0]["entity_uids"] or [])
            if fact_uids:
                for row in run("fact_endpoints", {"uids": fact_uids}):
                    candidates.update(u for u in (row["subject_uid"], row["object_uid"]) if u)
                run("delete_relates_of_facts", {"uids": fact_uids})
                run("delete_facts", {"uids": fact_uids})
            run("delete_episodes", {"uids": [ep_uid]})
            prev_uid, next_uid = links[0]["prev_uid"], links[0]["next_uid"]
            if prev_uid and next_uid:  # keep the session's chain whole
                run("create_next_links", {"rows": [{"prev_uid": prev_uid, "next_uid": next_uid}]})
            orphans = [r["uid"] for r in run("orphan_entities", {"uids": sorted(candidates)})]
            if orphans:
                run("delete_entities", {"uids": orphans})
            return fact_uids, orphans

        fact_uids, orphans = self._transaction(work)
        cut = len(namespace) + 1
        self._deleted(
            namespace,
            {
                "Episode": [episode_id],
                "Fact": [u[cut:] for u in fact_uids],
                "Entity": [u[cut:] for u in orphans],
            },
        )
        return {"episodes": 1, "facts": len(fact_uids), "entities": len(orphans)}

    def delete_namespace(self, namespace: str) -> dict[str, int]:
        before = self.counts(namespace)
        self._transaction(lambda run: run("delete_namespace", {"namespace": namespace}))
        self._deleted(namespace, {})
        return {plural: before[plural] for plural in KIND_COUNTS.values()}

    def get_meta(self, key: str) -> str | None:
        rows = self._read("meta_get", {"key": key})
        return rows[0]["value"] if rows else None

    # --- point reads -----------------------------------------------------------------------------

    def _get(
        self, name: str, namespace: str, ids: Sequence[str], convert: Callable[[Any], Any]
    ) -> dict[str, Any]:
        if not ids:
            return {}
        return {r.id: r for r in map(convert, self._read(name, {"uids": uids(namespace, ids)}))}

    def get_episodes(self, namespace: str, ids: Sequence[str]) -> dict[str, Episode]:
        return self._get("get_episodes", namespace, ids, episode_from_row)

    def get_entities(self, namespace: str, ids: Sequence[str]) -> dict[str, Entity]:
        return self._get("get_entities", namespace, ids, entity_from_row)

    def get_facts(self, namespace: str, ids: Sequence[str]) -> dict[str, Fact]:
        return self._get("get_facts", namespace, ids, fact_from_row)

    def get_sessions(self, namespace: str, ids: Sequence[str]) -> dict[str, Session]:
        return self._get("get_sessions", namespace, ids, session_from_row)

    def get_insights(self, namespace: str, ids: Sequence[str]) -> dict[str, Insight]:
        return self._get("get_insights", namespace, ids, insight_from_row)

    def find_entities(self, namespace: str, keys: Sequence[str]) -> dict[str, Entity]:
        keys = [k for k in dict.fromkeys(keys) if k]
        if not keys:
            return {}
        # Exact keys are primary-key reads (entity ids derive from keys); only aliases need a scan.
        ids = [entity_id(namespace, k) for k in keys] + [legacy_entity_id(k) for k in keys]  # older stores
        by_id = self.get_entities(namespace, ids)
        found = {e.key: e for e in by_id.values() if e.key in keys}
        missing = [k for k in keys if k not in found]
        if missing:
            for row in self._read("find_entities_by_alias", {"namespace": namespace, "keys": missing}):
                key = row.pop("match_key")
                found.setdefault(key, entity_from_row(row))
        return found

    def last_episode(self, namespace: str, session_id: str) -> Episode | None:
        rows = self._read("last_episode", {"session_uid": uid(namespace, session_id)})
        return episode_from_row(rows[0]) if rows else None

    def latest_episode_time(self, namespace: str) -> datetime | None:
        rows = self._read("latest_episode_time", {"namespace": namespace})
        value = _utc(rows[0]["t"]) if rows else None
        return value if isinstance(value, datetime) else None

    def list_sessions(self, namespace: str, *, skip: int = 0, limit: int = 100) -> list[Session]:
        check_limit(limit)
        rows = self._read("list_sessions", {"namespace": namespace, "skip": 0, "limit": _window(skip, limit)})
        return [session_from_row(r) for r in rows[max(skip, 0) :]]

    def session_episodes(
        self, namespace: str, session_id: str, *, skip: int = 0, limit: int = 100
    ) -> list[Episode]:
        check_limit(limit)
        rows = self._read(
            "session_episodes",
            {"session_uid": uid(namespace, session_id), "skip": 0, "limit": _window(skip, limit)},
        )
        return [episode_from_row(r) for r in rows[max(skip, 0) :]]

    # --- facts -----------------------------------------------------------------------------------

    def slot_facts(
        self, namespace: str, subject_id: str, predicate: str, statuses: Sequence[FactStatus] | None = None
    ) -> list[Fact]:
        rows = self._read(
            "slot_facts",
            {
                "subject_uid": uid(namespace, subject_id),
                "predicate": predicate,
                "statuses": statuses_param(statuses),
            },
        )
        return [fact_from_row(r) for r in rows]

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
        check_limit(limit)
        rows = self._read(
            "list_facts",
            {
                "namespace": namespace,
                "subject_id": subject_id or "",
                "predicate": predicate or "",
                "statuses": statuses_param(statuses),
                "skip": 0,
                "limit": _window(skip, limit),
            },
        )
        return [fact_from_row(r) for r in rows[max(skip, 0) :]]

    def supersedes(self, namespace: str, fact_ids: Sequence[str]) -> list[Supersedes]:
        if not fact_ids:
            return []
        params = {"uids": uids(namespace, fact_ids)}
        edges = {}
        for name in ("supersedes_from", "supersedes_to"):
            for row in self._read(name, params):
                edge = supersedes_from_row(row)
                edges[(edge.new_id, edge.old_id, edge.rule, edge.at)] = edge
        return sorted(edges.values(), key=lambda e: e.at)

    def _pairs(
        self, name: str, namespace: str, ids: Sequence[str], key: str, value: str
    ) -> dict[str, list[str]]:
        """id -> sorted related ids (databases return rows in no fixed order)."""
        out: dict[str, list[str]] = defaultdict(list)
        if ids:
            for row in self._read(name, {"uids": uids(namespace, ids)}):
                out[row[key]].append(row[value])
        return {k: sorted(v) for k, v in out.items()}

    def fact_evidence(self, namespace: str, fact_ids: Sequence[str]) -> dict[str, list[str]]:
        return self._pairs("fact_evidence", namespace, fact_ids, "fact_id", "episode_id")

    def episode_facts(self, namespace: str, episode_ids: Sequence[str]) -> dict[str, list[str]]:
        return self._pairs("episode_facts", namespace, episode_ids, "episode_id", "fact_id")

    def list_insights(
        self,
        namespace: str,
        *,
        kind: str | None = None,
        include_stale: bool = False,
        skip: int = 0,
        limit: int = 100,
    ) -> list[Insight]:
        check_limit(limit)
        rows = self._read(
            "list_insights",
            {
                "namespace": namespace,
                "kind": kind or "",
                "include_stale": include_stale,
                "skip": 0,
                "limit": _window(skip, limit),
            },
        )
        return [insight_from_row(r) for r in rows[max(skip, 0) :]]

    def insights_of(self, namespace: str, target_ids: Sequence[str]) -> dict[str, list[str]]:
        return self._pairs("insights_of", namespace, target_ids, "target_id", "insight_id")

    # --- traversal -------------------------------------------------------------------------------

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
        """Breadth-first over RELATES, one batched query per hop and direction; the newest
        ``degree_cap`` edges of each node are followed, so a hub cannot flood the subgraph."""
        check_depth(depth)
        if direction not in ("out", "in", "both"):
            raise ValueError(f"direction must be out, in or both, got {direction!r}")
        filters = {
            "statuses": statuses_param(statuses),
            "use_as_of": as_of is not None,
            "as_of": as_of or datetime(1970, 1, 1, tzinfo=UTC),
        }
        names = {"out": ("relates_out",), "in": ("relates_in",), "both": ("relates_out", "relates_in")}[
            direction
        ]
        seen = set(entity_ids)
        frontier = list(dict.fromkeys(entity_ids))
        fact_ids: set[str] = set()
        for _ in range(depth):
            if not frontier:
                break
            per_node: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for name in names:
                for row in self._read(name, {"uids": uids(namespace, frontier), **filters}):
                    anchor = row["source_id"] if name == "relates_out" else row["target_id"]
                    per_node[anchor].append(row)
            nxt: list[str] = []
            for rows in per_node.values():
                rows.sort(key=lambda r: _utc(r["recorded_at"]) or _OLDEST, reverse=True)
                for row in rows[:degree_cap]:
                    fact_ids.add(row["fact_id"])
                    for node in (row["source_id"], row["target_id"]):
                        if node not in seen:
                            seen.add(node)
                            nxt.append(node)
            frontier = nxt
        # literal-valued facts of every reached entity (ages, properties) ride along
        for row in self._read("subject_facts", {"uids": uids(namespace, seen), **filters}):
            fact_ids.add(row["fact_id"])
        return self.subgraph(namespace, entity_ids=sorted(seen), fact_ids=sorted(fact_ids))

    def subgraph(
        self,
        namespace: str,
        *,
        entity_ids: Sequence[str] = (),
        fact_ids: Sequence[str] = (),
        episode_ids: Sequence[str] = (),
        insight_ids: Sequence[str] = (),
    ) -> Subgraph:
        facts = self.get_facts(namespace, fact_ids)
        wanted_entities = set(entity_ids)
        for fact in facts.values():
            wanted_entities.add(fact.subject_id)
            if fact.object_id:
                wanted_entities.add(fact.object_id)
        episodes = self.get_episodes(namespace, episode_ids)
        episode_facts = self.episode_facts(namespace, list(episodes)) if episodes else {}
        insights = self.get_insights(namespace, insight_ids)
        derived: dict[str, list[str]] = defaultdict(list)
        if insights:
            for row in self._read("insight_targets", {"uids": uids(namespace, insights)}):
                derived[row["insight_id"]].append(row["target_id"])
        return Subgraph(
            entities=self.get_entities(namespace, sorted(wanted_entities)),
            facts=facts,
            episodes=episodes,
            evidence=self.fact_evidence(namespace, list(facts)),
            episode_fact_counts={e: len(f) for e, f in episode_facts.items()},
            insights=insights,
            derived_from={k: sorted(v) for k, v in derived.items()},
        )

    # --- admin -----------------------------------------------------------------------------------

    def counts(self, namespace: str | None = None) -> dict[str, int]:
        params = {"every_namespace": namespace is None, "namespace": namespace or ""}
        out: dict[str, int] = dict.fromkeys(KIND_COUNTS.values(), 0)
        for row in self._read("count_nodes", params):
            if row["kind"] in KIND_COUNTS:
                out[KIND_COUNTS[row["kind"]]] = int(row["n"])
        for row in self._read("count_relationships", params):
            out[row["kind"]] = int(row["n"])
        errors = self._read("count_extraction_errors", params)
        out["extraction_errors"] = int(errors[0]["n"]) if errors else 0
        return out

    # --- export ----------------------------------------------------------------------------------

    def export_part(self, namespace: str, part: ExportPart) -> list[Any]:
        if part not in EXPORT_PARTS:
            raise ValueError(f"unknown export part {part!r}; expected one of {list(EXPORT_PARTS)}")
        self._check_open()
        query, convert = _EXPORTED[part]
        return [convert(row) for row in self._read(query, {"namespace": namespace})]
