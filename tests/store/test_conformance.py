"""The backend conformance suite: everything the GraphStore protocol promises, on every backend.

Each test builds a small hand-made graph through ``store.write`` and checks the reads against values
worked out by hand. Vectors are 8-dimensional and hand-made so similarities are exact; texts are short
so BM25 orders are obvious. The same tests run on Kuzu and Neo4j (see ``conftest.py``); where a
backend falls short of the protocol, the test says which promise is broken rather than bending to it.

The "family" graph used by most tests (one namespace)::

    e1 (2020-03) "I moved to Paris"      -> f_paris  maria -lives_in-> paris   (superseded 2023-06)
                                         -> f_age    maria age "34"           (also evidenced by e2)
    e2 (2023-06) "Lisbon with sister"    -> f_lisbon maria -lives_in-> lisbon  SUPERSEDES f_paris
                                         -> f_sister maria -sister-> anna
    e3 (2024-01) "Anna works at Acme"    -> f_acme   anna -works_at-> acme
                                         -> f_acme_in acme -located_in-> berlin
    i1 "profile" DERIVED_FROM f_lisbon, e2, maria, s1;   NEXT e1 -> e2 -> e3 in session s1
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
from pydantic import BaseModel

from graphmem.errors import ClosedError, GraphmemError, NotFound, ReadOnlyViolation, SchemaMismatch
from graphmem.model import (
    DerivedFrom,
    Entity,
    Episode,
    Evidence,
    Fact,
    FactStatus,
    FactUpdate,
    Insight,
    Mention,
    NextLink,
    Role,
    Session,
    Similar,
    Subgraph,
    Supersedes,
    WriteBatch,
    entity_id,
    entity_key,
)
from graphmem.store.base import GraphStore

if TYPE_CHECKING:
    from conftest import Backend

DIMENSION = 8  # the dimension conftest opens every store with (a mismatch fails loudly: ValueError)
KINDS = ("Episode", "Entity", "Fact", "Insight", "Session")
R = TypeVar("R", bound=BaseModel)
ALL = 50  # a k larger than any test graph, so a leak cannot hide below the cut


def at(text: str) -> datetime:
    """'2024-01-01T00:00:03' -> aware UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def onehot(i: int, scale: float = 1.0) -> list[float]:
    vec = [0.0] * DIMENSION
    vec[i % DIMENSION] = scale
    return vec


def angled(degrees: float, scale: float = 1.0) -> list[float]:
    """A vector at ``degrees`` from axis 0 in the plane of axes 0 and 1: cosine to axis 0 is known."""
    vec = [0.0] * DIMENSION
    vec[0] = scale * math.cos(math.radians(degrees))
    vec[1] = scale * math.sin(math.radians(degrees))
    return vec


NEW_YEAR = datetime(2024, 1, 1, tzinfo=UTC)


def entity(
    namespace: str,
    name: str,
    *,
    type_: str = "concept",
    aliases: Iterable[str] = (),
    seen: datetime = NEW_YEAR,
    vec: list[float] | None = None,
    mentions: int = 1,
) -> Entity:
    key = entity_key(name)
    return Entity(
        id=entity_id(namespace, key),
        namespace=namespace,
        name=name,
        key=key,
        type=type_,
        aliases=list(aliases),
        mention_count=mentions,
        first_seen=seen,
        last_seen=seen,
        embedding=vec,
    )


def bare(record: R) -> R:
    """The record as a read returns it: reads never carry embeddings (they are large and write-only)."""
    return record.model_copy(update={"embedding": None})


def ids(records: Iterable[Any]) -> set[str]:
    return {r.id for r in records}


# --- the family graph -------------------------------------------------------------------------


@dataclass
class Family:
    """What was written, in its final expected state (after batch 2's update of f_paris)."""

    ns: str
    session: Session
    episodes: dict[str, Episode]
    entities: dict[str, Entity]
    facts: dict[str, Fact]
    insight: Insight
    supersedes: Supersedes

    def eid(self, name: str) -> str:
        return self.entities[name].id


