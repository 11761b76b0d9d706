"""GraphStore.export_part on every backend, and dumps that move a namespace between backends.

Conformance style: the hand-made "family" graph of ``test_conformance.py`` (every record kind, a
superseded fact, NEXT links, DERIVED_FROM to every target kind) plus a SIMILAR edge, written on each
backend (Kuzu always, Neo4j when a server is reachable, else skipped with the reason). A dump of it is
loaded into a fresh embedded store and the other way round; both must give the same bytes back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from test_conformance import DIMENSION, Family, build_family, onehot

from graphmem.dump import dump_lines, load_dump, read_dump
from graphmem.errors import InvalidInput
from graphmem.model import Similar, WriteBatch, entity_id
from graphmem.store.base import EXPORT_PARTS, GraphStore
from graphmem.store.kuzu import KuzuStore

if TYPE_CHECKING:
    from conftest import Backend


@pytest.fixture
def family(backend: Backend) -> Family:
    made = build_family(backend.store, backend.ns("X"))
    similar = Similar(a_id=made.eid("anna"), b_id=made.eid("maria"), score=0.42)
    backend.store.write(WriteBatch(namespace=made.ns, similar=[similar]))
    return made


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[GraphStore]:
    store = KuzuStore(tmp_path / "embedded", buffer_pool_mb=64)
    store.open(dimension=DIMENSION)
    yield store
    store.close()


def test_export_parts_hold_every_record_with_its_embedding(store: GraphStore, family: Family) -> None:
    ns = family.ns
    parts = {part: store.export_part(ns, part) for part in EXPORT_PARTS}
    facts = {f.id: f for f in parts["facts"]}
    assert {k: v.model_copy(update={"embedding": None}) for k, v in facts.items()} == {
        f.id: f for f in family.facts.values()
    }  # superseded facts too, every field as written
    assert facts["f_lisbon"].embedding == onehot(2)
    entities = {e.id: e for e in parts["entities"]}
    assert entities[family.eid("berlin")].embedding == onehot(5)
    assert [s.model_copy(update={"embedding": None}) for s in parts["sessions"]] == [family.session]
    assert [i.id for i in parts["insights"]] == ["i1"] and parts["insights"][0].embedding == onehot(0)
    assert parts["supersedes"] == [family.supersedes]
    assert sorted((n.prev_id, n.next_id) for n in parts["next_links"]) == [("e1", "e2"), ("e2", "e3")]
    assert sorted(d.target_kind for d in parts["derived_from"]) == ["Entity", "Episode", "Fact", "Session"]
    assert [(s.a_id, s.b_id, s.score) for s in parts["similar"]] == [
        (family.eid("anna"), family.eid("maria"), 0.42)
    ]
    counts = store.counts(ns)
    assert len(parts["evidence"]) == counts["EVIDENCED_BY"] and len(parts["mentions"]) == counts["MENTIONS"]
    assert store.export_part(family.ns + "_none", "facts") == []
    with pytest.raises(ValueError, match="unknown export part"):
        store.export_part(ns, "relates")  # type: ignore[arg-type]


def test_dump_moves_a_namespace_between_backends_unchanged(
    backend: Backend, family: Family, embedded: GraphStore
) -> None:
    ns = family.ns
    original = list(dump_lines(backend.store, ns, dimension=DIMENSION))
    load_dump(embedded, read_dump(original), namespace=ns, dimension=DIMENSION)
    assert list(dump_lines(embedded, ns, dimension=DIMENSION)) == original
    assert embedded.counts(ns) == backend.store.counts(ns)  # RELATES and indexes are rebuilt on write

    back = backend.ns("back")  # and into the backend under test, under another namespace
    load_dump(backend.store, read_dump(original), namespace=back, dimension=DIMENSION)
    moved = list(dump_lines(backend.store, back, dimension=DIMENSION))
    # entity ids derive from namespace + key, so the moved entities take the ids `back` gives them
    renames = {
        r["record"]["id"]: entity_id(back, r["record"]["key"])
        for r in map(json.loads, original)
        if r.get("part") == "entities" and r["record"]["id"] == entity_id(ns, r["record"]["key"])
    }
    assert renames, "the family's entities carry namespace-derived ids"

    def moved_line(line: str) -> str:
        line = line.replace(f'"namespace":"{ns}"', f'"namespace":"{back}"')
        for old, new in renames.items():
            line = line.replace(f'"{old}"', f'"{new}"')
        return line

    expected = [moved_line(line) for line in original]
    assert moved[0] == expected[0] and sorted(moved[1:]) == sorted(expected[1:])
    maria = entity_id(back, "maria")
    history = {f.id: f.status for f in backend.store.slot_facts(back, maria, "lives_in")}
    assert history == {"f_paris": "superseded", "f_lisbon": "active"}
    assert [h.id for h in backend.store.vector_search("Fact", back, onehot(2), 1)] == ["f_lisbon"]

    with pytest.raises(InvalidInput, match="already holds data"):
        load_dump(backend.store, read_dump(original), namespace=back, dimension=DIMENSION)
    with pytest.raises(InvalidInput, match="dimensional embeddings"):
        load_dump(embedded, read_dump(original), namespace="other", dimension=DIMENSION + 1)
