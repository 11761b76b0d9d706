"""A derived, in-memory vector index per (node kind, namespace), rebuilt from the store.

The store's embedding columns are the source of truth. This index is filled from them the first
time a namespace is searched and then kept in step by the backend after each committed write, so a
crash can never leave it ahead of the store (it lives in memory) nor silently behind it (it is rebuilt
on open). Search is exact (brute-force cosine on L2-normalised float32 rows) up to ``ann_min_rows``
live rows; a bigger table also gets an HNSW graph (usearch, when installed) that proposes candidates,
whose scores are then computed exactly from the matrix, so only membership can differ from the exact
search (recall is measured by ``graphmem bench scale`` against the flat search in the same run). At
100k x 384 the exact product costs about 10 ms of CPU per query, and a search runs several (facts
twice, episodes, entities); the HNSW look-up costs well under a millisecond.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["ANN_MIN_ROWS", "VectorIndex"]

Loader = Callable[[str, str], Iterable[tuple[str, Sequence[float]]]]
ANN_MIN_ROWS = 20_000
"""Tables with at least this many live rows are searched through an HNSW graph (exact below)."""


def _usearch() -> Any:
    try:
        from usearch.index import Index
    except ImportError:  # pragma: no cover - the ann extra is not installed: exact search only
        return None
    return Index


class _Table:
    __slots__ = ("ann", "building", "ids", "matrix", "positions", "size")

    def __init__(self, dimension: int) -> None:
        self.ids: list[str | None] = []
        self.positions: dict[str, int] = {}
        self.matrix = np.zeros((0, dimension), dtype=np.float32)
        self.size = 0
        self.ann: Any = None
        self.building: threading.Thread | None = None

    def build_ann(self, index_class: Any, lock: threading.RLock) -> None:
        """Build an HNSW graph over a snapshot of the live rows without holding ``lock``, then,
        under it, catch up with the rows added and removed meanwhile and switch searches to it."""
        with lock:
            upto = self.size
            live = np.asarray([p for p in self.positions.values() if p < upto], dtype=np.int64)
            rows = self.matrix[live].copy()
        ann = index_class(
            ndim=self.matrix.shape[1], metric="ip", dtype="f32", connectivity=16, expansion_add=64
        )
        if live.size:
            ann.add(live.astype(np.uint64), rows, threads=0)
        with lock:
            added = [p for p in range(upto, self.size) if self.ids[p] is not None]
            if added:
                ann.add(np.asarray(added, dtype=np.uint64), self.matrix[added])
            for pos in live.tolist():
                if self.ids[pos] is None:
                    ann.remove(pos)
            self.ann = ann

    def add(self, ids: Sequence[str], vectors: npt.NDArray[np.float32]) -> None:
        fresh = [(i, v) for i, v in zip(ids, vectors, strict=True) if i not in self.positions]
        if not fresh:
            return
        need = self.size + len(fresh)
        if need > self.matrix.shape[0]:
            grown = np.zeros((max(need, 2 * self.matrix.shape[0], 256), self.matrix.shape[1]), np.float32)
            grown[: self.size] = self.matrix[: self.size]
            self.matrix = grown
        first = self.size
        for node_id, vector in fresh:
            self.matrix[self.size] = vector
            self.positions[node_id] = self.size
            self.ids.append(node_id)
            self.size += 1
        if self.ann is not None:
            self.ann.add(np.arange(first, self.size, dtype=np.uint64), self.matrix[first : self.size])

    def remove(self, ids: Iterable[str]) -> None:
        for node_id in ids:
            pos = self.positions.pop(node_id, None)
            if pos is not None:
                self.ids[pos] = None
                self.matrix[pos] = 0.0
                if self.ann is not None:
                    self.ann.remove(pos)


def _normalise(vectors: npt.ArrayLike) -> npt.NDArray[np.float32]:
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[None, :]
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    normalised: npt.NDArray[np.float32] = arr / norms
    return normalised


class VectorIndex:
    """Exact cosine search over the embeddings of one store, loaded lazily per (kind, namespace)."""

    def __init__(self, dimension: int, loader: Loader, *, ann_min_rows: int = ANN_MIN_ROWS) -> None:
        self.dimension = dimension
        self.ann_min_rows = ann_min_rows
        self._index_class = _usearch()
        self._loader = loader
        self._tables: dict[tuple[str, str], _Table] = {}
        self._lock = threading.RLock()

    def _table(self, kind: str, namespace: str) -> _Table:
        key = (kind, namespace)
        table = self._tables.get(key)
        if table is None:
            table = _Table(self.dimension)
            rows = list(self._loader(kind, namespace))
            if rows:
                table.add([r[0] for r in rows], _normalise([r[1] for r in rows]))
            self._tables[key] = table
        self._maybe_ann(table)
        return table

    def _maybe_ann(self, table: _Table) -> None:
        """Start building the HNSW graph of a table that grew big enough; searches stay exact until
        it is ready (a background thread, so no search waits for the build)."""
        if (
            table.ann is None
            and table.building is None
            and self._index_class is not None
            and len(table.positions) >= self.ann_min_rows
        ):
            table.building = threading.Thread(
                target=table.build_ann, args=(self._index_class, self._lock), name="graphmem-ann", daemon=True
            )
            table.building.start()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Wait for every HNSW graph being built (benchmarks measure searches after it)."""
        with self._lock:
            threads = [t.building for t in self._tables.values() if t.building is not None]
        for thread in threads:
            thread.join(timeout)
        return not any(t.is_alive() for t in threads)

    def add(self, kind: str, namespace: str, ids: Sequence[str], vectors: Sequence[Sequence[float]]) -> None:
        """Record committed embeddings; ignored until the namespace is first searched (then loaded)."""
        with self._lock:
            table = self._tables.get((kind, namespace))
            if table is not None and ids:
                table.add(ids, _normalise(vectors))
                self._maybe_ann(table)

    def remove(self, kind: str, namespace: str, ids: Iterable[str]) -> None:
        with self._lock:
            table = self._tables.get((kind, namespace))
            if table is not None:
                table.remove(ids)

    def drop_namespace(self, namespace: str) -> None:
        with self._lock:
            for key in [k for k in self._tables if k[1] == namespace]:
                del self._tables[key]

    def namespace_bytes(self, namespace: str) -> int:
        """Memory the namespace's tables hold (matrix, HNSW graph estimate, ids), for the budget."""
        with self._lock:
            tables = [t for (_, ns), t in self._tables.items() if ns == namespace]
            return sum(t.matrix.nbytes * (2 if t.ann is not None else 1) + 120 * len(t.ids) for t in tables)

    def search(self, kind: str, namespace: str, vector: Sequence[float], k: int) -> list[tuple[str, float]]:
        with self._lock:
            table = self._table(kind, namespace)
            if table.size == 0:
                return []
            query = _normalise(vector)[0]
            if query.shape[0] != self.dimension:
                raise ValueError(f"query vector has {query.shape[0]} dimensions, index has {self.dimension}")
            if table.ann is not None and k < len(table.positions) // 4:
                return self._search_ann(table, query, k)
            scores = table.matrix[: table.size] @ query
            live = len(table.positions)
            take = min(k + (table.size - live), table.size)
            top = np.argpartition(-scores, take - 1)[:take] if take < table.size else np.arange(table.size)
            # equal scores (the same text twice, float noise) rank by id, so the order never depends
            # on where a row sits in the matrix (an index caught up after commits vs one loaded fresh)
            ranked = sorted(top.tolist(), key=lambda i: (-round(float(scores[i]), 6), table.ids[i] or ""))
            out: list[tuple[str, float]] = []
            for pos in ranked:
                node_id = table.ids[pos]
                if node_id is not None:
                    out.append((node_id, float(scores[pos])))
                    if len(out) == k:
                        break
            return out

    @staticmethod
    def _search_ann(table: _Table, query: npt.NDArray[np.float32], k: int) -> list[tuple[str, float]]:
        """HNSW candidates (the beam at least twice k), scored exactly from the matrix."""
        table.ann.expansion_search = max(64, 2 * k)
        matches = table.ann.search(query, k)
        keys = np.asarray(matches.keys, dtype=np.int64)
        scores = table.matrix[keys] @ query
        order = sorted(
            range(len(keys)), key=lambda i: (-round(float(scores[i]), 6), table.ids[int(keys[i])] or "")
        )
        out: list[tuple[str, float]] = []
        for i in order:
            node_id = table.ids[int(keys[i])]
            if node_id is not None:
                out.append((node_id, float(scores[i])))
        return out[:k]