def build_family(store: GraphStore, ns: str, marker: str = "") -> Family:
    """Write the family graph into ``ns`` in three batches; ``marker`` makes its texts distinguishable."""
    s1 = Session(
        id="s1",
        namespace=ns,
        title=f"Moving house{marker}",
        started_at=at("2020-03-01T09:00:00"),
        embedding=onehot(0),
    )
    e1 = Episode(
        id="e1",
        namespace=ns,
        session_id="s1",
        seq=0,
        speaker="Maria",
        role=Role.user,
        content=f"I moved to Paris in 2020.{marker}",
        occurred_at=datetime(2020, 3, 1, 11, 0, tzinfo=timezone(timedelta(hours=2))),
        ingested_at=at("2024-01-01T00:00:01"),
        source="chat",
        metadata={"lang": "en", "tags": ["move", 1], "nested": {"a": None, "b": 2.5}, "text": "café ✓"},
        embedding=onehot(0),
    )
    maria = entity(ns, "Maria", type_="person", aliases=["Mia"], seen=e1.occurred_at, vec=onehot(0))
    paris = entity(ns, "Paris", type_="place", seen=e1.occurred_at, vec=onehot(1))
    f_paris = Fact(
        id="f_paris",
        namespace=ns,
        subject_id=maria.id,
        predicate="lives_in",
        predicate_raw="moved to",
        object_id=paris.id,
        text=f"Maria lives in Paris{marker}",
        valid_from=at("2020-03-01T00:00:00"),
        recorded_at=at("2024-01-01T00:00:01"),
        confidence=0.9,
        embedding=onehot(0),
    )
    f_age = Fact(
        id="f_age",
        namespace=ns,
        subject_id=maria.id,
        predicate="age",
        object_value="34",
        text=f"Maria is 34 years old{marker}",
        recorded_at=at("2024-01-01T00:00:02"),
        embedding=onehot(1),
    )
    store.write(
        WriteBatch(
            namespace=ns,
            sessions=[s1],
            episodes=[e1],
            entities=[maria, paris],
            facts=[f_paris, f_age],
            evidence=[
                Evidence(fact_id="f_paris", episode_id="e1"),
                Evidence(fact_id="f_age", episode_id="e1"),
            ],
            mentions=[
                Mention(episode_id="e1", entity_id=maria.id),
                Mention(episode_id="e1", entity_id=paris.id),
            ],
        )
    )

    e2 = Episode(
        id="e2",
        namespace=ns,
        session_id="s1",
        seq=1,
        speaker="Maria",
        content=f"Now I live in Lisbon with my sister Anna.{marker}",
        occurred_at=at("2023-06-01T10:00:00"),
        ingested_at=at("2024-01-01T00:00:03"),
        embedding=onehot(1),
    )
    maria2 = entity(
        ns, "Maria", type_="person", aliases=["Mia"], seen=e2.occurred_at, vec=onehot(0), mentions=2
    )
    maria2 = maria2.model_copy(update={"first_seen": maria.first_seen})
    lisbon = entity(ns, "Lisbon", type_="place", aliases=["Lisboa"], seen=e2.occurred_at, vec=onehot(2))
    anna = entity(ns, "Anna", type_="person", seen=e2.occurred_at, vec=onehot(3))
    f_lisbon = Fact(
        id="f_lisbon",
        namespace=ns,
        subject_id=maria.id,
        predicate="lives_in",
        object_id=lisbon.id,
        text=f"Maria lives in Lisbon{marker}",
        valid_from=at("2023-06-01T00:00:00"),
        recorded_at=at("2024-01-01T00:00:03"),
        embedding=onehot(2),
    )
    f_sister = Fact(
        id="f_sister",
        namespace=ns,
        subject_id=maria.id,
        predicate="sister",
        object_id=anna.id,
        text=f"Anna is the sister of Maria{marker}",
        recorded_at=at("2024-01-01T00:00:04"),
        embedding=onehot(3),
    )
    closed = FactUpdate(
        id="f_paris",
        status=FactStatus.superseded,
        valid_to=at("2023-06-01T00:00:00"),
        invalidated_at=at("2024-01-01T00:00:03"),
    )
    sup = Supersedes(
        new_id="f_lisbon",
        old_id="f_paris",
        reason="moved to Lisbon",
        rule="functional",
        at=at("2024-01-01T00:00:03"),
    )
    store.write(
        WriteBatch(
            namespace=ns,
            episodes=[e2],
            entities=[maria2, lisbon, anna],
            facts=[f_lisbon, f_sister],
            fact_updates=[closed],
            supersedes=[sup],
            next_links=[NextLink(prev_id="e1", next_id="e2")],
            evidence=[Evidence(fact_id=f, episode_id="e2") for f in ("f_lisbon", "f_sister", "f_age")],
            mentions=[Mention(episode_id="e2", entity_id=n.id) for n in (maria, lisbon, anna)],
        )
    )

    e3 = Episode(
        id="e3",
        namespace=ns,
        session_id="s1",
        seq=2,
        speaker="Maria",
        role=Role.user,
        content=f"Anna works at Acme in Berlin.{marker}",
        occurred_at=at("2024-01-10T08:30:00"),
        ingested_at=at("2024-01-10T08:30:01"),
        embedding=onehot(2),
    )
    acme = entity(ns, "Acme", type_="organisation", seen=e3.occurred_at, vec=onehot(4))
    berlin = entity(ns, "Berlin", type_="place", seen=e3.occurred_at, vec=onehot(5))
    f_acme = Fact(
        id="f_acme",
        namespace=ns,
        subject_id=anna.id,
        predicate="works_at",
        object_id=acme.id,
        text=f"Anna works at Acme{marker}",
        valid_from=at("2024-01-10T00:00:00"),
        recorded_at=at("2024-01-10T08:30:01"),
        embedding=onehot(4),
    )
    f_acme_in = Fact(
        id="f_acme_in",
        namespace=ns,
        subject_id=acme.id,
        predicate="located_in",
        object_id=berlin.id,
        text=f"Acme is located in Berlin{marker}",
        recorded_at=at("2024-01-10T08:30:02"),
        embedding=onehot(5),
    )
    insight = Insight(
        id="i1",
        namespace=ns,
        kind="profile",
        text=f"Maria moved from Paris to Lisbon{marker}",
        score=0.7,
        created_at=at("2024-01-10T09:00:00"),
        embedding=onehot(0),
    )
    store.write(
        WriteBatch(
            namespace=ns,
            episodes=[e3],
            entities=[acme, berlin],
            facts=[f_acme, f_acme_in],
            insights=[insight],
            next_links=[NextLink(prev_id="e2", next_id="e3")],
            evidence=[
                Evidence(fact_id="f_acme", episode_id="e3"),
                Evidence(fact_id="f_acme_in", episode_id="e3"),
            ],
            mentions=[Mention(episode_id="e3", entity_id=n.id) for n in (anna, acme, berlin)],
            derived_from=[
                DerivedFrom(insight_id="i1", target_id="f_lisbon", target_kind="Fact"),
                DerivedFrom(insight_id="i1", target_id="e2", target_kind="Episode"),
                DerivedFrom(insight_id="i1", target_id=maria.id, target_kind="Entity"),
                DerivedFrom(insight_id="i1", target_id="s1", target_kind="Session"),
            ],
        )
    )
    f_paris_now = f_paris.model_copy(
        update={
            "status": FactStatus.superseded,
            "valid_to": closed.valid_to,
            "invalidated_at": closed.invalidated_at,
        }
    )
    return Family(
        ns=ns,
        session=bare(s1),
        episodes={"e1": bare(e1), "e2": bare(e2), "e3": bare(e3)},
        entities={
            k: bare(v)
            for k, v in {
                "maria": maria2,
                "paris": paris,
                "lisbon": lisbon,
                "anna": anna,
                "acme": acme,
                "berlin": berlin,
            }.items()
        },
        facts={
            k: bare(v)
            for k, v in {
                "paris": f_paris_now,
                "age": f_age,
                "lisbon": f_lisbon,
                "sister": f_sister,
                "acme": f_acme,
                "acme_in": f_acme_in,
            }.items()
        },
        insight=bare(insight),
        supersedes=sup,
    )


@pytest.fixture
def family(backend: Backend) -> Family:
    return build_family(backend.store, backend.ns("A"))


def relational(sub: Subgraph) -> set[str]:
    """Ids of the entity-valued facts of a subgraph (the RELATES hops)."""
    return {f.id for f in sub.facts.values() if f.object_id is not None}


def assert_aware_utc(record: Any) -> None:
    for name, value in record:
        if isinstance(value, datetime):
            assert value.utcoffset() == timedelta(0), f"{type(record).__name__}.{name} is not UTC: {value!r}"


# --- round trips ------------------------------------------------------------------------------


def test_round_trip_of_every_record_kind(store: GraphStore, family: Family) -> None:
    ns = family.ns
    episodes = store.get_episodes(ns, list(family.episodes))
    assert episodes == family.episodes
    assert episodes["e1"].occurred_at == datetime(2020, 3, 1, 9, 0, tzinfo=UTC)  # +02:00 input, UTC out
    assert episodes["e1"].metadata == {
        "lang": "en",
        "tags": ["move", 1],
        "nested": {"a": None, "b": 2.5},
        "text": "café ✓",
    }
    assert episodes["e2"].metadata == {} and episodes["e2"].source == ""

    entities = store.get_entities(ns, [e.id for e in family.entities.values()])
    assert entities == {e.id: e for e in family.entities.values()}
    facts = store.get_facts(ns, [f.id for f in family.facts.values()])
    assert facts == {f.id: f for f in family.facts.values()}
    age = facts["f_age"]
    assert (age.object_id, age.valid_from, age.valid_to, age.last_access) == (None, None, None, None)
    assert age.object_value == "34"
    assert store.get_sessions(ns, ["s1"]) == {"s1": family.session}
    assert store.get_sessions(ns, ["s1"])["s1"].score is None
    assert store.get_insights(ns, ["i1"]) == {"i1": family.insight}
    for record in [*episodes.values(), *entities.values(), *facts.values(), family.session, family.insight]:
        assert_aware_utc(record)
    # unknown ids are simply absent; an empty request is an empty answer
    assert store.get_facts(ns, ["nope", "f_age"]).keys() == {"f_age"}
    assert store.get_episodes(ns, []) == {}


def test_open_is_idempotent_and_reopen_keeps_everything(backend: Backend, family: Family) -> None:
    store, ns = backend.store, family.ns
    store.open(dimension=DIMENSION)  # a second open on an open store is a no-op
    before_counts = store.counts(ns)
    fact_ids = [f.id for f in family.facts.values()]
    before_facts = store.get_facts(ns, fact_ids)
    store.close()
    store.close()  # safe twice
    again = backend.new_store()
    again.open(dimension=DIMENSION)
    try:
        assert again.counts(ns) == before_counts
        assert again.get_facts(ns, fact_ids) == before_facts
        # the derived search indexes come back from the stored embeddings and texts
        assert [h.id for h in again.vector_search("Fact", ns, onehot(2), 1)] == ["f_lisbon"]
        assert [h.id for h in again.text_search("Entity", ns, "Lisboa", 5)] == [family.eid("lisbon")]
    finally:
        again.close()


def test_open_with_another_dimension_is_refused(backend: Backend, family: Family) -> None:
    backend.store.close()
    other = backend.new_store()
    with pytest.raises(SchemaMismatch):
        other.open(dimension=DIMENSION * 2)
    other.close()
    same = backend.new_store()
    same.open(dimension=DIMENSION)
    try:
        assert same.counts(family.ns)["facts"] == 6
    finally:
        same.close()


