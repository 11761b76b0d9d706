"""The derived graph index answers exactly like the store's named queries, and stays in step with it.

A random memory is written in batches into a real Kuzu store whose index is loaded *before* the
writes, so every batch reaches the index through the incremental path (``GraphIndex.apply`` and
``remove``): entity upserts that change aliases and counters, fact updates (status, validity, clears),
evidence, supersession edges, insight links and deleted episodes. Then (1) the incrementally kept
index equals a fresh load from the store, and (2) every read the search path makes, served from the
index, equals the same read run as Cypher against the store (``CypherStore``'s implementation).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from graphmem.model import (
    DerivedFrom,
    Entity,
    Episode,
    Evidence,
    Fact,
    FactStatus,
    FactUpdate,
    Insight,
    Session,
    Supersedes,
    WriteBatch,
    entity_id,
    entity_key,
)
from graphmem.store.kuzu import KuzuStore
from graphmem.store.shared import CypherStore

NS = "g"
DIM = 8
BASE = datetime(2020, 1, 1, tzinfo=UTC)


def _vec(rng: random.Random) -> list[float]:
    return [rng.uniform(-1, 1) for _ in range(DIM)]


def _write_random_memory(store: KuzuStore, seed: int) -> dict[str, list[str]]:
    """Eight batches over 30 entities; returns the ids written by kind."""
    rng = random.Random(seed)
    names = [f"Person {i}" for i in range(30)]
    ids = {n: entity_id(NS, entity_key(n)) for n in names}
    known: set[str] = set()
    facts: list[str] = []
    episodes: list[str] = []
    minute = 0
    for b in range(8):
        store.write(WriteBatch(namespace=NS, sessions=[Session(id=f"s{b}", namespace=NS, started_at=BASE)]))
        ents, new_facts, eps, evidence, updates, sup = [], [], [], [], [], []
        for name in rng.sample(names, 12):
            ents.append(
                Entity(
                    id=ids[name],
                    namespace=NS,
                    name=name,
                    key=entity_key(name),
                    type=rng.choice(["person", "place"]),
                    aliases=rng.sample([f"P{names.index(name)}", f"alias {b}", "shared alias"], 2),
                    mention_count=b + rng.randrange(5),
                    first_seen=BASE,
                    last_seen=BASE + timedelta(days=b),
                    embedding=_vec(rng),
                )
            )
            known.add(name)
        live = [n for n in names if n in known]
        for e in range(4):
            eid = f"b{b}e{e}"
            eps.append(
                Episode(
                    id=eid,
                    namespace=NS,
                    session_id=f"s{b}",
                    seq=e,
                    content=f"episode {eid}",
                    occurred_at=BASE + timedelta(days=b),
                    metadata={"turn": eid, "when": BASE},
                    embedding=_vec(rng),
                )
            )
            episodes.append(eid)
            for _ in range(rng.randint(1, 4)):
                fid = f"f{minute}"
                minute += 1
                literal = rng.random() < 0.25
                start = BASE + timedelta(days=rng.randrange(2000)) if rng.random() < 0.8 else None
                end = start + timedelta(days=rng.randrange(1, 500)) if start and rng.random() < 0.3 else None
                new_facts.append(
                    Fact(
                        id=fid,
                        namespace=NS,
                        subject_id=ids[rng.choice(live)],
                        predicate=rng.choice(["knows", "lives_in", "age"]),
                        object_id=None if literal else ids[rng.choice(live)],
                        object_value=str(rng.randrange(90)) if literal else None,
                        text=f"fact {fid}",
                        status=rng.choice([FactStatus.active] * 3 + [FactStatus.superseded]),
                        valid_from=start,
                        valid_to=end,
                        recorded_at=BASE + timedelta(minutes=minute),
                        embedding=_vec(rng),
                    )
                )
                evidence.append(Evidence(fact_id=fid, episode_id=eid))
                if facts and rng.random() < 0.3:  # a fact reinforced by a later episode
                    evidence.append(Evidence(fact_id=rng.choice(facts), episode_id=eid))
                facts.append(fid)
        for fid in rng.sample(facts[: max(len(facts) - 5, 0)], min(4, max(len(facts) - 5, 0))):
            updates.append(
                rng.choice(
                    [
                        FactUpdate(id=fid, status=FactStatus.retracted, valid_to=BASE + timedelta(days=3000)),
                        FactUpdate(id=fid, status=FactStatus.active, clear_valid_to=True, support=3),
                        FactUpdate(id=fid, access_count=7, utility=0.5),
                    ]
                )
            )
        if len(new_facts) >= 2:
            sup.append(
                Supersedes(
                    new_id=new_facts[-1].id,
                    old_id=new_facts[0].id,
                    reason="test",
                    rule="functional_newer",
                    at=BASE + timedelta(days=b),
                )
            )
        insight = Insight(id=f"i{b}", namespace=NS, text=f"insight {b}", embedding=_vec(rng))
        store.write(
            WriteBatch(
                namespace=NS,
                episodes=eps,
                entities=ents,
                facts=new_facts,
                evidence=evidence,
                fact_updates=updates,
                supersedes=sup,
                insights=[insight],
                derived_from=[
                    DerivedFrom(insight_id=insight.id, target_id=new_facts[0].id, target_kind="Fact"),
                    DerivedFrom(insight_id=insight.id, target_id=eps[0].id, target_kind="Episode"),
                ],
            )
        )
        if b in (3, 6):
            gone = rng.choice(episodes[:-4])
            store.delete_episode(NS, gone)
            episodes.remove(gone)
            alive = CypherStore.get_facts(store, NS, facts)
            facts = [f for f in facts if f in alive]
    return {"facts": facts, "episodes": episodes, "entities": list(ids.values())}


@pytest.fixture(scope="module")
def memory(tmp_path_factory: pytest.TempPathFactory) -> tuple[KuzuStore, dict[str, list[str]]]:
    store = KuzuStore(Path(tmp_path_factory.mktemp("graph-index")) / "s", buffer_pool_mb=128)
    store.open(dimension=DIM)
    assert store.graph_index is not None
    store.graph_index.graph(NS)  # loaded (empty) first: every write below goes through apply/remove
    written = _write_random_memory(store, seed=7)
    yield store, written
    store.close()


def test_incremental_index_equals_a_fresh_load(memory: tuple[KuzuStore, dict[str, list[str]]]) -> None:
    store, _ = memory
    assert store.graph_index is not None
    kept = store.graph_index.graph(NS).snapshot()
    fresh = store.graph_index.fresh(NS).snapshot()
    assert kept["facts"], "the random memory wrote facts"
    for part in fresh:
        assert kept[part] == fresh[part], part


def test_point_reads_match_the_named_queries(memory: tuple[KuzuStore, dict[str, list[str]]]) -> None:
    store, written = memory
    rng = random.Random(1)
    for _ in range(5):
        facts = [*rng.sample(written["facts"], 20), "no-such-fact"]
        episodes = [*rng.sample(written["episodes"], 8), "no-such-episode"]
        entities = rng.sample(written["entities"], 10)
        assert store.get_facts(NS, facts) == CypherStore.get_facts(store, NS, facts)
        assert store.get_episodes(NS, episodes) == CypherStore.get_episodes(store, NS, episodes)
        assert store.get_entities(NS, entities) == CypherStore.get_entities(store, NS, entities)
        assert store.fact_evidence(NS, facts) == CypherStore.fact_evidence(store, NS, facts)
        assert store.episode_facts(NS, episodes) == CypherStore.episode_facts(store, NS, episodes)
        assert store.supersedes(NS, facts) == CypherStore.supersedes(store, NS, facts)
        targets = facts + episodes
        assert store.insights_of(NS, targets) == CypherStore.insights_of(store, NS, targets)
        sub = dict(fact_ids=facts, episode_ids=episodes, entity_ids=entities, insight_ids=["i1", "i2"])
        assert store.subgraph(NS, **sub) == CypherStore.subgraph(store, NS, **sub)
    for subject in rng.sample(written["entities"], 10):
        for predicate in ("knows", "lives_in", "age"):
            for statuses in (None, [FactStatus.active], [FactStatus.superseded, FactStatus.retracted]):
                mine = store.slot_facts(NS, subject, predicate, statuses)
                assert mine == CypherStore.slot_facts(store, NS, subject, predicate, statuses)
    assert store.latest_episode_time(NS) == CypherStore.latest_episode_time(store, NS)
    assert store.latest_episode_time("empty") is None
    keys = ["person 3", "p4", "shared alias", "alias 2", "nobody"]
    mine, theirs = store.find_entities(NS, keys), CypherStore.find_entities(store, NS, keys)
    assert mine.keys() == theirs.keys()
    for key in ("person 3", "p4"):  # unambiguous keys find the same entity
        assert mine[key] == theirs[key]


@pytest.mark.parametrize("direction", ["out", "in", "both"])
@pytest.mark.parametrize("depth", [1, 2, 3])
def test_neighborhood_matches_the_named_queries(
    memory: tuple[KuzuStore, dict[str, list[str]]], direction: str, depth: int
) -> None:
    store, written = memory
    rng = random.Random(depth * 10 + len(direction))
    for trial in range(6):
        start = rng.sample(written["entities"], rng.randint(1, 3))
        options = dict(
            depth=depth,
            direction=direction,
            statuses=rng.choice([None, [FactStatus.active], [FactStatus.superseded, FactStatus.retracted]]),
            as_of=rng.choice([None, BASE + timedelta(days=rng.randrange(2500))]),
            degree_cap=rng.choice([2, 5, 50]),
        )
        mine = store.neighborhood(NS, start, **options)
        theirs = CypherStore.neighborhood(store, NS, start, **options)
        assert mine == theirs, (trial, options)


def test_a_raw_cypher_write_drops_the_index(memory: tuple[KuzuStore, dict[str, list[str]]]) -> None:
    store, written = memory
    fid = written["facts"][-1]
    store.cypher("MATCH (f:Fact {uid: $u}) SET f.text = 'rewritten'", {"u": f"{NS}/{fid}"}, read_only=False)
    assert store.get_facts(NS, [fid])[fid].text == "rewritten"


def test_records_handed_out_are_copies(memory: tuple[KuzuStore, dict[str, list[str]]]) -> None:
    store, written = memory
    fid = written["facts"][0]
    fact = store.get_facts(NS, [fid]).get(fid) or next(iter(store.get_facts(NS, written["facts"]).values()))
    fact.text = "changed by a caller"
    assert store.get_facts(NS, [fact.id])[fact.id].text != "changed by a caller"


def test_adjacency_compaction_keeps_every_edge() -> None:
    from graphmem.store.graph_index import _Adjacency

    adj = _Adjacency()
    rng = np.random.default_rng(0)
    edges = [(int(rng.integers(0, 50)), f) for f in range(10_000)]
    for node, fact in edges:
        adj.add(node, fact)
    expected: dict[int, list[int]] = {}
    for node, fact in edges:
        expected.setdefault(node, []).append(fact)
    assert adj.built > 0 and adj.tail, "both the CSR part and the tail are exercised"
    for node in range(52):
        assert adj.get(node).tolist() == expected.get(node, [])
