"""The embedded default store: Kuzu, in-process, one directory, durable commits.

Facts of Kuzu that shape this backend (measured on 0.11.3):
- one write transaction at a time in the whole database, and a second one fails at once, so writes
  are serialised by a lock here and each batch is one explicit transaction;
- one process owns the database directory (a running API server owns it);
- a ``None`` passed where Kuzu expects a list parameter crashes the process, so list filters are always
  explicit lists (see ``records.statuses_param``) and optional filters use flags, never null lists;
- TIMESTAMP columns are naive: values are converted to naive UTC on the way in and made aware on the
  way out;
- vector search is served by a derived in-memory index (``vectors.VectorIndex``) over the stored
  embeddings; Kuzu's FTS extension is not used: measured, multi-row inserts corrupt its postings and its statistics never
  update, so full-text search is a derived BM25 index too (``lexical.LexicalIndex``).

Only the import below names Kuzu: the maintained fork (Ladybug, same API) replaces it by changing it.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import kuzu as _db

from graphmem.errors import (
    ClosedError,
    GraphmemError,
    NotFound,
    QueryError,
    SchemaMismatch,
    StoreError,
    StoreUnavailable,
    WriteConflict,
)
from graphmem.model import Entity, Episode, Fact, FactStatus, Insight, Session, Subgraph, Supersedes, WriteBatch
from graphmem.store.base import Direction, NodeKind, ScoredId, check_depth, check_kind, check_limit
from graphmem.store.queries import QueryBook
from graphmem.store.readonly import check_read_only
from graphmem.store.records import (
    entity_from_row,
    episode_from_row,
    fact_from_row,
    insight_from_row,
    session_from_row,
    statuses_param,
    searchable_text,
    supersedes_from_row,
    uid,
    uids,
    write_plan,
)
from graphmem.store.lexical import LexicalIndex
from graphmem.store.vectors import VectorIndex

__all__ = ["KuzuStore"]

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
_UNWIND = re.compile(r"^UNWIND\s+\$([A-Za-z_][A-Za-z0-9_]*)\s")
DB_FILE = "graph.kuzu"
_EMBEDDED = {"Episode": "episodes", "Entity": "entities", "Fact": "facts", "Insight": "insights",
             "Session": "sessions"}


def _to_db(value: Any) -> Any:
    """Aware datetimes become naive UTC (Kuzu TIMESTAMP has no zone); containers are walked."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, Mapping):
        return {k: _to_db(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_db(v) for v in value]
    return value


class KuzuStore:
    """GraphStore on an embedded Kuzu database in ``path`` (a directory, created if absent)."""

    dialect = "kuzu"

    def __init__(self, path: str | Path, *, buffer_pool_mb: int = 512) -> None:
        self.path = Path(path)
        self.buffer_pool_mb = buffer_pool_mb
        self.queries = QueryBook(self.dialect)
        self._db: Any = None
        self._write_conn: Any = None
        self._local = threading.local()
        self._conns: list[Any] = []
        self._write_lock = threading.Lock()
        self._closed = False
        self.dimension = 0
        self.vectors: VectorIndex | None = None
        self.lexical: LexicalIndex | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    def open(self, *, dimension: int) -> None:
        if self._closed:
            raise ClosedError("Cannot reopen a closed store; create a new one")
        if self._db is not None:
            return
        if self.path.exists() and not self.path.is_dir():
            raise StoreUnavailable(f"store path {self.path} exists and is not a directory")
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            self._db = _db.Database(str(self.path / DB_FILE), buffer_pool_size=self.buffer_pool_mb * 1024 * 1024)
        except RuntimeError as exc:
            msg = str(exc)
            if "lock" in msg.lower():
                raise StoreUnavailable(
                    f"the graphmem store at {self.path} is open in another process (a running "
                    "`graphmem serve`?); use that server, or stop it first"
                ) from exc
            raise StoreUnavailable(f"cannot open the Kuzu store at {self.path}: {msg}") from exc
        self._write_conn = _db.Connection(self._db)
        self._bootstrap(dimension)
        self.dimension = dimension
        self.vectors = VectorIndex(dimension, self._load_vectors)
        self.lexical = LexicalIndex(self._load_texts)

    def _bootstrap(self, dimension: int) -> None:
        tables = {row[0] for row in self._write_conn.execute("CALL show_tables() RETURN name").get_all()}
        with self._write_lock, self._translate():
            if "Meta" not in tables:
                for statement in self.queries["schema"].statements:
                    self._write_conn.execute(statement)
                self._run_on(self._write_conn, "meta_set", {"key": "dimension", "value": str(dimension)})
                self._run_on(self._write_conn, "meta_set", {"key": "schema_version", "value": SCHEMA_VERSION})
                return
        stored = self._meta("dimension")
        version = self._meta("schema_version")
        if version != SCHEMA_VERSION:
            raise SchemaMismatch(
                f"store at {self.path} has schema version {version!r}, this graphmem needs {SCHEMA_VERSION!r}"
            )
        if stored is not None and int(stored) != dimension:
            raise SchemaMismatch(
                f"store at {self.path} holds {stored}-dimensional embeddings but the encoder makes "
                f"{dimension}-dimensional ones; use the same embedding model or a new store path"
            )

    def _meta(self, key: str) -> str | None:
        rows = self._read("meta_get", {"key": key})
        return rows[0]["value"] if rows else None

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with self._write_lock:
            for conn in [*self._conns, self._write_conn]:
                if conn is not None:
                    with contextlib.suppress(Exception):
                        conn.close()
            self._conns.clear()
            self._write_conn = None
            if self._db is not None:
                with contextlib.suppress(Exception):
                    self._db.close()
            self._db = None

    # --- plumbing ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            yield
        except GraphmemError:
            raise
        except RuntimeError as exc:
            msg = str(exc)
            if "write transaction" in msg.lower():
                raise WriteConflict(msg) from exc
            if "parser exception" in msg.lower() or "binder exception" in msg.lower():
                raise QueryError(msg) from exc
            if "timeout" in msg.lower() or "interrupted" in msg.lower():
                raise QueryError(f"query timed out or was interrupted: {msg}") from exc
            raise StoreError(msg) from exc

    def _check_open(self) -> None:
        if self._closed:
            raise ClosedError("Cannot use the store, as it has been closed.")
        if self._db is None:
            raise StoreError("store is not open; call open() first")

    def _conn(self) -> Any:
        self._check_open()
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = _db.Connection(self._db)
            self._local.conn = conn
            self._conns.append(conn)
        return conn

    @staticmethod
    def _rows(result: Any) -> list[dict[str, Any]]:
        names = result.get_column_names()
        return [dict(zip(names, row, strict=True)) for row in result.get_all()]

    def _run_on(self, conn: Any, name: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        query = self.queries[name]
        rows: list[dict[str, Any]] = []
        db_params = _to_db(params)
        for statement in query.statements:
            unwound = _UNWIND.match(statement)
            if unwound and not db_params.get(unwound.group(1)):
                continue  # nothing to unwind; Kuzu also cannot type an empty list parameter
            used = {k: v for k, v in db_params.items() if f"${k}" in statement}
            rows = self._rows(conn.execute(statement, used))
        return rows

    def _read(self, name: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        with self._translate():
            return self._run_on(self._conn(), name, params)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Any]:
        self._check_open()
        with self._write_lock, self._translate():
            conn = self._write_conn
            conn.execute("BEGIN TRANSACTION")
            try:
                yield conn
            except BaseException:
                with contextlib.suppress(Exception):
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # --- writes ------------------------------------------------------------------------------

    def write(self, batch: WriteBatch) -> None:
        if batch.is_empty():
            return
        plan = write_plan(batch)
        with self._transaction() as conn:
            for name, params in plan:
                self._run_on(conn, name, params)
        assert self.vectors is not None and self.lexical is not None
        for kind, field in _EMBEDDED.items():
            records = getattr(batch, field)
            embedded = [r for r in records if r.embedding is not None]
            if embedded:
                self.vectors.add(kind, batch.namespace, [r.id for r in embedded], [r.embedding for r in embedded])
            if records:
                self.lexical.add(kind, batch.namespace, [(r.id, searchable_text(r)) for r in records])

    def delete_episode(self, namespace: str, episode_id: str) -> dict[str, int]:
        ep_uid = uid(namespace, episode_id)
        with self._transaction() as conn:
            links = self._run_on(conn, "episode_links", {"uid": ep_uid})
            if not links:
                raise NotFound(f"no episode {episode_id!r} in namespace {namespace!r}")
            facts = self._run_on(conn, "episode_sole_facts", {"uid": ep_uid})
            fact_uids = [f["uid"] for f in facts]
            candidates = set(links[0]["entity_uids"] or [])
            if fact_uids:
                for row in self._run_on(conn, "fact_endpoints", {"uids": fact_uids}):
                    candidates.update(u for u in (row["subject_uid"], row["object_uid"]) if u)
                self._run_on(conn, "delete_relates_of_facts", {"uids": fact_uids})
                self._run_on(conn, "delete_facts", {"uids": fact_uids})
            self._run_on(conn, "delete_episodes", {"uids": [ep_uid]})
            prev_uid, next_uid = links[0]["prev_uid"], links[0]["next_uid"]
            if prev_uid and next_uid:
                self._run_on(conn, "create_next_links", {"rows": [{"prev_uid": prev_uid, "next_uid": next_uid}]})
            orphans = [r["uid"] for r in self._run_on(conn, "orphan_entities", {"uids": sorted(candidates)})]
            if orphans:
                self._run_on(conn, "delete_entities", {"uids": orphans})
        assert self.vectors is not None
        prefix = len(namespace) + 1
        removed = {"Episode": [episode_id], "Fact": [u[prefix:] for u in fact_uids],
                   "Entity": [u[prefix:] for u in orphans]}
        for kind, ids in removed.items():
            self.vectors.remove(kind, namespace, ids)
            assert self.lexical is not None
            self.lexical.remove(kind, namespace, ids)
        return {"episodes": 1, "facts": len(fact_uids), "entities": len(orphans)}

    def delete_namespace(self, namespace: str) -> dict[str, int]:
        before = self.counts(namespace)
        with self._transaction() as conn:
            self._run_on(conn, "delete_namespace", {"namespace": namespace})
        assert self.vectors is not None and self.lexical is not None
        self.vectors.drop_namespace(namespace)
        self.lexical.drop_namespace(namespace)
        return {k: v for k, v in before.items() if k in _EMBEDDED}

    # --- point reads -------------------------------------------------------------------------

    def _get(self, name: str, namespace: str, ids: Sequence[str], convert: Any) -> dict[str, Any]:
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
        from graphmem.model import entity_id

        keys = [k for k in dict.fromkeys(keys) if k]
        if not keys:
            return {}
        by_id = self.get_entities(namespace, [entity_id(k) for k in keys])
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

    def list_sessions(self, namespace: str, *, skip: int = 0, limit: int = 100) -> list[Session]:
        check_limit(limit)
        rows = self._read("list_sessions", {"namespace": namespace, "skip": max(skip, 0), "limit": limit})
        return [session_from_row(r) for r in rows]

    def session_episodes(self, namespace: str, session_id: str, *, skip: int = 0, limit: int = 100) -> list[Episode]:
        check_limit(limit)
        rows = self._read("session_episodes", {"session_uid": uid(namespace, session_id), "skip": max(skip, 0),
                                               "limit": limit})
        return [episode_from_row(r) for r in rows]

    # --- facts -------------------------------------------------------------------------------

    def slot_facts(
        self, namespace: str, subject_id: str, predicate: str, statuses: Sequence[FactStatus] | None = None
    ) -> list[Fact]:
        rows = self._read("slot_facts", {"subject_uid": uid(namespace, subject_id), "predicate": predicate,
                                         "statuses": statuses_param(statuses)})
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
        rows = self._read("list_facts", {
            "namespace": namespace, "subject_id": subject_id or "", "predicate": predicate or "",
            "statuses": statuses_param(statuses), "skip": max(skip, 0), "limit": limit,
        })
        return [fact_from_row(r) for r in rows]

    def supersedes(self, namespace: str, fact_ids: Sequence[str]) -> list[Supersedes]:
        if not fact_ids:
            return []
        params = {"uids": uids(namespace, fact_ids)}
        edges = {}
        for name in ("supersedes_from", "supersedes_to"):
            for row in self._read(name, params):
                edge = supersedes_from_row(row)
                edges[(edge.new_id, edge.old_id, edge.rule)] = edge
        return sorted(edges.values(), key=lambda e: e.at)

    def _pairs(self, name: str, namespace: str, ids: Sequence[str], key: str, value: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        if ids:
            for row in self._read(name, {"uids": uids(namespace, ids)}):
                out[row[key]].append(row[value])
        return dict(out)

    def fact_evidence(self, namespace: str, fact_ids: Sequence[str]) -> dict[str, list[str]]:
        return self._pairs("fact_evidence", namespace, fact_ids, "fact_id", "episode_id")

    def episode_facts(self, namespace: str, episode_ids: Sequence[str]) -> dict[str, list[str]]:
        return self._pairs("episode_facts", namespace, episode_ids, "episode_id", "fact_id")

    def list_insights(
        self, namespace: str, *, kind: str | None = None, include_stale: bool = False, skip: int = 0,
        limit: int = 100,
    ) -> list[Insight]:
        check_limit(limit)
        rows = self._read("list_insights", {"namespace": namespace, "kind": kind or "",
                                            "include_stale": include_stale, "skip": max(skip, 0), "limit": limit})
        return [insight_from_row(r) for r in rows]

    def insights_of(self, namespace: str, target_ids: Sequence[str]) -> dict[str, list[str]]:
        return self._pairs("insights_of", namespace, target_ids, "target_id", "insight_id")

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
        check_depth(depth)
        if direction not in ("out", "in", "both"):
            raise ValueError(f"direction must be out, in or both, got {direction!r}")
        filters = {"statuses": statuses_param(statuses), "use_as_of": as_of is not None,
                   "as_of": as_of or datetime(1970, 1, 1, tzinfo=UTC)}
        names = {"out": ("relates_out",), "in": ("relates_in",), "both": ("relates_out", "relates_in")}[direction]
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
                rows.sort(key=lambda r: r["recorded_at"] or datetime.min, reverse=True)
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
        sub = self.subgraph(namespace, entity_ids=sorted(seen), fact_ids=sorted(fact_ids))
        return sub

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
        evidence = self.fact_evidence(namespace, list(facts))
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
            evidence=evidence,
            episode_fact_counts={e: len(f) for e, f in episode_facts.items()},
            insights=insights,
            derived_from=dict(derived),
        )

    # --- search ------------------------------------------------------------------------------

    def _load_vectors(self, kind: str, namespace: str) -> list[tuple[str, Sequence[float]]]:
        rows = self._read(f"vectors_{kind.lower()}", {"namespace": namespace})
        return [(r["id"], r["embedding"]) for r in rows]

    def vector_search(self, kind: NodeKind, namespace: str, vector: Sequence[float], k: int) -> list[ScoredId]:
        check_kind(kind)
        check_limit(k)
        self._check_open()
        assert self.vectors is not None
        return [ScoredId(i, s) for i, s in self.vectors.search(kind, namespace, vector, k)]

    def _load_texts(self, kind: str, namespace: str) -> list[tuple[str, str]]:
        rows = self._read(f"texts_{kind.lower()}", {"namespace": namespace})
        return [(r["id"], r["text"] or "") for r in rows]

    def text_search(self, kind: NodeKind, namespace: str, query: str, k: int) -> list[ScoredId]:
        check_kind(kind)
        check_limit(k)
        self._check_open()
        assert self.lexical is not None
        return [ScoredId(i, s) for i, s in self.lexical.search(kind, namespace, query, k)]

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
        if read_only:
            check_read_only(query)
        check_limit(limit)
        conn = self._conn()
        conn.set_query_timeout(int(timeout_s * 1000))
        try:
            with self._translate():
                if read_only:
                    result = conn.execute(query, _to_db(dict(params or {})))
                else:
                    with self._write_lock:
                        result = conn.execute(query, _to_db(dict(params or {})))
                if isinstance(result, list):
                    result = result[-1]
                names = result.get_column_names()
                rows: list[dict[str, Any]] = []
                while result.has_next() and len(rows) < limit:
                    rows.append(dict(zip(names, result.get_next(), strict=True)))
                return rows
        finally:
            conn.set_query_timeout(0)

    def counts(self, namespace: str | None = None) -> dict[str, int]:
        params = {"every_namespace": namespace is None, "namespace": namespace or ""}
        out: dict[str, int] = dict.fromkeys(("episodes", "entities", "facts", "insights", "sessions"), 0)
        plural = {"Episode": "episodes", "Entity": "entities", "Fact": "facts", "Insight": "insights",
                  "Session": "sessions"}
        for row in self._read("count_nodes", params):
            if row["kind"] in plural:
                out[plural[row["kind"]]] = int(row["n"])
        for row in self._read("count_relationships", params):
            out[row["kind"]] = int(row["n"])
        return out