def test_failed_open_leaves_nothing_half_open(backend: Backend, family: Family) -> None:
    """A refused open releases what it took, so the same handle can then be opened properly."""
    backend.store.close()
    handle = backend.new_store()
    with pytest.raises(SchemaMismatch):
        handle.open(dimension=DIMENSION * 2)
    handle.open(dimension=DIMENSION)
    try:
        assert [h.id for h in handle.vector_search("Fact", family.ns, onehot(2), 1)] == ["f_lisbon"]
        assert handle.counts(family.ns)["facts"] == 6
    finally:
        handle.close()


def test_empty_batch_writes_nothing(store: GraphStore, backend: Backend) -> None:
    ns = backend.ns("A")
    before = store.counts(ns)
    store.write(WriteBatch(namespace=ns))
    assert store.counts(ns) == before


def test_upserts_update_only_mutable_fields(store: GraphStore, family: Family) -> None:
    ns = family.ns
    maria = family.entities["maria"]
    later = at("2024-02-01T00:00:00")
    renamed = entity(
        ns, "Maria", type_="person", aliases=["Mia", "Mimi"], seen=later, vec=onehot(7), mentions=5
    )
    session = Session(id="s1", namespace=ns, title="", outcome="settled in", score=0.5, started_at=later)
    insight = family.insight.model_copy(update={"score": 0.9, "stale": True})
    store.write(WriteBatch(namespace=ns, entities=[renamed], sessions=[session], insights=[insight]))

    stored = store.get_entities(ns, [maria.id])[maria.id]
    assert stored.aliases == ["Mia", "Mimi"] and stored.mention_count == 5 and stored.last_seen == later
    assert stored.first_seen == maria.first_seen  # first sighting is history, not overwritten
    assert store.find_entities(ns, ["mimi"])["mimi"].id == maria.id
    # embeddings are immutable: the entity is still found by its original vector
    assert store.vector_search("Entity", ns, onehot(0), 1)[0].id == maria.id
    got = store.get_sessions(ns, ["s1"])["s1"]
    assert (got.title, got.outcome, got.score) == (family.session.title, "settled in", 0.5)
    assert got.started_at == family.session.started_at
    ins = store.get_insights(ns, ["i1"])["i1"]
    assert (ins.score, ins.stale, ins.text) == (0.9, True, family.insight.text)


# --- look-ups ---------------------------------------------------------------------------------


def test_find_entities_by_key_and_alias(store: GraphStore, family: Family) -> None:
    found = store.find_entities(family.ns, ["maria", "mia", "lisboa", "lisbon", "nobody", ""])
    assert {k: e.id for k, e in found.items()} == {
        "maria": family.eid("maria"),
        "mia": family.eid("maria"),
        "lisboa": family.eid("lisbon"),
        "lisbon": family.eid("lisbon"),
    }
    assert found["mia"] == family.entities["maria"]
    assert store.find_entities(family.ns, []) == {}


def test_last_episode_and_sessions(store: GraphStore, family: Family) -> None:
    ns = family.ns
    assert store.last_episode(ns, "s1") == family.episodes["e3"]
    assert store.last_episode(ns, "no-such-session") is None
    s2 = Session(id="s2", namespace=ns, title="Work", started_at=at("2021-01-01T00:00:00"))
    s3 = Session(id="s3", namespace=ns, title="Later", started_at=at("2025-01-01T00:00:00"))
    store.write(WriteBatch(namespace=ns, sessions=[s3, s2]))
    assert [s.id for s in store.list_sessions(ns)] == ["s1", "s2", "s3"]  # by started_at
    assert [s.id for s in store.list_sessions(ns, skip=1, limit=1)] == ["s2"]
    assert store.list_sessions(ns, skip=3) == []


def test_slot_facts_with_status_filters(store: GraphStore, family: Family) -> None:
    ns, maria = family.ns, family.eid("maria")
    assert ids(store.slot_facts(ns, maria, "lives_in")) == {"f_paris", "f_lisbon"}
    assert ids(store.slot_facts(ns, maria, "lives_in", [FactStatus.active])) == {"f_lisbon"}
    assert ids(store.slot_facts(ns, maria, "lives_in", [FactStatus.superseded])) == {"f_paris"}
    assert ids(store.slot_facts(ns, maria, "lives_in", [FactStatus.retracted, FactStatus.disputed])) == set()
    assert ids(store.slot_facts(ns, maria, "age")) == {"f_age"}
    assert store.slot_facts(ns, family.eid("anna"), "lives_in") == []
    assert store.slot_facts(ns, maria, "lives_in", [FactStatus.superseded])[0] == family.facts["paris"]


def test_list_facts_filters_order_and_pagination(store: GraphStore, family: Family) -> None:
    ns = family.ns
    everything = store.list_facts(ns, limit=100)
    # ordered by recorded_at then id (recorded_at is distinct per fact in the family graph)
    expected = sorted(family.facts.values(), key=lambda f: (f.recorded_at, f.id))
    assert [f.id for f in everything] == [f.id for f in expected]
    pages = [store.list_facts(ns, skip=skip, limit=2) for skip in (0, 2, 4, 6)]
    assert [len(p) for p in pages] == [2, 2, 2, 0]
    assert [f.id for page in pages for f in page] == [f.id for f in expected]
    assert ids(store.list_facts(ns, subject_id=family.eid("maria"))) == {
        "f_paris",
        "f_age",
        "f_lisbon",
        "f_sister",
    }
    assert ids(store.list_facts(ns, predicate="lives_in")) == {"f_paris", "f_lisbon"}
    assert ids(
        store.list_facts(
            ns, subject_id=family.eid("maria"), predicate="lives_in", statuses=[FactStatus.active]
        )
    ) == {"f_lisbon"}
    assert ids(store.list_facts(ns, statuses=[FactStatus.superseded])) == {"f_paris"}
    assert store.list_facts(ns, subject_id=family.eid("berlin")) == []


def test_fact_updates_and_undo(store: GraphStore, family: Family) -> None:
    ns = family.ns
    touched = at("2024-03-01T12:00:00")
    store.write(
        WriteBatch(
            namespace=ns,
            fact_updates=[
                FactUpdate(
                    id="f_lisbon",
                    confidence=0.95,
                    support=3,
                    access_count=7,
                    last_access=touched,
                    utility=0.5,
                )
            ],
        )
    )
    got = store.get_facts(ns, ["f_lisbon"])["f_lisbon"]
    assert (got.confidence, got.support, got.access_count, got.last_access, got.utility) == (
        0.95,
        3,
        7,
        touched,
        0.5,
    )
    assert got.status is FactStatus.active and got.text == family.facts["lisbon"].text
    # an update naming only the status leaves every other field as it was
    store.write(
        WriteBatch(namespace=ns, fact_updates=[FactUpdate(id="f_lisbon", status=FactStatus.disputed)])
    )
    assert store.get_facts(ns, ["f_lisbon"])["f_lisbon"] == got.model_copy(
        update={"status": FactStatus.disputed}
    )
    # undo the supersession of f_paris: the clear flags null the closing timestamps
    store.write(
        WriteBatch(
            namespace=ns,
            fact_updates=[
                FactUpdate(
                    id="f_paris", status=FactStatus.active, clear_valid_to=True, clear_invalidated_at=True
                )
            ],
        )
    )
    paris = store.get_facts(ns, ["f_paris"])["f_paris"]
    assert (paris.status, paris.valid_to, paris.invalidated_at) == (FactStatus.active, None, None)
    assert paris.valid_from == family.facts["paris"].valid_from


# --- traversal --------------------------------------------------------------------------------


