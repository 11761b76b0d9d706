"""The bulk loader writes exactly what ``write`` writes, all or nothing, and falls back when it must."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from graphmem.errors import StoreError
from graphmem.model import (
    Entity,
    Episode,
    Evidence,
    Fact,
    FactStatus,
    FactUpdate,
    Mention,
    NextLink,
    Session,
    Supersedes,
    WriteBatch,
)
from graphmem.store.bulk import csv_tables
from graphmem.store.kuzu import KuzuStore
from graphmem.store.shared import CypherStore

NS = "bulk"
DIM = 4
T0 = datetime(2024, 5, 1, 12, 30, 15, 123456, tzinfo=UTC)


def _batch(tag: str = "") -> WriteBatch:
    """Awkward text on purpose: quotes, commas, backslashes, newlines, unicode, empty strings."""
    vec = [0.1, -0.25, 0.5, 1.0 / 3.0]
    people = [
        Entity(
            id=f"p{i}{tag}",
            namespace=NS,
            name=name,
            key=f"{name.lower()}{tag}",
            type="person",
            aliases=aliases,
            summary="" if i else 'she said "hi", then left\\',
            mention_count=i,
            first_seen=T0,
            last_seen=T0 + timedelta(days=i),
            embedding=vec,
        )
        for i, (name, aliases) in enumerate(
            [("Zoë Ångström", ["Zoe", "Z A"]), ("Bob", []), ("Émile", ["Em"])]
        )
    ]
    episodes = [
        Episode(
            id=f"e{i}{tag}",
            namespace=NS,
            session_id=f"s{tag}",
            seq=i,
            speaker="" if i == 2 else "Zoë",
            content=text,
            occurred_at=T0 + timedelta(minutes=i),
            metadata={"dia_id": f"D1:{i}", "note": 'a "quoted", value\nwith a newline'},
            embedding=vec,
        )
        for i, text in enumerate(
            ['I moved to "Lisbon", finally.', "Line one\nline two, with a \\ slash", "ok"]
        )
    ]
    facts = [
        Fact(
            id=f"f0{tag}",
            namespace=NS,
            subject_id=people[0].id,
            predicate="knows",
            object_id=people[1].id,
            text='Zoë knows "Bob"',
            valid_from=T0,
            recorded_at=T0,
            embedding=vec,
        ),
        Fact(
            id=f"f1{tag}",
            namespace=NS,
            subject_id=people[0].id,
            predicate="age",
            object_value="34",
            text="Zoë is 34",
            status=FactStatus.superseded,
            valid_from=T0,
            valid_to=T0 + timedelta(days=3),
            recorded_at=T0 + timedelta(seconds=1),
            invalidated_at=T0 + timedelta(days=3),
            confidence=0.55,
            embedding=vec,
        ),
        Fact(
            id=f"f2{tag}",
            namespace=NS,
            subject_id=people[0].id,
            predicate="age",
            object_value="35",
            text="Zoë is 35",
            recorded_at=T0 + timedelta(seconds=2),
            embedding=vec,
        ),
    ]
    return WriteBatch(
        namespace=NS,
        sessions=[Session(id=f"s{tag}", namespace=NS, title="first", started_at=T0)],
        episodes=episodes,
        entities=people,
        facts=facts,
        evidence=[
            Evidence(fact_id=facts[0].id, episode_id=episodes[0].id),
            Evidence(fact_id=facts[0].id, episode_id=episodes[0].id),  # a repeat is one edge
            Evidence(fact_id=facts[1].id, episode_id=episodes[1].id),
            Evidence(fact_id=facts[2].id, episode_id=episodes[2].id),
        ],
        mentions=[Mention(episode_id=e.id, entity_id=people[0].id) for e in episodes],
        next_links=[NextLink(prev_id=episodes[0].id, next_id=episodes[1].id)],
        supersedes=[
            Supersedes(new_id=facts[2].id, old_id=facts[1].id, reason="older", rule="functional_newer", at=T0)
        ],
    )


def _open(path: Path) -> KuzuStore:
    store = KuzuStore(path, buffer_pool_mb=64)
    store.open(dimension=DIM)
    return store


def test_bulk_write_stores_what_write_stores(tmp_path: Path) -> None:
    normal, bulk = _open(tmp_path / "normal"), _open(tmp_path / "bulk")
    try:
        batch = _batch()
        normal.write(batch)
        bulk.bulk_write(batch)
        assert normal.counts(NS) == bulk.counts(NS)
        assert normal.graph_index is not None and bulk.graph_index is not None
        written, loaded = normal.graph_index.fresh(NS).snapshot(), bulk.graph_index.fresh(NS).snapshot()
        for part in written:
            assert written[part] == loaded[part], part
        # what the bulk store's index was told after the commit equals what it loads from disk
        kept = bulk.graph_index.graph(NS).snapshot()
        assert all(kept[p] == loaded[p] for p in loaded)
        ids = ["f0", "f1", "f2"]
        assert CypherStore.get_facts(bulk, NS, ids) == CypherStore.get_facts(normal, NS, ids)
        assert bulk.vector_search("Fact", NS, [0.1, -0.25, 0.5, 0.3], 5) == normal.vector_search(
            "Fact", NS, [0.1, -0.25, 0.5, 0.3], 5
        )
        assert [h.id for h in bulk.text_search("Episode", NS, "lisbon", 5)] == ["e0"]
        assert bulk.session_episodes(NS, "s") == normal.session_episodes(NS, "s")
        assert bulk.last_episode(NS, "s") == normal.last_episode(NS, "s")
    finally:
        normal.close()
        bulk.close()


def test_bulk_write_is_all_or_nothing(tmp_path: Path) -> None:
    store = _open(tmp_path / "s")
    try:
        store.bulk_write(_batch())
        before = store.counts(NS)
        again = _batch()  # every id but one exists already
        again.episodes[0] = again.episodes[0].model_copy(update={"id": "fresh-episode"})
        with pytest.raises(StoreError, match="exists already"):
            store.bulk_write(again)
        assert store.counts(NS) == before
        assert store.get_episodes(NS, ["fresh-episode"]) == {}
        dangling = _batch("-x")
        dangling.evidence.append(Evidence(fact_id="f0-x", episode_id="no-such-episode"))
        with pytest.raises(StoreError, match="no-such-episode"):
            store.bulk_write(dangling)
        # refused before any COPY ran: a failed rel COPY rolled back would empty the rel tables
        assert store.counts(NS) == before
    finally:
        store.close()


def test_batches_copy_cannot_carry_fall_back_to_write(tmp_path: Path) -> None:
    updates = WriteBatch(namespace=NS, fact_updates=[FactUpdate(id="f0", support=4)])
    assert csv_tables(updates) is None
    awkward = _batch()
    awkward.entities[0] = awkward.entities[0].model_copy(update={"aliases": ["Zoe, the second"]})
    assert csv_tables(awkward) is None
    store = _open(tmp_path / "s")
    try:
        store.bulk_write(awkward)
        store.bulk_write(updates)
        assert store.get_entities(NS, ["p0"])["p0"].aliases == ["Zoe, the second"]
        assert store.get_facts(NS, ["f0"])["f0"].support == 4
    finally:
        store.close()
