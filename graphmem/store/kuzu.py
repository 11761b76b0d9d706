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
  embeddings; Kuzu's FTS extension is not used: measured, multi-row inserts corrupt its postings and
  its statistics never update, so full-text search is a derived BM25 index too (``lexical.LexicalIndex``).

Only the import below names Kuzu: the maintained fork (Ladybug, same API) replaces it by changing it.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import re
import shutil
import tempfile
import threading
import warnings
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import kuzu as _db

from graphmem.errors import (
    ClosedError,
    GraphmemError,
    InvalidInput,
    QueryError,
    SchemaMismatch,
    StoreError,
    StoreUnavailable,
    WriteConflict,
)
from graphmem.model import (
    WriteBatch,
)
from graphmem.store.base import NodeKind, ScoredId, check_kind, check_limit
from graphmem.store.bulk import check_new, csv_tables
from graphmem.store.holder import describe_holder, record_holder, release_holder
from graphmem.store.index_budget import IndexBudget
from graphmem.store.indexed import IndexedReads
from graphmem.store.lexical import LexicalIndex
from graphmem.store.queries import QueryBook
from graphmem.store.readonly import check_read_only
from graphmem.store.records import (
    searchable_text,
)
from graphmem.store.shared import Run
from graphmem.store.vectors import VectorIndex

__all__ = ["KuzuStore"]