NEIGHBORHOODS = [  # start, direction, depth -> entities reached, RELATES facts on the hops
    ("maria", "out", 1, {"maria", "lisbon", "anna"}, {"f_lisbon", "f_sister"}),
    ("maria", "out", 2, {"maria", "lisbon", "anna", "acme"}, {"f_lisbon", "f_sister", "f_acme"}),
    (
        "maria",
        "out",
        3,
        {"maria", "lisbon", "anna", "acme", "berlin"},
        {"f_lisbon", "f_sister", "f_acme", "f_acme_in"},
    ),
    ("maria", "in", 3, {"maria"}, set()),
    ("berlin", "in", 1, {"berlin", "acme"}, {"f_acme_in"}),
    ("berlin", "in", 2, {"berlin", "acme", "anna"}, {"f_acme_in", "f_acme"}),
    ("berlin", "in", 3, {"berlin", "acme", "anna", "maria"}, {"f_acme_in", "f_acme", "f_sister"}),
    ("berlin", "out", 2, {"berlin"}, set()),
    ("anna", "both", 1, {"anna", "maria", "acme"}, {"f_sister", "f_acme"}),
    (
        "anna",
        "both",
        2,
        {"anna", "maria", "acme", "lisbon", "berlin"},
        {"f_sister", "f_acme", "f_lisbon", "f_acme_in"},
    ),
]


@pytest.mark.parametrize(
    ("start", "direction", "depth", "entities", "facts"),
    [pytest.param(*case, id=f"{case[0]}-{case[1]}-{case[2]}") for case in NEIGHBORHOODS],
)
def test_neighborhood_depth_and_direction(
    store: GraphStore,
    family: Family,
    start: str,
    direction: Any,
    depth: int,
    entities: set[str],
    facts: set[str],
) -> None:
    sub = store.neighborhood(family.ns, [family.eid(start)], depth=depth, direction=direction)
    assert set(sub.entities) == {family.eid(n) for n in entities}
    assert relational(sub) == facts
    assert all(f.status is FactStatus.active for f in sub.facts.values())  # f_paris is never traversed
    for fact_id in sub.facts:
        assert sub.evidence[fact_id] == sorted(store.fact_evidence(family.ns, [fact_id])[fact_id])
    assert all(e.namespace == family.ns for e in sub.entities.values())


def test_neighborhood_status_and_as_of(store: GraphStore, family: Family) -> None:
    ns, maria = family.ns, [family.eid("maria")]
    assert relational(store.neighborhood(ns, maria, statuses=None)) == {"f_paris", "f_lisbon", "f_sister"}
    only_old = store.neighborhood(ns, maria, statuses=[FactStatus.superseded])
    assert relational(only_old) == {"f_paris"}
    assert family.eid("paris") in only_old.entities and family.eid("lisbon") not in only_old.entities
    # as_of asks which facts held in the world then (valid_from <= t < valid_to)
    in_2021 = store.neighborhood(ns, maria, statuses=None, as_of=at("2021-01-01T00:00:00"))
    assert relational(in_2021) == {"f_paris", "f_sister"}
    in_2024 = store.neighborhood(ns, maria, statuses=None, as_of=at("2024-01-01T00:00:00"))
    assert relational(in_2024) == {"f_lisbon", "f_sister"}
    at_switch = store.neighborhood(ns, maria, statuses=None, as_of=at("2023-06-01T00:00:00"))
    assert relational(at_switch) == {"f_lisbon", "f_sister"}  # valid_to is exclusive


def test_fact_updates_are_reflected_in_traversal(store: GraphStore, family: Family) -> None:
    ns, maria = family.ns, [family.eid("maria")]
    store.write(
        WriteBatch(
            namespace=ns,
            fact_updates=[
                FactUpdate(
                    id="f_paris", status=FactStatus.active, clear_valid_to=True, clear_invalidated_at=True
                )
            ],
        )
    )
    assert relational(store.neighborhood(ns, maria)) == {"f_paris", "f_lisbon", "f_sister"}
    assert "f_paris" in relational(
        store.neighborhood(ns, maria, statuses=None, as_of=at("2025-01-01T00:00:00"))
    )
    store.write(
        WriteBatch(
            namespace=ns,
            fact_updates=[
                FactUpdate(id="f_sister", status=FactStatus.retracted, valid_to=at("2022-01-01T00:00:00"))
            ],
        )
    )
    assert relational(store.neighborhood(ns, maria)) == {"f_paris", "f_lisbon"}
    assert "f_sister" not in relational(
        store.neighborhood(ns, maria, statuses=None, as_of=at("2023-01-01T00:00:00"))
    )
    assert "f_sister" in relational(
        store.neighborhood(ns, maria, statuses=[FactStatus.retracted], as_of=at("2021-01-01T00:00:00"))
    )


def test_neighborhood_degree_cap_keeps_most_recent(store: GraphStore, backend: Backend) -> None:
    ns = backend.ns("A")
    hub = entity(ns, "Hub")
    spokes = [entity(ns, f"Out {i}") for i in range(6)]
    sources = [entity(ns, f"In {i}") for i in range(6)]
    base = at("2024-01-01T00:00:00")
    facts = [
        Fact(
            id=f"out{i}",
            namespace=ns,
            subject_id=hub.id,
            predicate="knows",
            object_id=s.id,
            text=f"hub knows out {i}",
            recorded_at=base + timedelta(minutes=i),
        )
        for i, s in enumerate(spokes)
    ]
    facts += [
        Fact(
            id=f"in{i}",
            namespace=ns,
            subject_id=s.id,
            predicate="knows",
            object_id=hub.id,
            text=f"in {i} knows hub",
            recorded_at=base + timedelta(minutes=i),
        )
        for i, s in enumerate(sources)
    ]
    store.write(WriteBatch(namespace=ns, entities=[hub, *spokes, *sources], facts=facts))
    out = store.neighborhood(ns, [hub.id], direction="out", degree_cap=2)
    assert relational(out) == {"out5", "out4"}
    assert set(out.entities) == {hub.id, spokes[5].id, spokes[4].id}
    into = store.neighborhood(ns, [hub.id], direction="in", degree_cap=3)
    assert relational(into) == {"in5", "in4", "in3"}
    assert len(relational(store.neighborhood(ns, [hub.id], direction="out", degree_cap=50))) == 6


def test_subgraph_and_evidence_maps(store: GraphStore, family: Family) -> None:
    ns = family.ns
    by_fact = store.subgraph(ns, fact_ids=["f_lisbon", "f_age"])
    assert set(by_fact.facts) == {"f_lisbon", "f_age"}
    assert set(by_fact.entities) == {family.eid("maria"), family.eid("lisbon")}
    assert by_fact.evidence == {"f_lisbon": ["e2"], "f_age": ["e1", "e2"]}
    by_episode = store.subgraph(ns, episode_ids=["e1", "e2"])
    assert by_episode.episodes == {"e1": family.episodes["e1"], "e2": family.episodes["e2"]}
    assert by_episode.episode_fact_counts == {"e1": 2, "e2": 3}
    by_entity = store.subgraph(ns, entity_ids=[family.eid("anna")])
    assert set(by_entity.entities) == {family.eid("anna")} and by_entity.facts == {}
    by_insight = store.subgraph(ns, insight_ids=["i1"])
    assert by_insight.insights == {"i1": family.insight}
    assert sorted(by_insight.derived_from["i1"]) == sorted(["f_lisbon", "e2", family.eid("maria"), "s1"])
    assert store.subgraph(ns) == Subgraph()

    evidence = store.fact_evidence(ns, ["f_age", "f_lisbon", "nope"])
    assert {k: sorted(v) for k, v in evidence.items()} == {"f_age": ["e1", "e2"], "f_lisbon": ["e2"]}
    facts_of = store.episode_facts(ns, ["e1", "e2", "e3"])
    assert {k: sorted(v) for k, v in facts_of.items()} == {
        "e1": ["f_age", "f_paris"],
        "e2": ["f_age", "f_lisbon", "f_sister"],
        "e3": ["f_acme", "f_acme_in"],
    }


def test_supersedes_edges_from_both_ends(store: GraphStore, family: Family) -> None:
    ns = family.ns
    assert store.supersedes(ns, ["f_paris"]) == [family.supersedes]
    assert store.supersedes(ns, ["f_lisbon"]) == [family.supersedes]
    assert store.supersedes(ns, ["f_lisbon", "f_paris"]) == [family.supersedes]  # one edge, reported once
    assert store.supersedes(ns, ["f_age"]) == []
    assert_aware_utc(store.supersedes(ns, ["f_paris"])[0])


