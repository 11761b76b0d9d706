"""The one exception hierarchy of graphmem.

Every error a caller can see derives from :class:`GraphmemError`; driver errors (kuzu, neo4j) are
translated at the ``store/`` boundary so nothing above it ever sees a database exception::

    GraphmemError
    +-- InvalidInput            bad argument or payload: nothing was changed
    +-- NotFound                an id that does not exist in the namespace
    +-- NamespaceForbidden      the caller may not see that namespace (REST keys)
    +-- ReadOnlyViolation       a write or admin statement sent to read-only Cypher
    +-- ClosedError             the Memory / store was used after close()
    +-- StoreError              the database failed
        +-- StoreUnavailable    cannot connect / open (server down, directory locked)
        +-- SchemaMismatch      the store was created with another embedding dimension or schema
        +-- WriteConflict       a concurrent write could not be serialised
        +-- QueryError          a Cypher statement failed (syntax, timeout, runtime)
"""

from __future__ import annotations

__all__ = [
    "ClosedError",
    "ExtractionWarning",
    "GraphmemError",
    "InvalidInput",
    "NamespaceForbidden",
    "NotFound",
    "QueryError",
    "ReadOnlyViolation",
    "SchemaMismatch",
    "StoreError",
    "StoreUnavailable",
    "WriteConflict",
]


class GraphmemError(Exception):
    """Base of every graphmem error."""


class ExtractionWarning(UserWarning):
    """Extraction of some items failed: their episodes were stored without facts (see AddResult)."""


class InvalidInput(GraphmemError, ValueError):
    """A bad argument or payload; the store was not changed."""


class NotFound(GraphmemError, KeyError):
    """An id that does not exist in the namespace."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else "not found"


class NamespaceForbidden(GraphmemError, PermissionError):
    """The caller may not read or write that namespace."""


class ReadOnlyViolation(GraphmemError, PermissionError):
    """A statement that writes or administers was sent to read-only Cypher."""


class ClosedError(GraphmemError, RuntimeError):
    """The Memory or store was used after it was closed."""


class StoreError(GraphmemError):
    """The database failed."""


class StoreUnavailable(StoreError):
    """The database cannot be reached or opened."""


class SchemaMismatch(StoreError):
    """The store was created with another embedding dimension or schema version."""


class WriteConflict(StoreError):
    """A concurrent write could not be serialised."""


class QueryError(StoreError):
    """A Cypher statement failed (syntax, timeout, runtime error)."""
