"""The production store: Neo4j 5.26+ through the official ``neo4j`` driver (Community is enough).

Facts of Neo4j that shape this backend:
- the server serialises concurrent writers itself, so a batch is one managed write transaction
  (``session.execute_write``), which the driver retries on transient failures (deadlocks, leader
  changes); nothing here takes a lock;
- reads are managed read transactions, routed to followers on a cluster, and every session shares
  the driver's bookmark manager so a read always sees the writes this process committed before it;
- schema and data changes cannot share a transaction, so each schema statement commits alone;
- vector and full-text indexes are native, transactional and span every namespace. Neo4j 5 cannot
  filter inside an index search, so searches over-fetch and then keep one namespace: a vector
  search that was crowded out by other namespaces falls back to an exact cosine scan of that
  namespace (``vector_scan_<kind>``); a text search asks again with a larger fetch, up to a cap;
- the driver retries an unreachable server for about 30 s before giving up, so ``open`` checks
  connectivity once with a short connection timeout and fails in seconds with StoreUnavailable.

Only APOC-free, GDS-free, Community features are used. Every statement lives in
``cypher/neo4j/<name>.cypher``; this module never assembles Cypher from its inputs.
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

try:
    import neo4j
    from neo4j import exceptions as neo4j_errors
except ImportError as _exc:  # pragma: no cover - depends on the installed extras
    raise ImportError("the Neo4j backend needs the neo4j driver: pip install 'graphmem[neo4j]'") from _exc

from graphmem.errors import (
    ClosedError,
    GraphmemError,
    InvalidInput,
    QueryError,
    ReadOnlyViolation,
    SchemaMismatch,
    StoreError,
    StoreUnavailable,
    WriteConflict,
)
from graphmem.store.base import NodeKind, ScoredId, check_kind, check_limit
from graphmem.store.queries import QueryBook
from graphmem.store.readonly import check_read_only
from graphmem.store.shared import CypherStore, Run

__all__ = ["MAX_DIMENSION", "Neo4jStore", "lucene_query"]

log = logging.getLogger(__name__)

T = TypeVar("T")
Tx = neo4j.ManagedTransaction

SCHEMA_VERSION = "1"
MAX_DIMENSION = 4096
"""The largest ``vector.dimensions`` a Neo4j 5 vector index accepts."""
URI_SCHEMES = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})
"""Bolt schemes only: the driver's HTTP Query API has no managed transactions."""
INDEX_WAIT_S = 300

OVERFETCH = 10
"""An index search asks for ``OVERFETCH * k`` hits (at least MIN_FETCH) before the namespace filter."""
MIN_FETCH = 100
VECTOR_MAX_FETCH = 10_000
"""Past this many approximate neighbours, an exact scan of the namespace is cheaper and exact."""
TEXT_MAX_FETCH = 100_000
"""A text search widens its fetch (x8 each time) up to this many hits; a namespace holding less than
1/TEXT_MAX_FETCH of the store's matches for a term can miss results, which the docstring of
``text_search`` states."""
TEXT_GROWTH = 8
MAX_QUERY_TERMS = 256
"""Lucene refuses queries of more than 1024 clauses; longer texts keep their first terms."""

_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
_LUCENE_OPERATORS = frozenset({"AND", "OR", "NOT", "TO"})


def lucene_query(text: str) -> str:
    """A user's search text as a Lucene query that matches its words and nothing else.

    Every Lucene special character is escaped and the upper-case operators are lower-cased (the
    index's analyzer lower-cases terms anyway), so user text can never become wildcards, ranges,
    fuzzy terms, field selectors or boolean logic. Tokens without a letter or digit are dropped
    (the analyzer would drop them too). Returns ``""`` when nothing searchable is left.

    >>> lucene_query('C++ AND "title:x*" (draft)')
    'C\\\\+\\\\+ and \\\\"title\\\\:x\\\\*\\\\" \\\\(draft\\\\)'
    >>> lucene_query("?? --")
    ''
    """
    terms: list[str] = []
    for word in text.split():
        if not any(ch.isalnum() for ch in word):
            continue
        terms.append(word.lower() if word in _LUCENE_OPERATORS else _LUCENE_SPECIAL.sub(r"\\\1", word))
        if len(terms) == MAX_QUERY_TERMS:
            break
    return " ".join(terms)