def test_insights_of_and_derived_from(store: GraphStore, family: Family) -> None:
    ns, maria = family.ns, family.eid("maria")
    got = store.insights_of(ns, ["f_lisbon", "e2", maria, "s1", "f_age", "e1"])
    assert got == {"f_lisbon": ["i1"], "e2": ["i1"], maria: ["i1"], "s1": ["i1"]}
    i2 = Insight(
        id="i2", namespace=ns, kind="lesson", text="Sisters matter", created_at=at("2024-02-01T00:00:00")
    )
    store.write(
        WriteBatch(
            namespace=ns,
            insights=[i2],
            derived_from=[DerivedFrom(insight_id="i2", target_id=maria, target_kind="Entity")],
        )
    )
    assert sorted(store.insights_of(ns, [maria])[maria]) == ["i1", "i2"]


def test_similar_edges_are_written(store: GraphStore, family: Family) -> None:
    ns = family.ns
    before = store.counts(ns).get("SIMILAR", 0)
    store.write(
        WriteBatch(
            namespace=ns, similar=[Similar(a_id=family.eid("anna"), b_id=family.eid("maria"), score=0.83)]
        )
    )
    assert store.counts(ns)["SIMILAR"] == before + 1


# --- search -----------------------------------------------------------------------------------

ANGLES = {"n0": 0.0, "n20": 20.0, "n45": 45.0, "n80": 80.0, "n120": 120.0, "n180": 180.0}


def _nodes_with_vectors(kind: str, ns: str, vectors: dict[str, list[float]]) -> WriteBatch:
    """A batch holding one node of ``kind`` per vector (plus what those nodes need to exist)."""
    when = at("2024-01-01T00:00:00")
    if kind == "Entity":
        return WriteBatch(
            namespace=ns,
            entities=[
                Entity(
                    id=i,
                    namespace=ns,
                    name=f"entity {i}",
                    key=f"key {i}",
                    first_seen=when,
                    last_seen=when,
                    embedding=v,
                )
                for i, v in vectors.items()
            ],
        )
    if kind == "Session":
        return WriteBatch(
            namespace=ns,
            sessions=[Session(id=i, namespace=ns, started_at=when, embedding=v) for i, v in vectors.items()],
        )
    if kind == "Insight":
        return WriteBatch(
            namespace=ns,
            insights=[
                Insight(id=i, namespace=ns, text=f"insight {i}", embedding=v) for i, v in vectors.items()
            ],
        )
    if kind == "Episode":
        return WriteBatch(
            namespace=ns,
            sessions=[Session(id="vs", namespace=ns, started_at=when)],
            episodes=[
                Episode(
                    id=i,
                    namespace=ns,
                    session_id="vs",
                    seq=n,
                    content=f"episode {i}",
                    occurred_at=when,
                    embedding=v,
                )
                for n, (i, v) in enumerate(vectors.items())
            ],
        )
    subject = Entity(id="subj", namespace=ns, name="subject", key="subject", first_seen=when, last_seen=when)
    return WriteBatch(
        namespace=ns,
        entities=[subject],
        facts=[
            Fact(
                id=i,
                namespace=ns,
                subject_id="subj",
                predicate="p",
                object_value=i,
                text=f"fact {i}",
                embedding=v,
            )
            for i, v in vectors.items()
        ],
    )


@pytest.mark.parametrize("kind", KINDS)
def test_vector_search_exact_order(store: GraphStore, backend: Backend, kind: str) -> None:
    ns, other = backend.ns("A"), backend.ns("B")
    # stored vectors are not unit length: the score is cosine, not a dot product
    store.write(
        _nodes_with_vectors(kind, ns, {i: angled(a, scale=1 + n) for n, (i, a) in enumerate(ANGLES.items())})
    )
    store.write(_nodes_with_vectors(kind, other, {"b_exact": angled(0.0), "b_near": angled(5.0)}))
    hits = store.vector_search(kind, ns, angled(0.0, scale=3.0), ALL)
    assert [h.id for h in hits] == ["n0", "n20", "n45", "n80", "n120", "n180"]
    for hit in hits:
        assert hit.score == pytest.approx(math.cos(math.radians(ANGLES[hit.id])), abs=1e-4)
    assert [h.id for h in store.vector_search(kind, ns, angled(95.0), 2)] == ["n80", "n120"]
    assert [h.id for h in store.vector_search(kind, other, angled(0.0), ALL)] == ["b_exact", "b_near"]
    assert store.vector_search(kind, backend.ns("empty"), angled(0.0), 5) == []


def test_degenerate_search_queries(store: GraphStore, family: Family) -> None:
    """Cosine is undefined for the zero vector, so it finds nothing; NaN or infinity is bad input;
    a text with no searchable word finds nothing."""
    ns = family.ns
    for kind in ("Fact", "Entity"):
        assert store.vector_search(kind, ns, [0.0] * DIMENSION, 5) == []
        for bad in (math.nan, math.inf):
            with pytest.raises(ValueError):
                store.vector_search(kind, ns, [bad, *[0.5] * (DIMENSION - 1)], 5)
        for text in ("", "   ", "?? -- !!"):
            assert store.text_search(kind, ns, text, 5) == []


def test_vector_index_follows_writes_and_deletes(store: GraphStore, family: Family) -> None:
    ns = family.ns
    assert (
        store.vector_search("Fact", ns, onehot(6), 1)[0].score < 0.5
    )  # loads the index; nothing near axis 6
    subject = family.eid("maria")
    store.write(
        WriteBatch(
            namespace=ns,
            facts=[
                Fact(
                    id="f_new",
                    namespace=ns,
                    subject_id=subject,
                    predicate="likes",
                    object_value="tea",
                    text="Maria likes tea",
                    embedding=onehot(6),
                )
            ],
            evidence=[Evidence(fact_id="f_new", episode_id="e3")],
        )
    )
    top = store.vector_search("Fact", ns, onehot(6), 1)[0]
    assert top.id == "f_new" and top.score == pytest.approx(1.0, abs=1e-5)
    assert store.text_search("Fact", ns, "tea", 5)[0].id == "f_new"
    store.delete_episode(ns, "e3")
    assert "f_new" not in {h.id for h in store.vector_search("Fact", ns, onehot(6), ALL)}
    assert store.text_search("Fact", ns, "tea", 5) == []


def _texts(kind: str, ns: str, texts: dict[str, str]) -> WriteBatch:
    when = at("2024-01-01T00:00:00")
    if kind == "Fact":
        subject = Entity(
            id="subj", namespace=ns, name="zzsubject", key="zzsubject", first_seen=when, last_seen=when
        )
        return WriteBatch(
            namespace=ns,
            entities=[subject],
            facts=[
                Fact(id=i, namespace=ns, subject_id="subj", predicate="says", object_value=t, text=t)
                for i, t in texts.items()
            ],
        )
    if kind == "Episode":
        return WriteBatch(
            namespace=ns,
            sessions=[Session(id="ts", namespace=ns, started_at=when)],
            episodes=[
                Episode(id=i, namespace=ns, session_id="ts", seq=n, content=t, occurred_at=when)
                for n, (i, t) in enumerate(texts.items())
            ],
        )
    return WriteBatch(namespace=ns, insights=[Insight(id=i, namespace=ns, text=t) for i, t in texts.items()])