T = TypeVar("T")

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
_UNWIND = re.compile(r"^UNWIND\s+\$([A-Za-z_][A-Za-z0-9_]*)\s")
DB_FILE = "graph.kuzu"
_PER_ROW_HEAD = re.compile(r"^UNWIND\s+\$([A-Za-z_]\w*)\s+AS\s+([A-Za-z_]\w*)\s+", re.DOTALL)
_PER_ROW_READS = 64
_ACROSS_ROWS = re.compile(r"\b(collect|ORDER\s+BY|SKIP|LIMIT|DISTINCT|WITH)\b", re.IGNORECASE)
_COPY_TABLE = re.compile(r"^COPY\s+(\w+)\s+FROM\s+'\{(\w+)\}'")
_WRITTEN = re.compile(r"\s*RETURN\s+count\(\*\)\s+AS\s+written\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _PerRow:
    list_param: str
    var: str
    body: str
    fields: tuple[str, ...]
    counts: bool


@functools.cache
def _per_row(statement: str) -> _PerRow | None:
    """The per-element form of ``UNWIND $list AS x <body>``, or None when rows interact
    (aggregation, ordering, paging) and the statement must run as a whole."""
    head = _PER_ROW_HEAD.match(statement)
    if head is None:
        return None
    list_param, var = head.groups()
    body = statement[head.end() :]
    counts = bool(_WRITTEN.search(body))
    body = _WRITTEN.sub(" RETURN 1 AS written", body) if counts else body
    if _ACROSS_ROWS.search(body) or re.search(r"\bcount\(", body) or "{uid: " not in body:
        return None  # rows interact, or there is no primary-key look-up to gain
    fields = tuple(dict.fromkeys(re.findall(rf"\b{var}\.([A-Za-z_]\w*)", body)))
    body = re.sub(rf"\b{var}\.([A-Za-z_]\w*)", r"$\1", body)
    body = re.sub(rf"(?<![\w.$]){var}\b", f"${var}", body)
    return _PerRow(list_param, var, body, fields, counts)


_EMBEDDED = {
    "Episode": "episodes",
    "Entity": "entities",
    "Fact": "facts",
    "Insight": "insights",
    "Session": "sessions",
}


def _to_db(value: Any) -> Any:
    """Aware datetimes become naive UTC (Kuzu TIMESTAMP has no zone); containers are walked."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, Mapping):
        return {k: _to_db(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_db(v) for v in value]
    return value


class KuzuStore(IndexedReads):
    """GraphStore on an embedded Kuzu database in ``path`` (a directory, created if absent)."""

    dialect = "kuzu"

    def __init__(self, path: str | Path, *, buffer_pool_mb: int = 512, index_budget_mb: int = 512) -> None:
        self.path = Path(path)
        self.buffer_pool_mb = buffer_pool_mb
        self.index_budget_mb = index_budget_mb
        self.index_budget: IndexBudget | None = None
        self.queries = QueryBook(self.dialect)
        self._db: Any = None
        self._write_conn: Any = None
        self._local = threading.local()
        self._conns: list[Any] = []
        self._write_lock = threading.Lock()
        self._prepared: dict[tuple[int, str], Any] = {}
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
            self._db = _db.Database(
                str(self.path / DB_FILE), buffer_pool_size=self.buffer_pool_mb * 1024 * 1024
            )
        except (ValueError, TypeError) as exc:  # parameters Kuzu cannot convert (e.g. a mixed-type list)
            raise QueryError(f"invalid query parameters: {exc}") from exc
        except RuntimeError as exc:
            msg = str(exc)
            if "lock" in msg.lower():
                raise StoreUnavailable(
                    f"the graphmem store at {self.path} is open in {describe_holder(self.path)} "
                    "(a running `graphmem serve`?); use that server, or stop it first"
                ) from exc
            raise StoreUnavailable(f"cannot open the Kuzu store at {self.path}: {msg}") from exc
        self._write_conn = _db.Connection(self._db)
        try:
            self._bootstrap(dimension)
        except BaseException:  # leave nothing half-open: release the directory lock
            self._prepared.clear()
            for handle in (*self._conns, self._write_conn, self._db):
                with contextlib.suppress(Exception):
                    handle.close()
            self._conns.clear()
            self._local = threading.local()
            self._write_conn = self._db = None
            raise
        record_holder(self.path)
        self.dimension = dimension
        self._open_derived()

    def _open_derived(self) -> None:
        """Fresh derived indexes (vectors, full text, graph), each loaded per namespace on first use."""
        self.vectors = VectorIndex(self.dimension, self._load_vectors)
        self.lexical = LexicalIndex(self._load_texts)
        self._open_graph()
        assert self.graph_index is not None
        self.index_budget = IndexBudget(
            self.index_budget_mb << 20, [self.vectors, self.lexical, self.graph_index]
        )

    def _bootstrap(self, dimension: int) -> None:
        tables = {row[0] for row in self._write_conn.execute("CALL show_tables() RETURN name").get_all()}
        with self._write_lock, self._translate():
            if "Meta" not in tables:
                for statement in self.queries["schema"].statements:
                    self._write_conn.execute(statement)
                self._run_on(self._write_conn, "meta_set", {"key": "dimension", "value": str(dimension)})
                self._run_on(self._write_conn, "meta_set", {"key": "schema_version", "value": SCHEMA_VERSION})
                return
        stored = self.get_meta("dimension")
        version = self.get_meta("schema_version")
        if version != SCHEMA_VERSION:
            raise SchemaMismatch(
                f"store at {self.path} has schema version {version!r}, this graphmem needs {SCHEMA_VERSION!r}"
            )
        if stored is not None and int(stored) != dimension:
            raise SchemaMismatch(
                f"store at {self.path} holds {stored}-dimensional embeddings but the encoder makes "
                f"{dimension}-dimensional ones; use the same embedding model or a new store path"
            )

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with self._write_lock:
            self._prepared.clear()  # statements before the connections they belong to
            for conn in [*self._conns, self._write_conn]:
                if conn is not None:
                    with contextlib.suppress(Exception):
                        conn.close()
            self._conns.clear()
            self._write_conn = None
            if self._db is not None:
                with contextlib.suppress(Exception):
                    self._db.close()
                release_holder(self.path)
            self._db = None

    # --- plumbing ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            yield
        except GraphmemError:
            raise
        except (ValueError, TypeError) as exc:  # parameters Kuzu cannot convert (e.g. a mixed-type list)
            raise QueryError(f"invalid query parameters: {exc}") from exc
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
            per_row = _per_row(statement)
            # Writes always go row by row (index look-ups); a read over a long id list is cheaper as
            # one scan-and-join than as thousands of look-ups.
            if per_row is not None and (
                per_row.var == "row" or len(db_params[per_row.list_param]) <= _PER_ROW_READS
            ):
                rows = self._run_per_row(conn, per_row, db_params)
                continue
            used = {k: v for k, v in db_params.items() if f"${k}" in statement}
            rows = self._rows(conn.execute(self._prepare(conn, statement), used))
        return rows

    def _prepare(self, conn: Any, statement: str) -> Any:
        """The statement prepared once per connection and reused.

        Kuzu 0.11.3 leaks native memory on every ``execute()`` of a query *string* with parameters
        (it prepares it and never frees that): measured 5.5 KB per call for a one-row look-up and
        11 KB for an ``UNWIND`` of two ids, none for a reused prepared statement. On the read path
        that was the server's RSS growing without bound (``graphmem bench soak``). The named
        queries are a fixed set, so the cache holds at most (connections x statements) entries.
        """
        key = (id(conn), statement)
        prepared = self._prepared.get(key)
        if prepared is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # prepare() once, execute() many
                prepared = conn.prepare(statement)
            self._prepared[key] = prepared
        return prepared

    def _run_per_row(self, conn: Any, plan: _PerRow, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Run an ``UNWIND $list AS x ...`` statement once per element, as one prepared statement.

        Kuzu 0.11 plans ``UNWIND ... MATCH (n {uid: x.uid})`` as a scan of the whole table joined
        with the list (measured: 1,000 edges into a 100k-node graph took 30 s), while a parameterised
        primary-key MATCH per element is an index look-up (about 1 ms). The file stays the one
        statement both dialects share; only its execution differs.
        """
        prepared = self._prepare(conn, plan.body)
        others = {k: v for k, v in params.items() if k != plan.list_param and f"${k}" in plan.body}
        out: list[dict[str, Any]] = []
        written = 0
        for element in params[plan.list_param]:
            values = dict(others)
            if isinstance(element, Mapping):
                values.update({k: element.get(k) for k in plan.fields})
            else:
                values[plan.var] = element
            result = self._rows(conn.execute(prepared, values))
            if plan.counts:
                written += int(result[0]["written"]) if result else 0
            else:
                out.extend(result)
        return [{"written": written}] if plan.counts else out

    def _read(self, name: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        with self._translate():
            return self._run_on(self._conn(), name, params)

    # --- writes: the shared half (graphmem/store/shared.py) runs them through these hooks ---------

    def _transaction(self, work: Callable[[Run], T]) -> T:
        """One explicit Kuzu transaction, serialised: Kuzu refuses a second concurrent writer."""
        self._check_open()
        with self._write_lock, self._translate():
            conn = self._write_conn
            conn.execute("BEGIN TRANSACTION")
            try:
                out = work(lambda name, params: self._run_on(conn, name, params))
            except BaseException:
                with contextlib.suppress(Exception):
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return out

    def bulk_write(self, batch: WriteBatch) -> None:
        """Write a batch of *new* records with Kuzu's bulk loader (COPY from CSV), in one transaction.

        For imports and benchmarks that write thousands of new records at once; a duplicate id or an
        edge to a missing node fails the COPY and the whole batch rolls back. A batch that upserts,
        updates or holds what COPY cannot carry goes through ``write`` (see ``store/bulk.py``).
        """
        self._check_open()
        if batch.is_empty():
            return
        tables = csv_tables(batch)
        if tables is None:
            self.write(batch)
            return
        check_new(batch, existing=lambda kind, ids: self._existing(batch.namespace, kind, ids))
        with tempfile.TemporaryDirectory(prefix="graphmem-bulk-") as tmp:
            statements: list[str] = []
            for statement in self.queries["bulk_copy"].statements:
                head = _COPY_TABLE.match(statement)
                if head is None or head.group(1) not in tables:
                    continue
                path = Path(tmp) / f"{head.group(1)}.csv"
                path.write_text(tables[head.group(1)], encoding="utf-8")
                statements.append(statement.replace("{" + head.group(2) + "}", path.as_posix()))

            def work(_: Run) -> None:
                for statement in statements:
                    self._write_conn.execute(statement)

            self._transaction(work)
        self._committed(batch)

    def _existing(self, namespace: str, kind: str, ids: Collection[str]) -> set[str]:
        """Which of ``ids`` the store holds (from the graph index; sessions from the store)."""
        if kind == "Session":
            return set(self.get_sessions(namespace, list(ids)))
        readers: dict[str, Callable[[str, Sequence[str]], Mapping[str, object]]] = {
            "Episode": self.get_episodes,
            "Entity": self.get_entities,
            "Fact": self.get_facts,
        }
        return set(readers[kind](namespace, list(ids)))

    def _committed(self, batch: WriteBatch) -> None:
        assert self.vectors is not None and self.lexical is not None
        for kind, field in _EMBEDDED.items():
            records = getattr(batch, field)
            embedded = [r for r in records if r.embedding is not None]
            if embedded:
                self.vectors.add(
                    kind, batch.namespace, [r.id for r in embedded], [r.embedding for r in embedded]
                )
            if records:
                self.lexical.add(kind, batch.namespace, [(r.id, searchable_text(r)) for r in records])
        super()._committed(batch)

    def _deleted(self, namespace: str, removed: Mapping[str, Sequence[str]]) -> None:
        assert self.vectors is not None and self.lexical is not None
        super()._deleted(namespace, removed)
        if not removed:  # the whole namespace
            self.vectors.drop_namespace(namespace)
            self.lexical.drop_namespace(namespace)
            if self.index_budget is not None:
                self.index_budget.forget(namespace)
            return
        for kind, ids in removed.items():
            self.vectors.remove(kind, namespace, ids)
            self.lexical.remove(kind, namespace, ids)

    # --- search ------------------------------------------------------------------------------

    def _load_vectors(self, kind: str, namespace: str) -> list[tuple[str, Sequence[float]]]:
        rows = self._read(f"vectors_{kind.lower()}", {"namespace": namespace})
        return [(r["id"], r["embedding"]) for r in rows]

    def vector_search(
        self, kind: NodeKind, namespace: str, vector: Sequence[float], k: int
    ) -> list[ScoredId]:
        check_kind(kind)
        check_limit(k)
        self._check_open()
        assert self.vectors is not None
        query = [float(x) for x in vector]
        if len(query) != self.dimension:
            raise InvalidInput(f"query vector has {len(query)} dimensions, the store holds {self.dimension}")
        if not all(math.isfinite(x) for x in query):
            raise InvalidInput("query vector holds NaN or infinite values")
        if not any(query):
            return []  # cosine similarity is undefined for the zero vector
        found = [ScoredId(i, s) for i, s in self.vectors.search(kind, namespace, query, k)]
        self._used(namespace)
        return found

    def _load_texts(self, kind: str, namespace: str) -> list[tuple[str, str]]:
        rows = self._read(f"texts_{kind.lower()}", {"namespace": namespace})
        return [(r["id"], r["text"] or "") for r in rows]

    def text_search(self, kind: NodeKind, namespace: str, query: str, k: int) -> list[ScoredId]:
        check_kind(kind)
        check_limit(k)
        self._check_open()
        assert self.lexical is not None
        found = [ScoredId(i, s) for i, s in self.lexical.search(kind, namespace, query, k)]
        self._used(namespace)
        return found

    def _used(self, namespace: str) -> None:
        """Searches mark their namespace recently used; the budget evicts the least recent ones."""
        if self.index_budget is not None:
            self.index_budget.touch(namespace)

    # --- exploration and admin ----------------------------------------------------------------

    def _files(self) -> list[Path]:
        return sorted(p for p in self.path.glob(DB_FILE + "*") if p.is_file())

    def files_signature(self) -> tuple[Any, ...]:
        """(name, size, mtime) of the database files: changes whenever a commit or checkpoint lands."""
        out: list[tuple[str, int, int]] = []
        for file in self._files():
            with contextlib.suppress(FileNotFoundError):
                stat = file.stat()
                out.append((file.name, stat.st_size, stat.st_mtime_ns))
        return tuple(out)

    def snapshot_to(self, directory: Path) -> tuple[tuple[Any, ...], Path]:
        """Copy the database files (with the write-ahead log) into ``directory`` between two commits.

        Holding the write lock means no commit or checkpoint is half-written, so the copy is the
        committed state; a read-only open of it replays the log. For the Cypher sandbox, which cannot
        open the live directory from another process (see graphmem.cypher_sandbox)."""
        self._check_open()
        with self._write_lock:
            signature = self.files_signature()
            for file in self._files():
                shutil.copyfile(file, directory / file.name)
        return signature, directory / DB_FILE

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
                        try:
                            result = conn.execute(query, _to_db(dict(params or {})))
                        finally:  # the derived indexes cannot follow a raw write: reload them
                            self._open_derived()
                if isinstance(result, list):
                    result = result[-1]
                names = result.get_column_names()
                rows: list[dict[str, Any]] = []
                while result.has_next() and len(rows) < limit:
                    rows.append(dict(zip(names, result.get_next(), strict=True)))
                return rows
        finally:
            conn.set_query_timeout(0)