def _to_db(value: Any) -> Any:
    """Naive datetimes are taken as UTC (as on Kuzu); containers are walked; the rest passes as is."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, Mapping):
        return {k: _to_db(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_db(v) for v in value]
    return value


def _from_db(value: Any) -> Any:
    """Driver temporal values become Python ones, so exploration results serialise like Kuzu's."""
    to_native = getattr(value, "to_native", None)
    if to_native is not None:
        return to_native()
    if isinstance(value, dict):
        return {k: _from_db(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_db(v) for v in value]
    return value


def _check_dimension(dimension: int) -> int:
    if not isinstance(dimension, int) or isinstance(dimension, bool) or not 0 < dimension <= MAX_DIMENSION:
        raise InvalidInput(f"embedding dimension must be an integer in 1..{MAX_DIMENSION}, got {dimension!r}")
    return dimension


def _fetch_size(k: int) -> int:
    return max(k * OVERFETCH, MIN_FETCH)


class Neo4jStore(CypherStore):
    """GraphStore on a Neo4j 5.26+ server (or cluster / Aura) reached through the official driver.

    The constructor does no I/O; ``open`` connects, bootstraps the schema and checks the embedding
    dimension. A ``driver`` passed in stays the caller's (``close`` leaves it open); otherwise the
    store creates one from ``uri``, ``user`` and ``password`` and closes it.
    """

    dialect = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        *,
        database: str | None = None,
        driver: neo4j.Driver | None = None,
        connect_timeout_s: float = 5.0,
        retry_time_s: float = 15.0,
    ) -> None:
        scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
        if driver is None and scheme not in URI_SCHEMES:
            raise InvalidInput(
                f"unsupported Neo4j URI {uri!r}: expected one of {', '.join(sorted(URI_SCHEMES))}, "
                "e.g. bolt://localhost:7687"
            )
        if not connect_timeout_s > 0 or not retry_time_s >= 0:
            raise InvalidInput("connect_timeout_s must be positive and retry_time_s not negative")
        self.uri = uri
        self.user = user
        self._password = password
        self.database = database
        self.connect_timeout_s = connect_timeout_s
        self.retry_time_s = retry_time_s
        self.queries = QueryBook(self.dialect)
        self._driver: neo4j.Driver | None = driver
        self._owns_driver = driver is None
        self._lifecycle = threading.Lock()
        self._opened = False
        self._closed = False
        self.dimension = 0

    def __repr__(self) -> str:
        return f"Neo4jStore(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"

    # --- lifecycle ---------------------------------------------------------------------------

    def open(self, *, dimension: int) -> None:
        with self._lifecycle:
            if self._closed:
                raise ClosedError("Cannot reopen a closed store; create a new one")
            if self._opened:
                return
            _check_dimension(dimension)
            if self._driver is None:
                self._driver = self._make_driver()
            try:
                self._verify_connectivity()
                self._opened = True  # the runner needs it; undone below if bootstrap fails
                self._bootstrap(dimension)
            except BaseException:
                self._opened = False
                if self._owns_driver and self._driver is not None:
                    with contextlib.suppress(Exception):
                        self._driver.close()
                    self._driver = None
                raise
            self.dimension = dimension

    def _make_driver(self) -> neo4j.Driver:
        try:
            return neo4j.GraphDatabase.driver(
                self.uri,
                auth=(self.user, self._password),
                connection_timeout=self.connect_timeout_s,
                max_transaction_retry_time=self.retry_time_s,
            )
        except (neo4j_errors.ConfigurationError, ValueError) as exc:
            raise StoreUnavailable(f"cannot reach Neo4j at {self.uri}: {exc}") from exc

    def _verify_connectivity(self) -> None:
        """One connection attempt, bounded by connect_timeout_s, instead of the driver's retry loop."""
        assert self._driver is not None
        try:
            self._driver.verify_connectivity()
        except neo4j_errors.AuthError as exc:
            raise StoreUnavailable(
                f"Neo4j at {self.uri} refused the credentials of user {self.user!r}: {exc.message}"
            ) from exc
        except (neo4j_errors.DriverError, neo4j_errors.Neo4jError, OSError) as exc:
            raise StoreUnavailable(
                f"cannot reach Neo4j at {self.uri}: {exc} (is the server running, and is the URI right?)"
            ) from exc

    def _bootstrap(self, dimension: int) -> None:
        version = self.get_meta("schema_version")
        stored = self.get_meta("dimension")
        if version is not None and version != SCHEMA_VERSION:
            raise SchemaMismatch(
                f"Neo4j database at {self.uri} has graphmem schema version {version!r}, "
                f"this graphmem needs {SCHEMA_VERSION!r}"
            )
        if stored is not None and int(stored) != dimension:
            raise SchemaMismatch(
                f"Neo4j database at {self.uri} holds {stored}-dimensional embeddings but the encoder makes "
                f"{dimension}-dimensional ones; use the same embedding model or another database"
            )
        for statement in self.queries["schema"].statements:
            self._schema_statement(statement, {"dimension": dimension})
        for row in self._read("vector_index_dimensions", {}):
            if row["dimension"] is not None and int(row["dimension"]) != dimension:
                raise SchemaMismatch(
                    f"Neo4j vector index {row['name']} at {self.uri} holds {row['dimension']}-dimensional "
                    f"embeddings but the encoder makes {dimension}-dimensional ones"
                )
        self._read("await_indexes", {"timeout_s": INDEX_WAIT_S})
        if stored is None:

            def record(run: Run) -> None:
                run("meta_set", {"key": "dimension", "value": str(dimension)})
                run("meta_set", {"key": "schema_version", "value": SCHEMA_VERSION})

            self._transaction(record)

    def _schema_statement(self, statement: str, params: Mapping[str, Any]) -> None:
        """Run one schema statement in its own transaction; a twin created concurrently is fine."""
        try:
            with self._translate(), self._session(write=True) as session:
                session.execute_write(lambda tx: tx.run(statement, dict(params)).consume())
        except StoreError as exc:
            code = getattr(exc.__cause__, "code", "") or ""
            if not code.endswith(
                ("EquivalentSchemaRuleAlreadyExists", "IndexAlreadyExists", "ConstraintAlreadyExists")
            ):
                raise

    def close(self) -> None:
        with self._lifecycle:
            if self._closed:
                return
            self._closed = True
            self._opened = False
            if self._owns_driver and self._driver is not None:
                with contextlib.suppress(Exception):
                    self._driver.close()
            self._driver = None

    # --- plumbing ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _translate(self) -> Iterator[None]:
        """Driver exceptions become graphmem errors here, so nothing above store/ sees neo4j."""
        try:
            yield
        except GraphmemError:
            raise
        except neo4j_errors.AuthError as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} refused the credentials: {exc.message}") from exc
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as exc:
            raise StoreUnavailable(f"lost Neo4j at {self.uri}: {exc}") from exc
        except neo4j_errors.Neo4jError as exc:
            code = exc.code or ""
            message = exc.message or str(exc)
            if "TransactionTimedOut" in code or "Terminated" in code:
                raise QueryError(f"query timed out or was terminated: {message}") from exc
            read_only_refusal = isinstance(exc, neo4j_errors.ForbiddenOnReadOnlyDatabase)
            if code.endswith("Statement.AccessMode") or read_only_refusal:
                raise ReadOnlyViolation(f"read-only Cypher refused a write: {message}") from exc
            if isinstance(exc, neo4j_errors.DatabaseUnavailable):
                raise StoreUnavailable(f"Neo4j database unavailable at {self.uri}: {message}") from exc
            if isinstance(exc, neo4j_errors.TransientError):
                if "Lock" in code or "Deadlock" in code:
                    raise WriteConflict(f"{code}: {message}") from exc
                raise StoreError(f"{code}: {message} (transient: the same call may succeed later)") from exc
            if isinstance(exc, neo4j_errors.ConstraintError):
                raise StoreError(f"{code}: {message}") from exc
            if isinstance(exc, neo4j_errors.ClientError):
                raise QueryError(f"{code}: {message}") from exc
            raise StoreError(f"{code}: {message}") from exc
        except neo4j_errors.DriverError as exc:
            raise StoreError(f"Neo4j driver error: {exc}") from exc

    def _check_open(self) -> None:
        self._open_driver()

    def _open_driver(self) -> neo4j.Driver:
        """The driver of an open store (``_check_open`` that also hands back the driver it checked)."""
        if self._closed:
            raise ClosedError("Cannot use the store, as it has been closed.")
        if not self._opened or self._driver is None:
            raise StoreError("store is not open; call open() first")
        return self._driver

    def _session(self, *, write: bool, quiet: bool = True) -> neo4j.Session:
        driver = self._open_driver()
        config: dict[str, Any] = {
            "database": self.database,
            "default_access_mode": neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS,
            "bookmark_manager": driver.execute_query_bookmark_manager,
            "max_transaction_retry_time": self.retry_time_s,
        }
        if quiet:  # graphmem's own queries: notifications (unknown label on a new database ...) are noise
            config["notifications_min_severity"] = neo4j.NotificationMinimumSeverity.OFF
        return driver.session(**config)

    def _run_on(self, tx: Tx, name: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        query = self.queries[name]
        log.debug("neo4j query %s", name)
        rows: list[dict[str, Any]] = []
        db_params = _to_db(params)
        for statement in query.statements:
            rows = [record.data() for record in tx.run(statement, db_params)]
        return rows

    def _read(self, name: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        with self._translate(), self._session(write=False) as session:
            return session.execute_read(self._run_on, name, params)

    def _transaction(self, work: Callable[[Run], T]) -> T:
        """One managed write transaction: ``work`` may run several named queries, all or nothing."""
        self._check_open()
        with self._translate(), self._session(write=True) as session:
            return session.execute_write(lambda tx: work(lambda name, params: self._run_on(tx, name, params)))

    # --- search ------------------------------------------------------------------------------

    @staticmethod
    def _hits(hits: Sequence[Mapping[str, Any]]) -> list[ScoredId]:
        scored = [ScoredId(str(h["id"]), float(h["score"])) for h in hits]
        return sorted(scored, key=lambda s: (-s.score, s.id))

    def vector_search(
        self, kind: NodeKind, namespace: str, vector: Sequence[float], k: int
    ) -> list[ScoredId]:
        """Top-k by cosine: the native vector index, then an exact scan if other namespaces crowded it."""
        check_kind(kind)
        check_limit(k)
        self._check_open()
        query = [float(x) for x in vector]
        if len(query) != self.dimension:
            raise InvalidInput(f"query vector has {len(query)} dimensions, the store holds {self.dimension}")
        if not all(math.isfinite(x) for x in query):
            raise InvalidInput("query vector holds NaN or infinite values")
        if not any(query):
            return []  # cosine is undefined for the zero vector; Neo4j would refuse it
        name = kind.lower()
        fetch = min(_fetch_size(k), VECTOR_MAX_FETCH)
        params = {"namespace": namespace, "vector": query, "k": k}
        (row,) = self._read(f"vector_search_{name}", {**params, "fetch": fetch})
        if len(row["hits"]) < k and row["seen"] >= fetch:
            return self._hits(self._read(f"vector_scan_{name}", params))
        return self._hits(row["hits"])

    def text_search(self, kind: NodeKind, namespace: str, query: str, k: int) -> list[ScoredId]:
        """Top-k by Lucene relevance over the native full-text index.

        The index spans every namespace; the fetch grows until k hits of this namespace are found,
        the index has no more, or TEXT_MAX_FETCH hits were looked at.
        """
        check_kind(kind)
        check_limit(k)
        self._check_open()
        lucene = lucene_query(query)
        if not lucene:
            return []
        fetch = min(_fetch_size(k), TEXT_MAX_FETCH)
        while True:
            (row,) = self._read(
                f"fulltext_{kind.lower()}", {"namespace": namespace, "query": lucene, "fetch": fetch, "k": k}
            )
            if len(row["hits"]) >= k or row["seen"] < fetch or fetch >= TEXT_MAX_FETCH:
                return self._hits(row["hits"])
            fetch = min(fetch * TEXT_GROWTH, TEXT_MAX_FETCH)

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
        """A user's statement in an auto-commit transaction: READ access mode (the server refuses
        writes there too) unless ``read_only`` is False, a server-side timeout, at most ``limit`` rows."""
        if read_only:
            check_read_only(query)
        check_limit(limit)
        if not timeout_s > 0:
            raise InvalidInput(f"timeout_s must be positive, got {timeout_s!r}")
        self._check_open()
        with self._translate(), self._session(write=not read_only, quiet=False) as session:
            result = session.run(neo4j.Query(query, timeout=timeout_s), _to_db(dict(params or {})))
            return [{k: _from_db(v) for k, v in record.data().items()} for record in result.fetch(limit)]