@pytest.mark.parametrize("kind", ["Fact", "Episode", "Insight"])
def test_text_search_bm25_ranking(store: GraphStore, backend: Backend, kind: str) -> None:
    ns, other = backend.ns("A"), backend.ns("B")
    store.write(
        _texts(
            kind,
            ns,
            {
                "d_capital": "Lisbon is the capital city of Portugal and sits on the Atlantic coast",
                "d_many": "Lisbon trams, Lisbon hills, Lisbon light",
                "d_cold": "Berlin winters are cold",
                "d_none": "Nothing to see here",
            },
        )
    )
    store.write(_texts(kind, other, {"b_lisbon": "Lisbon Lisbon Lisbon", "b_only": "zebra crossing"}))
    # higher term frequency wins at equal idf
    assert [h.id for h in store.text_search(kind, ns, "lisbon", ALL)] == ["d_many", "d_capital"]
    # one match each, same idf: the shorter document wins (length normalisation)
    assert [h.id for h in store.text_search(kind, ns, "berlin portugal", ALL)] == ["d_cold", "d_capital"]
    hits = store.text_search(kind, ns, "Lisbon Portugal", ALL)
    assert [h.id for h in hits] == ["d_capital", "d_many"]  # two distinct terms beat repetition of one
    assert hits[0].score > hits[1].score > 0
    assert store.text_search(kind, ns, "lisbon", 1)[0].id == "d_many"
    assert store.text_search(kind, ns, "zebra", ALL) == []  # only namespace B has it
    assert [h.id for h in store.text_search(kind, other, "lisbon", ALL)] == ["b_lisbon"]


def test_text_search_entities_by_name_and_alias(store: GraphStore, family: Family) -> None:
    ns = family.ns
    assert [h.id for h in store.text_search("Entity", ns, "Lisboa", ALL)] == [family.eid("lisbon")]
    assert [h.id for h in store.text_search("Entity", ns, "mia", ALL)] == [family.eid("maria")]
    assert store.text_search("Episode", ns, "Acme Berlin", ALL)[0].id == "e3"


# --- namespace isolation ----------------------------------------------------------------------


def _b_only(store: GraphStore, ns: str, family_b: Family) -> None:
    """Nodes only B has, each an exact or better match for the queries A will make."""
    when = at("2024-01-01T00:00:00")
    zed = entity(ns, "Zebra Maria", aliases=["Lisboa"], vec=onehot(0))
    store.write(
        WriteBatch(
            namespace=ns,
            sessions=[
                Session(
                    id="s_b", namespace=ns, title="zebra Moving house", started_at=when, embedding=onehot(0)
                )
            ],
            episodes=[
                Episode(
                    id="e_b",
                    namespace=ns,
                    session_id="s1",
                    seq=9,
                    content="zebra Lisbon Paris Acme",
                    occurred_at=when,
                    embedding=onehot(0),
                )
            ],
            entities=[zed],
            facts=[
                Fact(
                    id="f_b",
                    namespace=ns,
                    subject_id=family_b.eid("maria"),
                    predicate="lives_in",
                    object_id=zed.id,
                    text="zebra Maria lives in Lisbon Paris",
                    embedding=onehot(0),
                ),
                Fact(
                    id="f_b2",
                    namespace=ns,
                    subject_id=family_b.eid("berlin"),
                    predicate="located_in",
                    object_id=family_b.eid("anna"),
                    text="zebra Berlin",
                    embedding=onehot(2),
                ),
            ],
            insights=[Insight(id="i_b", namespace=ns, text="zebra Maria moved", embedding=onehot(0))],
            evidence=[Evidence(fact_id="f_b", episode_id="e_b"), Evidence(fact_id="f_age", episode_id="e_b")],
            next_links=[NextLink(prev_id="e3", next_id="e_b")],
            mentions=[Mention(episode_id="e_b", entity_id=family_b.eid("maria"))],
            supersedes=[Supersedes(new_id="f_b", old_id="f_lisbon", reason="b", rule="b")],
            derived_from=[
                DerivedFrom(insight_id="i_b", target_id="f_lisbon", target_kind="Fact"),
                DerivedFrom(insight_id="i_b", target_id=family_b.eid("maria"), target_kind="Entity"),
            ],
        )
    )


B_ONLY = {"s_b", "e_b", "f_b", "f_b2", "i_b"}


def test_namespace_isolation_for_every_read(store: GraphStore, backend: Backend) -> None:
    ns_a, ns_b = backend.ns("A"), backend.ns("B")
    fam = build_family(store, ns_a)
    counts_a = store.counts(ns_a)
    fam_b = build_family(store, ns_b, marker=" zebra")
    _b_only(store, ns_b, fam_b)
    all_fact_ids = [*(f.id for f in fam.facts.values()), "f_b", "f_b2"]
    b_entities = [e.id for e in fam_b.entities.values()]  # ids of B's entities, used through A
    all_entity_ids = [*(e.id for e in fam.entities.values()), *b_entities, *B_ONLY]
    all_episode_ids = ["e1", "e2", "e3", "e_b"]

    def only_a(records: Iterable[Any]) -> None:
        for record in records:
            assert record.namespace == ns_a, record
            assert record.id not in B_ONLY, record
            for text in (
                getattr(record, "text", ""),
                getattr(record, "content", ""),
                getattr(record, "title", ""),
            ):
                assert "zebra" not in text, record

    def no_b_ids(found: Iterable[str]) -> None:
        assert not set(found) & B_ONLY, set(found) & B_ONLY

    only_a(store.get_episodes(ns_a, all_episode_ids).values())
    only_a(store.get_entities(ns_a, all_entity_ids).values())
    only_a(store.get_facts(ns_a, all_fact_ids).values())
    only_a(store.get_sessions(ns_a, ["s1", "s_b"]).values())
    only_a(store.get_insights(ns_a, ["i1", "i_b"]).values())
    assert store.get_facts(ns_a, ["f_b"]) == {} and store.get_episodes(ns_a, ["e_b"]) == {}
    found = store.find_entities(ns_a, ["maria", "zebra maria", "lisboa"])
    only_a(found.values())
    assert found["lisboa"].id == fam.eid("lisbon")
    assert store.last_episode(ns_a, "s1") == fam.episodes["e3"]
    only_a(store.list_sessions(ns_a))
    only_a(store.slot_facts(ns_a, fam.eid("maria"), "lives_in", None))
    assert ids(store.slot_facts(ns_a, fam.eid("maria"), "lives_in", None)) == {"f_paris", "f_lisbon"}
    only_a(store.list_facts(ns_a, limit=100))
    assert len(store.list_facts(ns_a, limit=100)) == 6
    only_a(store.list_facts(ns_a, subject_id=fam.eid("maria"), predicate="lives_in"))
    assert store.supersedes(ns_a, all_fact_ids) == [fam.supersedes]
    assert store.supersedes(ns_a, all_fact_ids)[0].reason == "moved to Lisbon"
    evidence = store.fact_evidence(ns_a, all_fact_ids)
    assert sorted(evidence["f_age"]) == ["e1", "e2"] and "f_b" not in evidence
    episode_facts = store.episode_facts(ns_a, all_episode_ids)
    assert "e_b" not in episode_facts and sorted(episode_facts["e3"]) == ["f_acme", "f_acme_in"]
    for direction in ("out", "in", "both"):
        for start in fam.entities:
            sub = store.neighborhood(
                ns_a, [fam.eid(start), *B_ONLY], depth=3, direction=direction, statuses=None
            )
            only_a([*sub.entities.values(), *sub.facts.values(), *sub.episodes.values()])
            for eps in sub.evidence.values():
                no_b_ids(eps)
    sub = store.subgraph(
        ns_a,
        entity_ids=all_entity_ids,
        fact_ids=all_fact_ids,
        episode_ids=all_episode_ids,
        insight_ids=["i1", "i_b"],
    )
    only_a([*sub.entities.values(), *sub.facts.values(), *sub.episodes.values(), *sub.insights.values()])
    assert sub.episode_fact_counts == {"e1": 2, "e2": 3, "e3": 2}
    assert sorted(sub.evidence["f_age"]) == ["e1", "e2"]
    assert sorted(sub.derived_from["i1"]) == sorted(["f_lisbon", "e2", fam.eid("maria"), "s1"])
    assert store.insights_of(ns_a, ["f_lisbon", fam.eid("maria")]) == {
        "f_lisbon": ["i1"],
        fam.eid("maria"): ["i1"],
    }
    for kind in KINDS:
        for axis in range(DIMENSION):
            no_b_ids(h.id for h in store.vector_search(kind, ns_a, onehot(axis), ALL))
        no_b_ids(
            h.id for h in store.text_search(kind, ns_a, "zebra maria lisbon paris acme berlin moving", ALL)
        )
        assert store.text_search(kind, ns_a, "zebra", ALL) == []
    assert store.counts(ns_a) == counts_a
    # writes and deletes in B never touch A
    with pytest.raises(NotFound):
        store.delete_episode(ns_a, "e_b")
    store.delete_episode(ns_b, "e2")
    store.delete_namespace(ns_b)
    assert store.counts(ns_a) == counts_a
    assert store.get_facts(ns_a, ["f_lisbon"]) == {"f_lisbon": fam.facts["lisbon"]}


