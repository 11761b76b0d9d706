"""Relative time means one thing on both paths: anchored on the episode when a statement is stored,
on the question's time when it is asked (by default the namespace's latest episode, not the clock).

Real spaCy model, real store. One time-expression module (graphmem.extract.temporal) serves both the
extractor and the query analysis, so "N months ago" is calendar months on both sides.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from graphmem import Memory
from graphmem.extract.nlp import load_nlp
from graphmem.extract.spacy_extractor import SpacyExtractor
from graphmem.retrieve.analysis import analyze_query


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_nlp()


@pytest.fixture(scope="module")
def mem(tmp_path_factory: pytest.TempPathFactory) -> Memory:
    memory = Memory(path=tmp_path_factory.mktemp("relative-time"))
    memory.open()
    yield memory
    memory.close()


def test_months_ago_are_calendar_months_in_questions(nlp) -> None:  # type: ignore[no-untyped-def]
    now = datetime(2023, 5, 31, 18, 0, tzinfo=UTC)
    asked = analyze_query("Where did Maria live 3 months ago?", nlp, now=now)
    # 30-day months would land on 2 March; the calendar says 28 February
    assert asked.as_of is not None and asked.as_of.date().isoformat() == "2023-02-28"
    years = analyze_query("Where did Maria work 4 years ago?", nlp, now=now)
    assert years.as_of is not None and years.as_of.date().isoformat() == "2019-05-31"


def test_write_and_read_paths_anchor_the_same_expression_alike(nlp) -> None:  # type: ignore[no-untyped-def]
    said_at = datetime(2023, 5, 31, 18, 0, tzinfo=UTC)
    extraction = SpacyExtractor(nlp).extract(
        "I moved to Lisbon 3 months ago.", speaker="Maria", occurred_at=said_at
    )
    moved = next(t for t in extraction.triples if t.predicate == "lives_in")
    asked = analyze_query("Where did Maria live 3 months ago?", nlp, now=said_at)
    assert moved.valid_from is not None and asked.as_of is not None
    assert moved.valid_from.date() == asked.as_of.date()


def test_search_defaults_now_to_the_latest_episode_not_the_clock(mem: Memory) -> None:
    ns = "old-conversation"
    mem.add("I moved to Lisbon.", speaker="Maria", namespace=ns, timestamp="2023-05-08T13:56:00Z")
    mem.add("I love it here.", speaker="Maria", namespace=ns, timestamp="2023-05-20T09:00:00Z")
    plan = mem.explain("Where did Maria live 4 years ago?", namespace=ns)
    assert plan.as_of is not None and plan.as_of.date().isoformat() == "2019-05-20"
    explicit = mem.explain("Where did Maria live 4 years ago?", namespace=ns, now="2030-03-10T00:00:00Z")
    assert explicit.as_of is not None and explicit.as_of.date().isoformat() == "2026-03-10"
    result = mem.search("Where did Maria live 4 years ago?", namespace=ns)
    assert result.plan.as_of is not None and result.plan.as_of.year == 2019


def test_empty_namespace_falls_back_to_the_clock(mem: Memory) -> None:
    plan = mem.explain("Where did Maria live last year?", namespace="nothing-here-yet")
    assert plan.as_of is not None and plan.as_of.year == datetime.now(UTC).year - 1


def test_bad_now_is_refused(mem: Memory) -> None:
    from graphmem.errors import InvalidInput

    with pytest.raises(InvalidInput):
        mem.search("Where does Maria live?", namespace="old-conversation", now="not a time")
