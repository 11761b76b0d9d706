"""Query analysis with the real spaCy model: mentions, relations, answer type, time, hops."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from graphmem.errors import InvalidInput
from graphmem.extract.nlp import load_nlp
from graphmem.retrieve.analysis import analyze_query

NOW = datetime(2024, 6, 15, tzinfo=UTC)


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_nlp()


def analyse(nlp, query: str):  # type: ignore[no-untyped-def]
    return analyze_query(query, nlp, now=NOW)


@pytest.mark.parametrize(
    ("query", "hops"),
    [
        ("Where does Maria live?", 1),
        ("Where does Maria's sister live?", 2),
        ("Where does Maria's sister's husband work?", 3),
        ("Who is the husband of the sister of Maria?", 2),
        ("Where does the man who married Anna work?", 2),
        ("Where does my sister live?", 2),
    ],
)
def test_hop_estimate(nlp, query: str, hops: int) -> None:  # type: ignore[no-untyped-def]
    assert analyse(nlp, query).hops == hops


def test_mentions_relations_and_the_asked_relation(nlp) -> None:  # type: ignore[no-untyped-def]
    a = analyse(nlp, "Where does Maria's sister live?")
    assert [m.text for m in a.names] == ["Maria"]
    assert a.names[0].key == "maria"
    assert a.predicates == ["sister", "lives_in"]
    assert a.target_predicates == ["lives_in"]  # "sister" only leads there
    assert a.answer_type == "place"
    chain = analyse(nlp, "Who is the husband of the sister of Maria?")
    assert "husband" in chain.target_predicates and "sister" not in chain.target_predicates


@pytest.mark.parametrize(
    ("query", "answer"),
    [
        ("Who lives in Porto?", "person"),
        ("Where does Tom work?", "place"),
        ("When did Caroline go to the support group?", "time"),
        ("How many kids does Melanie have?", "quantity"),
        ("How old is Tom?", "quantity"),
        ("Why did Gina start a store?", "reason"),
        ("What does Maria like?", "thing"),
        ("Does Maria live in Lisbon?", "yesno"),
        ("What year did Jon open the studio?", "time"),
    ],
)
def test_answer_type(nlp, query: str, answer: str) -> None:  # type: ignore[no-untyped-def]
    assert analyse(nlp, query).answer_type == answer


def test_temporal_intent(nlp) -> None:  # type: ignore[no-untyped-def]
    current = analyse(nlp, "Where does Maria live?")
    assert current.temporal == "current" and current.as_of is None
    dated = analyse(nlp, "Where did Maria live in 2022?")
    assert dated.temporal == "as_of"
    assert dated.as_of == datetime(2022, 7, 1, tzinfo=UTC)
    month = analyse(nlp, "Where did Maria work in March 2023?")
    assert month.as_of == datetime(2023, 3, 15, tzinfo=UTC)
    assert analyse(nlp, "Did Maria use to live in Paris?").temporal == "historical"
    assert analyse(nlp, "Where did Maria live before?").temporal == "historical"
    assert analyse(nlp, "Where does Maria live now?").temporal == "current"
    assert analyse(nlp, "How old is Tom?").temporal == "current"


def test_first_person_maps_to_the_user(nlp) -> None:  # type: ignore[no-untyped-def]
    a = analyse(nlp, "Where do I work?")
    assert a.first_person
    assert [m.key for m in a.names] == ["user"]
    assert a.predicates == ["works_at"]


def test_reasons_are_given_for_each_field(nlp) -> None:  # type: ignore[no-untyped-def]
    a = analyse(nlp, "Where did Maria's sister live in 2022?")
    assert set(a.reasons) == {"mentions", "relations", "answer_type", "hops", "temporal", "answer_many"}
    assert "2022" in a.reasons["temporal"]
    assert "possessive" in a.reasons["hops"]


@pytest.mark.parametrize("bad", ["", "   ", "x" * 2001, 42])
def test_bad_queries(nlp, bad: object) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput):
        analyze_query(bad, nlp)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "many"),
    [
        ("What books has Melanie read?", True),
        ("Which events has Jon joined?", True),
        ("What do Jon and Gina both have in common?", True),
        ("What did Caroline research?", False),
        ("Where does Maria live?", False),
    ],
)
def test_list_questions(nlp, query: str, many: bool) -> None:  # type: ignore[no-untyped-def]
    assert analyse(nlp, query).answer_many is many


@pytest.mark.parametrize(
    ("query", "word", "expected", "absent"),
    [
        # a thing is located somewhere; a person lives there (sentences written for this rule...)
        ("Where is the company based?", "based", "located_in", "lives_in"),
        ("In which city is the museum based?", "based", "located_in", "lives_in"),
        # ...and ones it was not written for: the person readings stay
        ("Where does Maria live?", "live", "lives_in", "located_in"),
        ("Where is Tom based these days?", "based", "lives_in", "located_in"),
        ("Where do my parents live now?", "live", "lives_in", "located_in"),
    ],
)
def test_residence_words_fit_the_subject(nlp, query: str, word: str, expected: str, absent: str) -> None:  # type: ignore[no-untyped-def]
    cues = {c.word: c.predicates for c in analyse(nlp, query).relations}
    assert expected in cues[word] and absent not in cues[word]


def test_including_introduces_examples_not_a_relation(nlp) -> None:  # type: ignore[no-untyped-def]
    for query in ("Which band, including Dave Grohl, recorded Nevermind?", "Name games including dice."):
        assert all(c.word.lower() != "including" for c in analyse(nlp, query).relations)
    assert any(c.word == "include" for c in analyse(nlp, "What games include dice?").relations)
