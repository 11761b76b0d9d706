"""``MemoryAPI``: the calls every way of reaching a memory shares, as one typed Protocol.

graphmem is reached in-process (:class:`graphmem.memory.Memory`), awaited
(:class:`graphmem.memory.AsyncMemory`, generated from ``Memory``) and over HTTP
(:class:`graphmem.remote.RemoteMemory`, what ``graphmem --server URL`` uses). Code written against
``MemoryAPI`` runs on ``Memory`` and ``RemoteMemory`` alike; mypy proves both satisfy it (the
``TYPE_CHECKING`` block below) and tests/test_api_parity.py checks names, parameters and defaults of
all three at run time, so the HTTP client cannot drift from the SDK again (its ``search`` once took no
``namespace``).

Only what the REST API can carry is here: ``Memory`` has more methods (sessions, insights, ...) and a
few parameters the server does not take (``now`` on search/explain, ``read_only`` on cypher: the server
runs read-only Cypher only); those are Memory's alone, listed in the parity test with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, Self

if TYPE_CHECKING:
    from graphmem.retrieve.plan import Plan
    from graphmem.retrieve.results import SearchResult
    from graphmem.views import AddResult, EntityView, FactView, HistoryEntry, Stats

__all__ = ["MemoryAPI"]


class MemoryAPI(Protocol):
    """Remember, recall and inspect one memory; ``namespace=None`` means the instance's default."""

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    def add(
        self,
        content: str | Mapping[str, Any],
        *,
        speaker: str | None = None,
        role: str | None = None,
        session: str | None = None,
        timestamp: datetime | str | None = None,
        namespace: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        id: str | None = None,
        source: str | None = None,
        trust: str | None = None,
    ) -> AddResult: ...

    def add_many(
        self,
        items: Iterable[str | Mapping[str, Any]],
        *,
        namespace: str | None = None,
        batch_size: int | None = None,
        progress: bool = False,
    ) -> AddResult: ...

    def search(
        self,
        query: str,
        *,
        namespace: str | None = None,
        k: int = 10,
        as_of: datetime | str | None = None,
        include_quarantined: bool = False,
    ) -> SearchResult: ...

    def explain(
        self, query: str, *, namespace: str | None = None, as_of: datetime | str | None = None
    ) -> Plan: ...

    def facts(
        self,
        *,
        namespace: str | None = None,
        subject: str | None = None,
        predicate: str | None = None,
        as_of: datetime | str | None = None,
        include_history: bool = False,
        skip: int = 0,
        limit: int = 100,
    ) -> list[FactView]: ...

    def history(
        self,
        *,
        namespace: str | None = None,
        subject: str | None = None,
        predicate: str | None = None,
        fact_id: str | None = None,
    ) -> list[HistoryEntry]: ...

    def entity(self, name_or_id: str, *, namespace: str | None = None) -> EntityView: ...

    def cypher(
        self, query: str, params: Mapping[str, Any] | None = None, *, limit: int | None = None
    ) -> list[dict[str, Any]]: ...

    def stats(self, *, namespace: str | None = None, all_namespaces: bool = False) -> Stats: ...

    def forget(
        self, *, namespace: str | None = None, episode_id: str | None = None, everything: bool = False
    ) -> dict[str, int]: ...

    def undo_reconcile(self, fact_id: str, *, namespace: str | None = None) -> list[HistoryEntry]: ...


if TYPE_CHECKING:  # checked by mypy, never run: both implementations satisfy the protocol
    from graphmem.memory import Memory
    from graphmem.remote import RemoteMemory

    def _implementations(memory: Memory, remote: RemoteMemory) -> list[MemoryAPI]:
        return [memory, remote]
