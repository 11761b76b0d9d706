"""A memory budget for the derived in-memory indexes, evicting least-recently-used namespaces.

The embedded store keeps three derived indexes per namespace (vectors, BM25 postings, the graph
index), each loaded on first use and, until this module, never let go: a server that searched 1,000
small namespaces once each grew by 118 MB and kept it. Each index reports what a namespace costs
it (``namespace_bytes``) and can forget one (``drop_namespace``: the next use reloads it from the
store, which stays the source of truth). :class:`IndexBudget` remembers the order namespaces were
used in and, when their estimated total exceeds the budget (``GRAPHMEM_INDEX_BUDGET_MB``), drops the
least recently used ones from every index, never the namespace in use.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol

__all__ = ["IndexBudget", "NamespaceIndex"]


class NamespaceIndex(Protocol):
    """A derived index held per namespace."""

    def namespace_bytes(self, namespace: str) -> int: ...

    def drop_namespace(self, namespace: str) -> None: ...


class IndexBudget:
    """LRU over namespaces, across every derived index, within ``budget_bytes``."""

    def __init__(self, budget_bytes: int, indexes: Sequence[NamespaceIndex]) -> None:
        if budget_bytes < 1:
            raise ValueError("the index budget must be positive")
        self.budget_bytes = budget_bytes
        self.indexes = list(indexes)
        self._sizes: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()
        self.evicted = 0
        """Namespaces dropped so far (for benches and tests)."""

    @property
    def used_bytes(self) -> int:
        return sum(self._sizes.values())

    def resident(self) -> list[str]:
        """Namespaces held, least recently used first."""
        with self._lock:
            return list(self._sizes)

    def touch(self, namespace: str) -> None:
        """``namespace`` was just used: make it the most recent, re-measure it, evict over budget."""
        size = sum(index.namespace_bytes(namespace) for index in self.indexes)
        with self._lock:
            self._sizes[namespace] = size
            self._sizes.move_to_end(namespace)
            victims: list[str] = []
            total = sum(self._sizes.values())
            while total > self.budget_bytes and len(self._sizes) > 1:
                oldest, cost = self._sizes.popitem(last=False)
                victims.append(oldest)
                total -= cost
            self.evicted += len(victims)
        for victim in victims:
            for index in self.indexes:
                index.drop_namespace(victim)

    def forget(self, namespace: str) -> None:
        """The namespace was deleted or dropped elsewhere: stop counting it."""
        with self._lock:
            self._sizes.pop(namespace, None)
