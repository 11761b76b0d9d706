"""A derived, in-memory vector index per (node kind, namespace), rebuilt from the store.

The store's embedding columns are the source of truth. This index is filled from them the first
time a namespace is searched and then kept in step by the backend after each committed write, so a
crash can never leave it ahead of the store (it lives in memory) nor silently behind it (it is rebuilt
on open). Search is exact (brute-force cosine on L2-normalised float32 rows): at 100k rows one query
is a 100k x 384 matrix-vector product, a few milliseconds, with recall 1.0.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["VectorIndex"]

Loader = Callable[[str, str], Iterable[tuple[str, Sequence[float]]]]


class _Table:
    __slots__ = ("ids", "matrix", "positions", "size")

    def __init__(self, dimension: int) -> None:
        self.ids: list[str | None] = []
        self.positions: dict[str, int] = {}
        self.matrix = np.zeros((0, dimension), dtype=np.float32)
        self.size = 0

    def add(self, ids: Sequence[str], vectors: npt.NDArray[np.float32]) -> None:
        fresh = [(i, v) for i, v in zip(ids, vectors, strict=True) if i not in self.positions]
        if not fresh:
            return
        need = self.size + len(fresh)
        if need > self.matrix.shape[0]:
            grown = np.zeros((max(need, 2 * self.matrix.shape[0], 256), self.matrix.shape[1]), np.float32)
            grown[: self.size] = self.matrix[: self.size]
            self.matrix = grown
        for node_id, vector in fresh:
            self.matrix[self.size] = vector
            self.positions[node_id] = self.size
            self.ids.append(node_id)
            self.size += 1

    def remove(self, ids: Iterable[str]) -> None:
        for node_id in ids:
            pos = self.positions.pop(node_id, None)
            if pos is not None:
                self.ids[pos] = None
                self.matrix[pos] = 0.0


def _normalise(vectors: npt.ArrayLike) -> npt.NDArray[np.float32]:
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[None, :]
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return arr / norms


class VectorIndex:
    """Exact cosine search over the embeddings of one store, loaded lazily per (kind, namespace)."""

    def __init__(self, dimension: int, loader: Loader) -> None:
        self.dimension = dimension
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
        return table

    def add(self, kind: str, namespace: str, ids: Sequence[str], vectors: Sequence[Sequence[float]]) -> None:
        """Record committed embeddings; ignored until the namespace is first searched (then loaded)."""
        with self._lock:
            table = self._tables.get((kind, namespace))
            if table is not None and ids:
                table.add(ids, _normalise(vectors))

    def remove(self, kind: str, namespace: str, ids: Iterable[str]) -> None:
        with self._lock:
            table = self._tables.get((kind, namespace))
            if table is not None:
                table.remove(ids)

    def drop_namespace(self, namespace: str) -> None:
        with self._lock:
            for key in [k for k in self._tables if k[1] == namespace]:
                del self._tables[key]

    def search(self, kind: str, namespace: str, vector: Sequence[float], k: int) -> list[tuple[str, float]]:
        with self._lock:
            table = self._table(kind, namespace)
            if table.size == 0:
                return []
            query = _normalise(vector)[0]
            if query.shape[0] != self.dimension:
                raise ValueError(f"query vector has {query.shape[0]} dimensions, index has {self.dimension}")
            scores = table.matrix[: table.size] @ query
            live = len(table.positions)
            take = min(k + (table.size - live), table.size)
            top = np.argpartition(-scores, take - 1)[:take] if take < table.size else np.arange(table.size)
            ranked = sorted(top.tolist(), key=lambda i: -scores[i])
            out: list[tuple[str, float]] = []
            for pos in ranked:
                node_id = table.ids[pos]
                if node_id is not None:
                    out.append((node_id, float(scores[pos])))
                    if len(out) == k:
                        break
            return out
