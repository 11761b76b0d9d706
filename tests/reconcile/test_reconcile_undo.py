"""Undo: applying a decision and then undoing its edges gives back the slot's earlier current view."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from reconcile_support import FactMaker

from graphmem.errors import InvalidInput
from graphmem.model import Fact, FactStatus, Modality
from graphmem.predicates import PredicateRegistry
from graphmem.reconcile import Cues, current_view, reconcile, undo

NOW = datetime(2025, 1, 1, tzinfo=UTC)
LATER = datetime(2025, 2, 1, tzinfo=UTC)

Apply = Callable[..., None]


def decide_then_undo(
    new: Fact, before: list[Fact], registry: PredicateRegistry, apply: Apply, cues: Cues | None = None
) -> tuple[dict[str, Fact], dict[str, Fact], str]:
    """Apply the decision to an in-memory slot, then undo all of its edges; return both states."""
    facts = {f.id: f for f in before}
    decision = reconcile(new, before, cues=cues or Cues(), registry=registry, now=NOW)
    assert decision.supersedes, "this helper is for decisions that changed a status"
    apply(facts, decision.updates, decision.insert)
    if decision.reinforce is not None:
        apply(facts, [decision.reinforce])
    after = dict(facts)
    for edge in decision.supersedes:
        apply(facts, undo(edge, facts[edge.old_id], facts[edge.new_id], now=LATER))
    return after, facts, decision.rule


def live_ids(facts: dict[str, Fact]) -> list[str]:
    return sorted(f.id for f in current_view(list(facts.values())))


@pytest.mark.parametrize(
    ("before", "new", "cues"),
    [
        pytest.param(
            [("a", "lives_in", "Paris", "2023-01-10", {})],
            ("b", "lives_in", "Lisbon", "2024-03-01", {}),
            Cues(),
            id="functional_newer",
        ),
        pytest.param(
            [("a", "likes", "fish", "2023-01-10", {})],
            ("b", "likes", "fish", "2024-03-01", {"polarity": False}),
            Cues(),
            id="negation",
        ),
        pytest.param(
            [("a", "works_at", "Google", "2023-01-10", {})],
            ("b", "works_at", "Google", "2024-03-01", {"polarity": False}),
            Cues(ended=True),
            id="ended",
        ),
        pytest.param(
            [("a", "born_in", "Porto", "2023-01-10", {})],
            ("b", "born_in", "Braga", "2024-03-01", {}),
            Cues(),
            id="immutable_conflict",
        ),
        pytest.param(
            [("a", "lives_in", "Paris", "2023-01-10", {})],
            ("b", "lives_in", "Lyon", "2023-02-01", {}),
            Cues(correction=True),
            id="correction",
        ),
        pytest.param(
            [("a", "likes", "coffee", "2023-01-10", {})],
            ("b", "likes", "tea", "2024-03-01", {}),
            Cues(replaces="coffee"),
            id="replace_cue",
        ),
        pytest.param(
            [("a", "has_property", "single", "2023-01-10", {})],
            ("b", "has_property", "married", "2024-03-01", {}),
            Cues(),
            id="exclusive_value",
        ),
        pytest.param(
            [("a", "lives_in", "Berlin", "2023-01-10", {"modality": Modality.intent})],
            ("b", "lives_in", "Berlin", "2024-03-01", {}),
            Cues(),
            id="intent_realised",
        ),
    ],
)
def test_undo_restores_the_current_view_and_withdraws_the_new_fact(
    make_fact: FactMaker,
    registry: PredicateRegistry,
    apply: Apply,
    before: list[tuple[str, str, str, str, dict[str, object]]],
    new: tuple[str, str, str, str, dict[str, object]],
    cues: Cues,
) -> None:
    old_facts = [make_fact(i, p, v, w, **kw) for i, p, v, w, kw in before]  # type: ignore[arg-type]
    i, p, v, w, kw = new
    incoming = make_fact(i, p, v, w, recorded="2024-06-01", **kw)  # type: ignore[arg-type]
    after, undone, _rule = decide_then_undo(incoming, old_facts, registry, apply, cues)
    assert live_ids(after) != [f.id for f in old_facts]  # the decision did change the view
    assert live_ids(undone) == sorted(f.id for f in old_facts)
    for fact in old_facts:
        restored = undone[fact.id]
        assert (
            restored.status is fact.status and restored.valid_to is None and restored.invalidated_at is None
        )
    assert undone[incoming.id].status is FactStatus.retracted
    assert undone[incoming.id].invalidated_at == LATER


def test_undo_of_history_told_late_withdraws_it_and_leaves_the_current_value(
    make_fact: FactMaker, registry: PredicateRegistry, apply: Apply
) -> None:
    current = make_fact("a", "lives_in", "Lisbon", "2024-03-01")
    late = make_fact("b", "lives_in", "Paris", "2023-01-10", recorded="2024-06-01")
    _after, undone, rule = decide_then_undo(late, [current], registry, apply)
    assert rule == "functional_older"
    assert undone["a"] == current
    assert undone["b"].status is FactStatus.retracted
    # undoing twice changes nothing more
    edge = reconcile(late, [current], cues=Cues(), registry=registry, now=NOW).supersedes[0]
    assert undo(edge, undone["b"], undone["a"], now=LATER) == []


def test_undo_of_dispute_resolution_brings_the_dispute_back(
    make_fact: FactMaker, registry: PredicateRegistry, apply: Apply
) -> None:
    porto = make_fact(
        "a", "born_in", "Porto", "2023-01-01", status=FactStatus.disputed, support=2, confidence=0.86
    )
    braga = make_fact("c", "born_in", "Braga", "2023-02-01", status=FactStatus.disputed)
    after, undone, rule = decide_then_undo(
        make_fact("b", "born_in", "Porto", "2024-01-01"), [porto, braga], registry, apply
    )
    assert rule == "dispute_resolved"
    assert (after["a"].status, after["c"].status) == (FactStatus.active, FactStatus.retracted)
    assert (undone["a"].status, undone["c"].status) == (FactStatus.disputed, FactStatus.disputed)
    assert undone["c"].invalidated_at is None


def test_undo_of_a_confirmed_correction_keeps_the_confirmed_fact(
    make_fact: FactMaker, registry: PredicateRegistry, apply: Apply
) -> None:
    lyon = make_fact("a", "lives_in", "Lyon", "2023-01-01")
    paris = make_fact("c", "lives_in", "Paris", "2023-01-01", recorded="2023-01-02")
    _after, undone, rule = decide_then_undo(
        make_fact("b", "lives_in", "Lyon", "2023-02-01"),
        [lyon, paris],
        registry,
        apply,
        Cues(correction=True, replaces="Paris"),
    )
    assert rule == "correction_confirmed"
    assert undone["a"].status is FactStatus.active and undone["c"].status is FactStatus.active


def test_undo_refuses_facts_that_the_edge_does_not_join(
    make_fact: FactMaker, registry: PredicateRegistry
) -> None:
    old = make_fact("a", "lives_in", "Paris", "2023-01-10")
    new = make_fact("b", "lives_in", "Lisbon", "2024-03-01")
    edge = reconcile(new, [old], cues=Cues(), registry=registry, now=NOW).supersedes[0]
    with pytest.raises(InvalidInput):
        undo(edge, new, old, now=LATER)
    with pytest.raises(InvalidInput):
        undo(edge, old, new, now=datetime(2025, 2, 1))
