"""The Retriever against the real Kuzu store, real encoder and real spaCy, on a hand-written graph.

The graph is written directly (``store.write``), so these tests check the planner alone: what the
extractor would make of the sentences is tested elsewhere (and end to end in test_search_e2e.py).

    e1 2023-01-10 Maria: "My sister Anna lives in Porto."  f_sister maria -sister-> anna
                                                            f_anna_porto anna -lives_in-> porto
    e2 2023-01-11 Maria: "Anna's husband is Tom."           f_husband anna -husband-> tom
    e3 2023-01-12 Maria: "Tom works at Siemens."            f_works tom -works_at-> siemens
    e4 2023-01-13 Maria: "I live in Paris."                 f_paris maria -lives_in-> paris (2023-01..2024-03)
    e5 2024-03-01 Maria: "I moved to Lisbon."               f_lisbon maria -lives_in-> lisbon, SUPERSEDES
                                                            f_paris
    e6 2024-03-02 Maria: "I love hiking in the mountains."  f_hiking maria -loves-> hiking
    e7 2024-03-03 Bob:   "I live in Porto too."             f_bob bob -lives_in-> porto
    (namespace "other" holds a decoy: Maria lives in Oslo.)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from graphmem.embed import Encoder
from graphmem.errors import InvalidInput
from graphmem.extract.nlp import load_nlp
from graphmem.model import (
    DerivedFrom,
    Entity,
    Episode,
    Evidence,
    Fact,
    FactStatus,
    Insight,
    Mention,
    NextLink,
    Session,
    Supersedes,
    WriteBatch,
    entity_id,
    entity_key,
)
from graphmem.retrieve.search import Retriever
from graphmem.store.kuzu import KuzuStore

NS = "fam"


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


EPISODES = [
    ("e1", "2023-01-10", "Maria", "My sister Anna lives in Porto."),
    ("e2", "2023-01-11", "Maria", "Anna's husband is Tom."),
    ("e3", "2023-01-12", "Maria", "Tom works at Siemens."),
    ("e4", "2023-01-13", "Maria", "I live in Paris."),
    ("e5", "2024-03-01", "Maria", "I moved to Lisbon."),
    ("e6", "2024-03-02", "Maria", "I love hiking in the mountains."),
    ("e7", "2024-03-03", "Bob", "I live in Porto too."),
]
ENTITIES = {
    "Maria": "person",
    "Anna": "person",
    "Tom": "person",
    "Siemens": "organization",
    "Porto": "place",
    "Paris": "place",
    "Lisbon": "place",
    "hiking": "concept",
    "Bob": "person",
}
FACTS = [
    # id, subject, predicate, object, text, episode, valid_from, valid_to, status
    ("f_sister", "Maria", "sister", "Anna", "Maria's sister is Anna", "e1", "2023-01-10", None, "active"),
    ("f_anna_porto", "Anna", "lives_in", "Porto", "Anna lives in Porto", "e1", "2023-01-10", None, "active"),
    ("f_husband", "Anna", "husband", "Tom", "Anna's husband is Tom", "e2", "2023-01-11", None, "active"),
    ("f_works", "Tom", "works_at", "Siemens", "Tom works at Siemens", "e3", "2023-01-12", None, "active"),
    (
        "f_paris",
        "Maria",
        "lives_in",
        "Paris",
        "Maria lives in Paris",
        "e4",
        "2023-01-13",
        "2024-03-01",
        "superseded",
    ),
    ("f_lisbon", "Maria", "lives_in", "Lisbon", "Maria lives in Lisbon", "e5", "2024-03-01", None, "active"),
    ("f_hiking", "Maria", "loves", "hiking", "Maria loves hiking", "e6", "2024-03-02", None, "active"),
    ("f_bob", "Bob", "lives_in", "Porto", "Bob lives in Porto", "e7", "2024-03-03", None, "active"),
]


def eid(name: str) -> str:
    return entity_id(NS, entity_key(name))


def family_batch(encoder: Encoder) -> WriteBatch:
    texts = [f"{speaker}: {content}" for _, _, speaker, content in EPISODES]
    texts += list(ENTITIES) + [f[4] for f in FACTS]
    vectors = iter(encoder.encode(texts).tolist())
    now = at("2024-03-03")
    episodes = [
        Episode(
            id=i,
            namespace=NS,
            session_id="s1",
            seq=n,
            speaker=speaker,
            content=content,
            occurred_at=at(day),
            metadata={"turn": i},
            embedding=next(vectors),
        )
        for n, (i, day, speaker, content) in enumerate(EPISODES)
    ]
    mentions = {"Maria": 6, "Anna": 2, "Tom": 2, "Bob": 1}
    entities = [
        Entity(
            id=eid(name),
            namespace=NS,
            name=name,
            key=entity_key(name),
            type=kind,
            mention_count=mentions.get(name, 1),
            first_seen=at("2023-01-10"),
            last_seen=now,
            embedding=next(vectors),
        )
        for name, kind in ENTITIES.items()
    ]
    facts = [
        Fact(
            id=fid,
            namespace=NS,
            subject_id=eid(s),
            predicate=p,
            object_id=eid(o),
            text=text,
            valid_from=at(vf),
            valid_to=at(vt) if vt else None,
            status=FactStatus(status),
            recorded_at=at(vf),
            invalidated_at=at(vt) if vt else None,
            embedding=next(vectors),
        )
        for fid, s, p, o, text, _, vf, vt, status in FACTS
    ]
    return WriteBatch(
        namespace=NS,
        sessions=[Session(id="s1", namespace=NS, started_at=at("2023-01-10"))],
        episodes=episodes,
        entities=entities,
        facts=facts,
        evidence=[Evidence(fact_id=f[0], episode_id=f[5]) for f in FACTS],
        mentions=[Mention(episode_id=e[0], entity_id=eid(e[2])) for e in EPISODES],
        next_links=[NextLink(prev_id=a[0], next_id=b[0]) for a, b in itertools.pairwise(EPISODES)],
        supersedes=[
            Supersedes(
                new_id="f_lisbon",
                old_id="f_paris",
                reason="moved",
                rule="functional_newer",
                at=at("2024-03-01"),
            )
        ],
        insights=[
            Insight(
                id="i_profile",
                namespace=NS,
                kind="profile",
                text="Maria is an outdoorsy person",
                embedding=encoder.encode(["Maria is an outdoorsy person"])[0].tolist(),
            )
        ],
        derived_from=[DerivedFrom(insight_id="i_profile", target_id="f_hiking", target_kind="Fact")],
    )


def decoy_batch(encoder: Encoder) -> WriteBatch:
    ns = "other"
    vec = encoder.encode(["Maria: I live in Oslo.", "Maria", "Oslo", "Maria lives in Oslo"]).tolist()
    return WriteBatch(
        namespace=ns,
        sessions=[Session(id="s1", namespace=ns, started_at=at("2024-01-01"))],
        episodes=[
            Episode(
                id="o1",
                namespace=ns,
                session_id="s1",
                speaker="Maria",
                content="I live in Oslo.",
                occurred_at=at("2024-01-01"),
                embedding=vec[0],
            )
        ],
        entities=[
            Entity(
                id=eid(n),
                namespace=ns,
                name=n,
                key=entity_key(n),
                first_seen=at("2024-01-01"),
                last_seen=at("2024-01-01"),
                embedding=v,
            )
            for n, v in (("Maria", vec[1]), ("Oslo", vec[2]))
        ],
        facts=[
            Fact(
                id="o_f",
                namespace=ns,
                subject_id=eid("Maria"),
                predicate="lives_in",
                object_id=eid("Oslo"),
                text="Maria lives in Oslo",
                valid_from=at("2024-01-01"),
                embedding=vec[3],
            )
        ],
        evidence=[Evidence(fact_id="o_f", episode_id="o1")],
    )


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Retriever]:
    encoder = Encoder()
    store = KuzuStore(Path(tmp_path_factory.mktemp("retrieve")) / "db")
    store.open(dimension=encoder.dimension)
    store.write(family_batch(encoder))
    store.write(decoy_batch(encoder))
    yield Retriever(store, encoder, load_nlp())
    store.close()


def fact_ids(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.id for f in result.facts]


def test_two_hop_question_finds_the_answer_through_an_explicit_path(retriever: Retriever) -> None:
    result = retriever.search("Where does Maria's sister live?", namespace=NS, k=5)
    assert result.plan is not None and result.plan.depth == 2
    top = result.facts[0]
    assert top.id == "f_anna_porto", [f.text for f in result.facts]
    assert top.path == "Maria -sister-> Anna -lives_in-> Porto"
    assert "complete_path" in top.found_by
    assert "Maria -sister-> Anna -lives_in-> Porto" in [p.text for p in result.paths]
    assert top.episodes == ["e1"]


def test_three_hop_chain(retriever: Retriever) -> None:
    result = retriever.search("Where does Maria's sister's husband work?", namespace=NS, k=5)
    assert result.plan is not None and result.plan.depth == 3
    assert result.facts[0].id == "f_works", [f.text for f in result.facts]
    assert result.facts[0].path == "Maria -sister-> Anna -husband-> Tom -works_at-> Siemens"


def test_two_named_entities_meet_in_the_middle(retriever: Retriever) -> None:
    result = retriever.search("How is Tom connected to Maria?", namespace=NS, k=5)
    assert result.plan is not None and result.plan.meet_in_middle
    assert result.paths, "a path between Tom and Maria exists"
    assert result.paths[0].kind == "meet"
    assert set(result.paths[0].facts) == {"f_sister", "f_husband"}
    assert result.paths[0].text in (
        "Tom <-husband- Anna <-sister- Maria",
        "Maria -sister-> Anna -husband-> Tom",
    )
    assert {"f_sister", "f_husband"} <= set(fact_ids(result)[:3])


def test_question_from_the_object_side(retriever: Retriever) -> None:
    result = retriever.search("Who lives in Porto?", namespace=NS, k=5)
    assert set(fact_ids(result)[:2]) == {"f_anna_porto", "f_bob"}
    assert any(p.text.startswith("Porto <-lives_in-") for p in result.paths)


def test_current_value_with_history_attached(retriever: Retriever) -> None:
    result = retriever.search("Where does Maria live?", namespace=NS, k=5)
    top = result.facts[0]
    assert top.id == "f_lisbon"
    assert top.history == ["Paris"]
    assert top.summary == "Maria lives in Lisbon (since 2024-03; before: Paris)"
    assert "f_paris" not in fact_ids(result)


def test_as_of_shows_the_value_that_held_then(retriever: Retriever) -> None:
    result = retriever.search("Where does Maria live?", namespace=NS, k=5, as_of=at("2023-06-01"))
    assert result.facts[0].id == "f_paris"
    assert result.facts[0].status == FactStatus.superseded
    assert "f_lisbon" not in fact_ids(result)
    assert result.as_of == at("2023-06-01")


def test_a_date_in_the_question_sets_the_view(retriever: Retriever) -> None:
    result = retriever.search("Where did Maria live in 2023?", namespace=NS, k=5)
    assert result.plan is not None and result.plan.time_mode == "as_of"
    assert result.facts[0].id == "f_paris"


def test_historical_question_includes_old_values(retriever: Retriever) -> None:
    result = retriever.search("Where did Maria live before?", namespace=NS, k=5)
    assert result.plan is not None and result.plan.time_mode == "historical"
    assert {"f_paris", "f_lisbon"} <= set(fact_ids(result))


def test_episodes_and_insights_come_with_ids_and_metadata(retriever: Retriever) -> None:
    result = retriever.search("What does Maria love doing?", namespace=NS, k=5)
    assert result.facts[0].id == "f_hiking"
    assert result.episodes[0].id == "e6"
    assert result.episodes[0].metadata == {"turn": "e6"}
    assert result.episodes[0].scores and result.episodes[0].found_by
    assert [i.id for i in result.insights] == ["i_profile"]
    assert all(f.scores and abs(sum(f.scores.values()) - f.score) < 1e-4 for f in result.facts)


def test_namespaces_do_not_leak(retriever: Retriever) -> None:
    result = retriever.search("Where does Maria live?", namespace="other", k=5)
    assert fact_ids(result) == ["o_f"]
    family = retriever.search("Oslo", namespace=NS, k=10)
    assert "o_f" not in fact_ids(family) and all(e.id != "o1" for e in family.episodes)


def test_include_episodes_false_and_context_budget(retriever: Retriever) -> None:
    result = retriever.search("Where does Maria live?", namespace=NS, k=5, include_episodes=False)
    assert result.episodes == []
    full = retriever.search("Where does Maria live?", namespace=NS, k=5)
    text = full.context(max_tokens=60)
    assert "Maria lives in Lisbon" in text and "before: Paris" in text
    assert len(text) <= 60 * 4 + 60
    assert full.model_dump(mode="json")["facts"][0]["id"] == "f_lisbon"


def test_explain_gives_reasons_without_running(retriever: Retriever) -> None:
    plan = retriever.explain("Where did Maria's sister live in 2023?", namespace=NS)
    assert plan.depth == 2 and plan.time_mode == "as_of" and not plan.steps
    text = plan.render()
    assert "because" in text and "depth" in text and "2023" in text


@pytest.mark.parametrize(
    ("query", "kwargs"),
    [
        ("", {}),
        ("   ", {}),
        ("Where?", {"k": 0}),
        ("Where?", {"as_of": datetime(2024, 1, 1)}),
        ("Where?", {"namespace": ""}),
    ],
)
def test_bad_input(retriever: Retriever, query: str, kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {"namespace": NS, **kwargs}
    with pytest.raises(InvalidInput):
        retriever.search(query, **args)  # type: ignore[arg-type]