# --- deletes ----------------------------------------------------------------------------------


def _next_links(store: GraphStore, ns: str) -> set[tuple[str, str]]:
    rows = store.cypher(
        "MATCH (a:Episode)-[:NEXT]->(b:Episode) WHERE a.namespace = $ns RETURN a.id AS a, b.id AS b",
        {"ns": ns},
    )
    return {(r["a"], r["b"]) for r in rows}


def test_cascade_delete_of_an_episode(backend: Backend, family: Family) -> None:
    store, ns = backend.store, family.ns
    # load the derived indexes first so the delete must update them, not just a later rebuild
    assert store.vector_search("Fact", ns, onehot(2), 1)[0].id == "f_lisbon"
    assert store.text_search("Entity", ns, "lisboa", 1)[0].id == family.eid("lisbon")
    assert _next_links(store, ns) == {("e1", "e2"), ("e2", "e3")}

    removed = store.delete_episode(ns, "e2")
    assert removed == {"episodes": 1, "facts": 2, "entities": 1}
    assert store.get_episodes(ns, ["e1", "e2", "e3"]).keys() == {"e1", "e3"}
    # facts evidenced only by e2 are gone; f_age keeps its other evidence
    assert store.get_facts(ns, [f.id for f in family.facts.values()]).keys() == {
        "f_paris",
        "f_age",
        "f_acme",
        "f_acme_in",
    }
    assert store.fact_evidence(ns, ["f_age"]) == {"f_age": ["e1"]}
    # lisbon is referenced by nothing any more; maria and anna still are
    assert set(store.get_entities(ns, [e.id for e in family.entities.values()])) == {
        family.eid(n) for n in ("maria", "paris", "anna", "acme", "berlin")
    }
    assert _next_links(store, ns) == {("e1", "e3")}
    assert store.supersedes(ns, ["f_paris"]) == []
    assert store.insights_of(ns, ["f_lisbon", "e2"]) == {}
    assert sorted(store.subgraph(ns, insight_ids=["i1"]).derived_from["i1"]) == sorted(
        [family.eid("maria"), "s1"]
    )
    assert relational(store.neighborhood(ns, [family.eid("maria")], statuses=None)) == {"f_paris"}
    assert store.find_entities(ns, ["lisboa", "lisbon"]) == {}
    for kind, vec in (
        ("Fact", onehot(2)),
        ("Fact", onehot(3)),
        ("Entity", onehot(2)),
        ("Episode", onehot(1)),
    ):
        assert {h.id for h in store.vector_search(kind, ns, vec, ALL)}.isdisjoint(
            {"f_lisbon", "f_sister", family.eid("lisbon"), "e2"}
        )
    assert store.text_search("Entity", ns, "lisboa", ALL) == []
    assert store.text_search("Fact", ns, "sister", ALL) == []
    counts = store.counts(ns)
    assert (counts["episodes"], counts["facts"], counts["entities"]) == (2, 4, 5)
    with pytest.raises(NotFound):
        store.delete_episode(ns, "e2")
    # the derived indexes rebuilt on reopen agree
    store.close()
    again = backend.new_store()
    again.open(dimension=DIMENSION)
    try:
        assert "f_lisbon" not in {h.id for h in again.vector_search("Fact", ns, onehot(2), ALL)}
        assert again.text_search("Entity", ns, "lisboa", ALL) == []
    finally:
        again.close()


def test_delete_first_episode_drops_its_sole_facts(store: GraphStore, family: Family) -> None:
    ns = family.ns
    assert store.delete_episode(ns, "e1") == {"episodes": 1, "facts": 1, "entities": 1}  # f_paris, paris
    assert store.get_facts(ns, ["f_paris", "f_age"]).keys() == {"f_age"}
    assert store.get_entities(ns, [family.eid("paris")]) == {}
    assert _next_links(store, ns) == {("e2", "e3")}
    assert store.supersedes(ns, ["f_lisbon"]) == []


def test_delete_namespace(store: GraphStore, backend: Backend) -> None:
    ns_a, ns_b = backend.ns("A"), backend.ns("B")
    build_family(store, ns_a)
    build_family(store, ns_b)
    counts_b = store.counts(ns_b)
    assert store.vector_search("Fact", ns_a, onehot(0), 1)  # load the index before deleting
    removed = store.delete_namespace(ns_a)
    assert removed == {"episodes": 3, "entities": 6, "facts": 6, "insights": 1, "sessions": 1}
    assert all(v == 0 for v in store.counts(ns_a).values())
    assert store.vector_search("Fact", ns_a, onehot(0), ALL) == []
    assert store.text_search("Fact", ns_a, "lisbon", ALL) == []
    assert store.list_facts(ns_a) == [] and store.find_entities(ns_a, ["maria"]) == {}
    assert store.counts(ns_b) == counts_b
    assert len(store.vector_search("Fact", ns_b, onehot(0), ALL)) == 6
    assert all(v == 0 for v in store.delete_namespace(backend.ns("never-used")).values())


def test_counts(store: GraphStore, backend: Backend) -> None:
    everywhere = store.counts()
    family = build_family(store, backend.ns("A"))
    counts = store.counts(family.ns)
    assert {k: counts[k] for k in ("episodes", "entities", "facts", "insights", "sessions")} == {
        "episodes": 3,
        "entities": 6,
        "facts": 6,
        "insights": 1,
        "sessions": 1,
    }
    assert {
        k: counts.get(k, 0)
        for k in (
            "RELATES",
            "SUBJECT_OF",
            "OBJECT",
            "EVIDENCED_BY",
            "MENTIONS",
            "NEXT",
            "IN_SESSION",
            "SUPERSEDES",
            "DERIVED_FROM",
        )
    } == {
        "RELATES": 5,
        "SUBJECT_OF": 6,
        "OBJECT": 5,
        "EVIDENCED_BY": 7,
        "MENTIONS": 8,
        "NEXT": 2,
        "IN_SESSION": 3,
        "SUPERSEDES": 1,
        "DERIVED_FROM": 4,
    }
    total = store.counts()
    for key, value in counts.items():
        assert total.get(key, 0) == everywhere.get(key, 0) + value, key


# --- read-only cypher -------------------------------------------------------------------------


def test_read_only_cypher(store: GraphStore, family: Family) -> None:
    ns = family.ns
    rows = store.cypher(
        "MATCH (e:Entity) WHERE e.namespace = $ns RETURN e.name AS name ORDER BY name", {"ns": ns}
    )
    assert [r["name"] for r in rows] == ["Acme", "Anna", "Berlin", "Lisbon", "Maria", "Paris"]
    assert (
        len(store.cypher("MATCH (e:Entity) WHERE e.namespace = $ns RETURN e.id AS id", {"ns": ns}, limit=2))
        == 2
    )
    rows = store.cypher(
        "MATCH (f:Fact) WHERE f.namespace = $ns AND f.text CONTAINS 'DELETE' RETURN f.id AS id // CREATE (x)",
        {"ns": ns},
    )
    assert rows == []
    before = store.counts(ns)
    refused = [
        "CREATE (n:Entity {id: 'x', namespace: $ns})",
        "MATCH (n:Entity) WHERE n.namespace = $ns DETACH DELETE n",
        "MATCH (n:Fact) WHERE n.namespace = $ns SET n.status = 'retracted'",
        "match (n:Fact) where n.namespace = $ns /* harmless */ delete n",
        "MATCH (n:Entity) RETURN n; MATCH (m:Entity) DETACH DELETE m",
        "MERGE (n:Entity {uid: 'x'})",
    ]
    for query in refused:
        with pytest.raises(ReadOnlyViolation):
            store.cypher(query, {"ns": ns})
    assert store.counts(ns) == before
    assert store.get_facts(ns, ["f_lisbon"])["f_lisbon"].status is FactStatus.active


