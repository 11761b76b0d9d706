"""current_view (current, as-of by event time, known-at by transaction time) and the history line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from reconcile_support import FactMaker, day

from graphmem.errors import InvalidInput
from graphmem.model import Fact, FactStatus, Modality
from graphmem.predicates import PredicateRegistry
from graphmem.reconcile import Cues, current_view, reconcile, render_with_history

Apply = Callable[..., None]


def ingest(
    statements: list[Fact], registry: PredicateRegistry, apply: Apply, cues: dict[str, Cues] | None = None
) -> list[Fact]:
    """Reconcile statements one by one, as Memory.add would; now = each statement's recorded_at."""
    facts: dict[str, Fact] = {}
    for new in statements:
        slot = [
            f for f in facts.values() if f.predicate == new.predicate and f.status is not FactStatus.retracted
        ]
        decision = reconcile(
            new, slot, cues=(cues or {}).get(new.id, Cues()), registry=registry, now=new.recorded_at
        )
        apply(facts, decision.updates, decision.insert)
        if decision.reinforce is not None:
            apply(facts, [decision.reinforce])
    return list(facts.values())


def objects(facts: list[Fact]) -> list[str | None]:
    return [f.object_value for f in facts]


@pytest.fixture
def moves(make_fact: FactMaker, registry: PredicateRegistry, apply: Apply) -> list[Fact]:
    """Paris (2020) -> Lisbon (2022) -> Madrid (2024), plus Berlin 2021 told late and an intent."""
    return ingest(
        [
            make_fact("paris", "lives_in", "Paris", "2020-01-01"),
            make_fact("lisbon", "lives_in", "Lisbon", "2022-01-01"),
            make_fact("madrid", "lives_in", "Madrid", "2024-01-01"),
            make_fact("berlin", "lives_in", "Berlin", "2021-01-01", recorded="2024-06-01"),
            make_fact("rome", "lives_in", "Rome", "2024-07-01", modality=Modality.intent),
        ],
        registry,
        apply,
    )


def test_current_view_is_live_facts_newest_first(moves: list[Fact]) -> None:
    assert objects(current_view(moves)) == ["Rome", "Madrid"]
    assert objects(current_view(moves, asserted_only=True)) == ["Madrid"]


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2019-06-01", []),
        ("2020-06-01", ["Paris"]),
        ("2021-06-01", ["Berlin", "Paris"]),  # told late: it held, Paris had not been closed by it
        ("2022-01-01", ["Lisbon"]),  # valid_to is exclusive, valid_from inclusive
        ("2023-06-01", ["Lisbon"]),
        ("2025-01-01", ["Madrid"]),
    ],
)
def test_as_of_uses_event_time(moves: list[Fact], when: str, expected: list[str]) -> None:
    assert objects(current_view(moves, day(when), asserted_only=True)) == expected


def test_known_at_shows_what_was_believed_then(moves: list[Fact]) -> None:
    # on 2023-06-01 graphmem had not heard of Madrid or Berlin; Lisbon was current
    assert objects(current_view(moves, known_at=day("2023-06-01"), asserted_only=True)) == ["Lisbon"]
    assert objects(current_view(moves, day("2021-06-01"), known_at=day("2023-06-01"))) == ["Paris"]


def test_retracted_facts_never_held(make_fact: FactMaker, registry: PredicateRegistry, apply: Apply) -> None:
    facts = ingest(
        [
            make_fact("paris", "lives_in", "Paris", "2023-01-10"),
            make_fact("lyon", "lives_in", "Lyon", "2023-03-01"),
        ],
        registry,
        apply,
        cues={"lyon": Cues(correction=True)},
    )
    assert objects(current_view(facts, day("2023-02-01"))) == ["Lyon"]
    assert objects(current_view(facts)) == ["Lyon"]


def test_disputed_facts_stay_in_the_current_view(
    make_fact: FactMaker, registry: PredicateRegistry, apply: Apply
) -> None:
    facts = ingest(
        [make_fact("a", "born_in", "Porto", "2023-01-10"), make_fact("b", "born_in", "Braga", "2023-03-01")],
        registry,
        apply,
    )
    view = current_view(facts)
    assert objects(view) == ["Braga", "Porto"] and {f.status for f in view} == {FactStatus.disputed}


def test_naive_times_are_refused(moves: list[Fact]) -> None:
    with pytest.raises(InvalidInput):
        current_view(moves, datetime(2024, 1, 1))
    with pytest.raises(InvalidInput):
        current_view(moves, known_at=datetime(2024, 1, 1))


def test_render_with_history(moves: list[Fact]) -> None:
    current = next(f for f in moves if f.id == "madrid")
    assert (
        render_with_history(current, moves)
        == "maria lives_in Madrid (since 2024-01; before: Lisbon, Berlin, Paris)"
    )
    assert (
        render_with_history(current, moves, limit=1)
        == "maria lives_in Madrid (since 2024-01; before: Lisbon, ...)"
    )
    assert render_with_history(current, []) == "maria lives_in Madrid (since 2024-01)"


def test_render_with_history_names_entities_and_skips_retracted(make_fact: FactMaker) -> None:
    old = make_fact("a", "works_at", None, "2020-01-01", entity="e1", status=FactStatus.superseded)
    wrong = make_fact("w", "works_at", None, "2021-01-01", entity="e3", status=FactStatus.retracted)
    cur = Fact(
        id="b",
        namespace="ns",
        subject_id="maria",
        predicate="works_at",
        object_id="e2",
        text="Maria works at Siemens.",
        valid_from=datetime(2022, 5, 3, tzinfo=UTC),
    )
    assert render_with_history(cur, [old, wrong, cur], names={"e1": "Bosch"}) == (
        "Maria works at Siemens (since 2022-05; before: Bosch)"
    )
    undated = Fact(
        id="c",
        namespace="ns",
        subject_id="maria",
        predicate="likes",
        object_value="tea",
        text="Maria likes tea",
    )
    assert render_with_history(undated, []) == "Maria likes tea"
