"""The HNSW path of the vector index: near-exact recall, exact scores, adds and removals followed."""

from __future__ import annotations

import numpy as np
import pytest

from graphmem.store.vectors import VectorIndex

pytest.importorskip("usearch")

DIM = 32


def _rows(n: int, seed: int) -> list[tuple[str, list[float]]]:
    rng = np.random.default_rng(seed)
    return [(f"n{i}", v.tolist()) for i, v in enumerate(rng.standard_normal((n, DIM)).astype(np.float32))]


def _exact(rows: list[tuple[str, list[float]]], query: np.ndarray, k: int) -> list[str]:
    matrix = np.asarray([v for _, v in rows], dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    scores = matrix @ (query / np.linalg.norm(query))
    return [rows[i][0] for i in np.argsort(-scores)[:k]]


def test_ann_recall_and_scores_against_exact_search() -> None:
    rows = _rows(3000, seed=1)
    ann = VectorIndex(DIM, lambda kind, ns: rows, ann_min_rows=1000)
    exact = VectorIndex(DIM, lambda kind, ns: rows, ann_min_rows=10**9)
    ann.search("Fact", "n", rows[0][1], 1)  # loads the table and starts the build
    assert ann.wait_ready(60)
    assert ann._tables[("Fact", "n")].ann is not None
    queries = np.random.default_rng(2).standard_normal((40, DIM)).astype(np.float32)
    hits = 0
    for query in queries:
        got = ann.search("Fact", "n", query.tolist(), 10)
        want = exact.search("Fact", "n", query.tolist(), 10)
        hits += len({i for i, _ in got} & {i for i, _ in want})
        scores = dict(want)
        for node_id, score in got:  # every returned score is the exact cosine
            if node_id in scores:
                assert score == pytest.approx(scores[node_id], abs=1e-5)
        assert [s for _, s in got] == sorted((s for _, s in got), reverse=True)
    assert hits / (10 * len(queries)) >= 0.95


def test_ann_follows_adds_and_removals() -> None:
    rows = _rows(1500, seed=3)
    index = VectorIndex(DIM, lambda kind, ns: rows, ann_min_rows=1000)
    index.search("Fact", "n", rows[0][1], 1)
    assert index.wait_ready(60)
    fresh = np.random.default_rng(4).standard_normal(DIM).astype(np.float32)
    index.add("Fact", "n", ["new"], [fresh.tolist()])
    assert index.search("Fact", "n", fresh.tolist(), 3)[0][0] == "new"
    index.remove("Fact", "n", ["new", "n7"])
    assert "new" not in {i for i, _ in index.search("Fact", "n", fresh.tolist(), 10)}
    assert "n7" not in {i for i, _ in index.search("Fact", "n", rows[7][1], 10)}
    assert _exact(rows, np.asarray(rows[8][1]), 1) == [index.search("Fact", "n", rows[8][1], 1)[0][0]]