# --- all or nothing ---------------------------------------------------------------------------


def test_failed_batch_leaves_nothing_behind(store: GraphStore, family: Family) -> None:
    ns = family.ns
    # load the derived indexes so a leak into them would show
    store.vector_search("Fact", ns, onehot(7), 1)
    store.text_search("Entity", ns, "zoe", 1)
    before = store.counts(ns)
    zoe = entity(ns, "Zoe", aliases=["Zo"], vec=onehot(7))
    s2 = Session(id="s2", namespace=ns, started_at=at("2024-05-01T00:00:00"))
    e9 = Episode(
        id="e9",
        namespace=ns,
        session_id="s2",
        content="Zoe plays chess",
        occurred_at=at("2024-05-01T00:00:00"),
        embedding=onehot(7),
    )
    fresh = Fact(
        id="f_zoe",
        namespace=ns,
        subject_id=zoe.id,
        predicate="plays",
        object_value="chess",
        text="Zoe plays chess",
        embedding=onehot(7),
    )
    duplicate = Fact(
        id="f_age",
        namespace=ns,
        subject_id=zoe.id,
        predicate="age",
        object_value="9",
        text="Zoe is 9",
        embedding=onehot(7),
    )  # the id of an existing fact: refused
    with pytest.raises(GraphmemError):
        store.write(
            WriteBatch(
                namespace=ns,
                sessions=[s2],
                episodes=[e9],
                entities=[zoe],
                facts=[fresh, duplicate],
                evidence=[Evidence(fact_id="f_zoe", episode_id="e9")],
                mentions=[Mention(episode_id="e9", entity_id=zoe.id)],
                fact_updates=[FactUpdate(id="f_lisbon", status=FactStatus.retracted)],
            )
        )
    assert store.counts(ns) == before
    assert store.get_sessions(ns, ["s2"]) == {} and store.get_episodes(ns, ["e9"]) == {}
    assert store.get_entities(ns, [zoe.id]) == {} and store.find_entities(ns, ["zoe", "zo"]) == {}
    assert store.get_facts(ns, ["f_zoe", "f_age", "f_lisbon"]) == {
        "f_age": family.facts["age"],
        "f_lisbon": family.facts["lisbon"],
    }
    assert store.vector_search("Fact", ns, onehot(7), 1)[0].id not in {"f_zoe"}
    assert store.vector_search("Entity", ns, onehot(7), 1)[0].id != zoe.id
    assert store.text_search("Entity", ns, "zoe", ALL) == []
    assert store.text_search("Fact", ns, "chess", ALL) == []
    assert store.text_search("Episode", ns, "chess", ALL) == []
    # the store still takes writes afterwards
    store.write(WriteBatch(namespace=ns, entities=[zoe], facts=[fresh]))
    assert store.get_facts(ns, ["f_zoe"]) == {"f_zoe": bare(fresh)}


DANGLING = {
    "fact-unknown-subject": lambda ns: WriteBatch(
        namespace=ns,
        facts=[
            Fact(
                id="f_x",
                namespace=ns,
                subject_id="ent_missing",
                predicate="age",
                object_value="3",
                text="x is 3",
            )
        ],
    ),
    "fact-unknown-object": lambda ns: WriteBatch(
        namespace=ns,
        facts=[
            Fact(
                id="f_x",
                namespace=ns,
                subject_id=entity_id(ns, "maria"),
                predicate="knows",
                object_id="ent_missing",
                text="Maria knows someone",
            )
        ],
    ),
    "episode-unknown-session": lambda ns: WriteBatch(
        namespace=ns,
        episodes=[
            Episode(
                id="e_x",
                namespace=ns,
                session_id="no-such-session",
                content="hello",
                occurred_at=at("2024-01-01T00:00:00"),
            )
        ],
    ),
    "evidence-unknown-episode": lambda ns: WriteBatch(
        namespace=ns,
        facts=[
            Fact(
                id="f_x",
                namespace=ns,
                subject_id=entity_id(ns, "maria"),
                predicate="age",
                object_value="3",
                text="x",
            )
        ],
        evidence=[Evidence(fact_id="f_x", episode_id="no-such-episode")],
    ),
}


@pytest.mark.parametrize("case", sorted(DANGLING))
def test_batch_with_dangling_reference_is_refused(backend: Backend, family: Family, case: str) -> None:
    """A batch naming a node that exists neither in the store nor in the batch is refused whole.

    Silently dropping the row would lose data (a fact without its subject never appears) or leave a
    fact whose object_id points nowhere while the RELATES projection misses it.
    """
    store, ns = backend.store, family.ns
    before = store.counts(ns)
    with pytest.raises(GraphmemError):
        store.write(DANGLING[case](ns))
    assert store.counts(ns) == before
    assert store.get_facts(ns, ["f_x"]) == {} and store.get_episodes(ns, ["e_x"]) == {}


# --- misuse -----------------------------------------------------------------------------------


def test_closed_store_raises(store: GraphStore, family: Family) -> None:
    ns = family.ns
    store.close()
    calls = [
        lambda: store.get_facts(ns, ["f_age"]),
        lambda: store.get_entities(ns, [family.eid("maria")]),
        lambda: store.find_entities(ns, ["maria"]),
        lambda: store.list_facts(ns),
        lambda: store.slot_facts(ns, family.eid("maria"), "lives_in"),
        lambda: store.neighborhood(ns, [family.eid("maria")]),
        lambda: store.vector_search("Fact", ns, onehot(0), 3),
        lambda: store.text_search("Fact", ns, "lisbon", 3),
        lambda: store.write(WriteBatch(namespace=ns, sessions=[family.session])),
        lambda: store.delete_episode(ns, "e1"),
        lambda: store.delete_namespace(ns),
        lambda: store.cypher("MATCH (n) RETURN count(n) AS n"),
        lambda: store.counts(ns),
    ]
    for call in calls:
        with pytest.raises(ClosedError):
            call()
    store.close()


@pytest.mark.parametrize("bad", [0, -1, 10_001, True, 2.5])
def test_invalid_limits_raise_value_error(store: GraphStore, family: Family, bad: Any) -> None:
    ns = family.ns
    for call in (
        lambda: store.vector_search("Fact", ns, onehot(0), bad),
        lambda: store.text_search("Fact", ns, "lisbon", bad),
        lambda: store.list_facts(ns, limit=bad),
        lambda: store.list_sessions(ns, limit=bad),
        lambda: store.cypher("MATCH (n:Fact) RETURN n.id AS id", limit=bad),
    ):
        with pytest.raises(ValueError):
            call()


def test_invalid_depth_kind_direction_raise_value_error(store: GraphStore, family: Family) -> None:
    ns, start = family.ns, [family.eid("maria")]
    for depth in (0, 4, -1):
        with pytest.raises(ValueError):
            store.neighborhood(ns, start, depth=depth)
    with pytest.raises(ValueError):
        store.neighborhood(ns, start, direction="up")  # type: ignore[arg-type]
    for kind in ("Person", "fact", "Entity) DETACH DELETE (n", ""):
        with pytest.raises(ValueError):
            store.vector_search(kind, ns, onehot(0), 3)  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            store.text_search(kind, ns, "lisbon", 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        store.vector_search("Fact", ns, [1.0, 0.0], 3)  # wrong dimension
