"""The derived indexes stay within their memory budget: least recently searched namespaces are dropped
from every index (vectors, full text, graph) and reloaded from the store, unchanged, on their next use."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from graphmem.model import Entity, WriteBatch, entity_id, entity_key
from graphmem.store.index_budget import IndexBudget
from graphmem.store.kuzu import KuzuStore

DIM = 64
PER_NAMESPACE = 1500  # 1,500 x 64 floats: ~0.4 MB of vectors, ~0.6 MB with postings and records
NOW = datetime(2024, 1, 1, tzinfo=UTC)


def _fill(store: KuzuStore, namespace: str, rng: random.Random) -> None:
    names = [f"{namespace} person {i}" for i in range(PER_NAMESPACE)]
    store.write(
        WriteBatch(
            namespace=namespace,
            entities=[
                Entity(
                    id=entity_id(namespace, entity_key(n)),
                    namespace=namespace,
                    name=n,
                    key=entity_key(n),
                    first_seen=NOW,
                    last_seen=NOW,
                    embedding=[rng.uniform(-1, 1) for _ in range(DIM)],
                )
                for n in names
            ],
        )
    )


@pytest.fixture()
def store(tmp_path: Path) -> KuzuStore:
    store = KuzuStore(tmp_path / "db", index_budget_mb=1)
    store.open(dimension=DIM)
    rng = random.Random(7)
    for namespace in ("a", "b", "c"):
        _fill(store, namespace, rng)
    yield store
    store.close()


def _search(store: KuzuStore, namespace: str) -> tuple[list[str], list[str]]:
    vector = [1.0] * DIM
    return (
        [s.id for s in store.vector_search("Entity", namespace, vector, 5)],
        [s.id for s in store.text_search("Entity", namespace, "person 7", 5)],
    )


def test_least_recently_used_namespaces_are_evicted_and_reload_unchanged(store: KuzuStore) -> None:
    budget = store.index_budget
    assert budget is not None and budget.budget_bytes == 1 << 20
    first = _search(store, "a")
    assert store.vectors is not None and store.vectors.namespace_bytes("a") > 0
    _search(store, "b")
    _search(store, "c")
    assert budget.used_bytes <= budget.budget_bytes or budget.resident() == ["c"]
    assert "a" not in budget.resident() and budget.evicted >= 1
    assert store.vectors.namespace_bytes("a") == 0 and store.lexical is not None
    assert store.lexical.namespace_bytes("a") == 0
    assert _search(store, "a") == first  # reloaded from the store, same answers
    assert budget.resident()[-1] == "a"


def test_the_namespace_in_use_is_never_evicted_even_over_budget(store: KuzuStore) -> None:
    budget = store.index_budget
    assert budget is not None
    _search(store, "a")
    budget.budget_bytes = 1  # smaller than any namespace
    assert _search(store, "b")[0]
    assert budget.resident() == ["b"] and store.vectors is not None
    assert store.vectors.namespace_bytes("b") > 0 and store.vectors.namespace_bytes("a") == 0
    with pytest.raises(ValueError):
        IndexBudget(0, [store.vectors])
