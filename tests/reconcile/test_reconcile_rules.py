"""Every reconsolidation rule on hand-built facts (pure: no store, no model)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from reconcile_support import FactMaker, day

from graphmem.errors import InvalidInput
from graphmem.model import Fact, FactStatus, Modality
from graphmem.predicates import PredicateRegistry
from graphmem.reconcile import Cues, Decision, reconcile

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def run(
    new: Fact, active: list[Fact], registry: PredicateRegistry, cues: Cues | None = None, **kw: object
) -> Decision:
    return reconcile(new, active, cues=cues or Cues(), registry=registry, now=NOW, **kw)  # type: ignore[arg-type]


def check_edges(decision: Decision, before: list[Fact]) -> None:
    """Every status change has a Supersedes record naming the previous status.

    An insert that is not active (stored already closed, retracted or disputed) is explained by an
    edge at either end; a reinforced fact that changes status is the winner of the edges it starts.
    """
    prior = {f.id: f.status for f in before}
    changed = {u.id for u in decision.updates if u.status is not None}
    assert changed == {e.old_id for e in decision.supersedes if e.old_id in prior}
    ends = {e.old_id for e in decision.supersedes} | {e.new_id for e in decision.supersedes}
    if decision.insert is not None and decision.insert.status is not FactStatus.active:
        assert decision.insert.id in ends
    if decision.reinforce is not None and decision.reinforce.status is not None:
        assert decision.reinforce.id in ends
    for edge in decision.supersedes:
        assert edge.rule and edge.reason and edge.at == NOW
        if edge.old_id in prior:
            assert edge.old_status is prior[edge.old_id]


# --- basics -----------------------------------------------------------------------------------------


def test_first_value_is_inserted(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    new = make_fact("a", "lives_in", "Paris", "2023-01-10")
    d = run(new, [], registry)
    assert d.rule == "first_value"
    assert d.insert == new and d.updates == [] and d.supersedes == []


def test_duplicate_reinforces_without_insert(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    old = make_fact("a", "lives_in", "Paris", "2023-01-10", confidence=0.8)
    d = run(make_fact("b", "lives_in", "paris", "2023-06-01"), [old], registry)
    assert d.rule == "duplicate" and d.insert is None
    assert d.reinforce is not None and d.reinforce.id == "a" and d.reinforce.support == 2
    assert d.reinforce.confidence is not None and 0.8 < d.reinforce.confidence <= 0.99
    assert d.updates == [] and d.supersedes == []


def test_confidence_stays_bounded_under_many_confirmations(
    make_fact: FactMaker, registry: PredicateRegistry
) -> None:
    fact = make_fact("a", "likes", "tea", "2023-01-10", confidence=0.98, support=30)
    d = run(make_fact("b", "likes", "tea", "2023-02-01", confidence=0.99), [fact], registry)
    assert d.reinforce is not None and d.reinforce.confidence == 0.99 and d.reinforce.support == 31


def test_entity_object_and_literal_with_same_key_are_the_same_value(
    make_fact: FactMaker, registry: PredicateRegistry
) -> None:
    old = make_fact("a", "works_at", None, "2023-01-10", entity="e-google")
    d = run(
        make_fact("b", "works_at", "Google", "2023-05-01"),
        [old],
        registry,
        object_keys={"e-google": "google"},
    )
    assert d.rule == "duplicate"
    # without the key map the entity id cannot be compared to a name: it is a new value
    d2 = run(make_fact("b", "works_at", "Google", "2023-05-01"), [old], registry)
    assert d2.rule == "functional_newer"


def test_other_subjects_and_closed_facts_are_ignored(
    make_fact: FactMaker, registry: PredicateRegistry
) -> None:
    other = make_fact("x", "lives_in", "Rome", "2020-01-01", subject="tom")
    closed = make_fact("y", "lives_in", "Oslo", "2020-01-01", status=FactStatus.superseded)
    d = run(make_fact("b", "lives_in", "Paris", "2023-01-10"), [other, closed], registry)
    assert d.rule == "first_value" and d.updates == []


def test_naive_now_is_refused(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    with pytest.raises(InvalidInput):
        reconcile(
            make_fact("a", "likes", "tea", "2023-01-01"),
            [],
            cues=Cues(),
            registry=registry,
            now=datetime(2025, 1, 1),
        )


# --- functional ---------------------------------------------------------------------------------------


def test_functional_newer_closes_older_at_new_start(
    make_fact: FactMaker, registry: PredicateRegistry
) -> None:
    old = make_fact("a", "lives_in", "Paris", "2023-01-10")
    new = make_fact("b", "lives_in", "Lisbon", "2024-03-01")
    d = run(new, [old], registry)
    assert d.rule == "functional_newer"
    assert d.insert is not None and d.insert.status is FactStatus.active and d.insert.valid_to is None
    (upd,) = d.updates
    assert (upd.id, upd.status, upd.valid_to, upd.invalidated_at) == (
        "a",
        FactStatus.superseded,
        day("2024-03-01"),
        NOW,
    )
    (edge,) = d.supersedes
    assert (edge.new_id, edge.old_id, edge.rule, edge.old_status) == (
        "b",
        "a",
        "functional_newer",
        FactStatus.active,
    )
    assert "Lisbon" in edge.reason and "Paris" in edge.reason and "2024-03-01" in edge.reason
    check_edges(d, [old])


def test_functional_older_is_stored_closed(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    current = make_fact("a", "lives_in", "Lisbon", "2024-03-01")
    late = make_fact("b", "lives_in", "Paris", "2023-01-10", recorded="2024-06-01")
    d = run(late, [current], registry)
    assert d.rule == "functional_older"
    assert d.updates == []  # the current value is untouched
    assert d.insert is not None
    assert d.insert.status is FactStatus.superseded
    assert d.insert.valid_from == day("2023-01-10") and d.insert.valid_to == day("2024-03-01")
    assert d.insert.invalidated_at == NOW
    (edge,) = d.supersedes
    assert (edge.new_id, edge.old_id, edge.rule) == ("a", "b", "functional_older")
    check_edges(d, [current])


def test_functional_value_told_late_between_two_values(
    make_fact: FactMaker, registry: PredicateRegistry
) -> None:
    # an inconsistent slot (two live values) from before: the new one closes the older and ends at the later
    early = make_fact("a", "works_at", "Acme", "2019-01-01")
    late = make_fact("c", "works_at", "Google", "2023-01-01")
    d = run(make_fact("b", "works_at", "Bosch", "2021-01-01", recorded="2024-01-01"), [early, late], registry)
    assert {(u.id, u.valid_to) for u in d.updates} == {("a", day("2021-01-01"))}
    assert d.insert is not None and d.insert.valid_to == day("2023-01-01")
    assert d.insert.status is FactStatus.superseded


def test_one_new_fact_closes_several_olds(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    olds = [
        make_fact("a", "job_title", "nurse", "2020-01-01"),
        make_fact("c", "job_title", "cook", "2021-01-01"),
    ]
    d = run(make_fact("b", "job_title", "teacher", "2022-01-01"), olds, registry)
    assert sorted(u.id for u in d.updates) == ["a", "c"]
    assert sorted(e.old_id for e in d.supersedes) == ["a", "c"]
    check_edges(d, olds)


def test_values_stated_together_in_a_functional_slot_are_both_kept(
    make_fact: FactMaker, registry: PredicateRegistry
) -> None:
    first = make_fact("a", "lives_in", "Paris", "2023-01-10")
    d = run(make_fact("b", "lives_in", "London", "2023-01-10"), [first], registry)
    assert d.rule == "functional_simultaneous" and "simultaneous_values" in d.flags
    assert d.updates == [] and d.insert is not None and d.insert.status is FactStatus.active


def test_favourite_prefix_is_functional(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    old = make_fact("a", "favourite_color", "blue", "2023-01-01")
    d = run(make_fact("b", "favourite_color", "green", "2024-01-01"), [old], registry)
    assert d.rule == "functional_newer"


# --- negation and ended ------------------------------------------------------------------------------


def test_negation_later_wins(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    old = make_fact("a", "likes", "fish", "2023-01-01")
    d = run(make_fact("b", "likes", "fish", "2024-01-01", polarity=False), [old], registry)
    assert d.rule == "negation"
    assert d.insert is not None and d.insert.polarity is False and d.insert.status is FactStatus.active
    (upd,) = d.updates
    assert upd.status is FactStatus.superseded and upd.valid_to == day("2024-01-01")
    check_edges(d, [old])


def test_positive_after_negative_reverses_it(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    old = make_fact("a", "likes", "fish", "2023-01-01", polarity=False)
    d = run(make_fact("b", "likes", "fish", "2024-01-01"), [old], registry)
    assert d.rule == "negation" and d.updates[0].id == "a"
    assert d.insert is not None and d.insert.polarity is True


def test_negation_told_late_is_stored_closed(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    newer = make_fact("a", "likes", "fish", "2024-01-01")
    d = run(
        make_fact("b", "likes", "fish", "2022-01-01", polarity=False, recorded="2024-02-01"),
        [newer],
        registry,
    )
    assert d.rule == "negation_older" and d.updates == []
    assert d.insert is not None and d.insert.status is FactStatus.superseded
    assert d.insert.valid_to == day("2024-01-01")
    assert (d.supersedes[0].new_id, d.supersedes[0].old_id) == ("a", "b")
    check_edges(d, [newer])


def test_negative_fact_with_nothing_to_close(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    d = run(make_fact("b", "likes", "fish", "2024-01-01", polarity=False), [], registry)
    assert d.rule == "negative_add" and d.insert is not None and d.insert.polarity is False


def test_negative_other_value_does_not_touch_functional_value(
    make_fact: FactMaker, registry: PredicateRegistry
) -> None:
    current = make_fact("a", "lives_in", "Paris", "2023-01-01")
    d = run(make_fact("b", "lives_in", "Rome", "2024-01-01", polarity=False), [current], registry)
    assert d.rule == "negative_add" and d.updates == []


def test_no_longer_closes_the_stored_value(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    old = make_fact("a", "works_at", "Google", "2022-01-01")
    d = run(
        make_fact("b", "works_at", "Google", "2024-05-01", polarity=False), [old], registry, Cues(ended=True)
    )
    assert d.rule == "ended"
    (upd,) = d.updates
    assert upd.status is FactStatus.superseded and upd.valid_to == day("2024-05-01")
    assert d.insert is not None and d.insert.polarity is False and d.insert.status is FactStatus.active
    assert d.insert.valid_from == day("2024-05-01")
    check_edges(d, [old])


def test_no_longer_without_stored_value_records_closed_history(
    make_fact: FactMaker, registry: PredicateRegistry
) -> None:
    d = run(
        make_fact("b", "works_at", "Google", "2024-05-01", polarity=False), [], registry, Cues(ended=True)
    )
    assert d.rule == "ended_no_prior" and d.updates == [] and d.supersedes == []
    assert d.insert is not None
    assert d.insert.polarity is True and d.insert.status is FactStatus.superseded
    assert d.insert.valid_from is None and d.insert.valid_to == day("2024-05-01")


def test_no_longer_history_cannot_overlap_the_current_functional_value(
    make_fact: FactMaker, registry: PredicateRegistry
) -> None:
    current = make_fact("a", "lives_in", "Lisbon", "2024-03-01")
    d = run(
        make_fact("b", "lives_in", "Paris", "2024-04-01", polarity=False),
        [current],
        registry,
        Cues(ended=True),
    )
    assert d.rule == "ended_no_prior" and d.updates == []
    assert d.insert is not None and d.insert.valid_to == day("2024-03-01")


def test_no_longer_twice_reinforces_the_negative(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    negative = make_fact("a", "works_at", "Google", "2024-05-01", polarity=False)
    d = run(
        make_fact("b", "works_at", "Google", "2024-06-01", polarity=False),
        [negative],
        registry,
        Cues(ended=True),
    )
    assert d.rule == "duplicate" and d.insert is None and d.reinforce is not None and d.reinforce.id == "a"


def test_used_to_with_past_end_is_history(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    current = make_fact("a", "lives_in", "Paris", "2018-01-01")
    used_to = make_fact("b", "lives_in", "Paris", "2024-01-01", valid_to=day("2024-01-01"))
    d = run(used_to, [current], registry)
    assert d.rule == "ended" and d.updates[0].valid_to == day("2024-01-01")


# --- modality ---------------------------------------------------------------------------------------------


def test_intent_closes_nothing(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    current = make_fact("a", "lives_in", "Paris", "2023-01-01")
    d = run(make_fact("b", "lives_in", "Berlin", "2024-01-01", modality=Modality.intent), [current], registry)
    assert d.rule == "modality" and d.updates == [] and d.supersedes == []
    assert d.insert is not None and d.insert.modality is Modality.intent


def test_hypothetical_negation_closes_nothing(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    current = make_fact("a", "likes", "fish", "2023-01-01")
    maybe_not = make_fact("b", "likes", "fish", "2024-01-01", polarity=False, modality=Modality.hypothetical)
    d = run(maybe_not, [current], registry, Cues(ended=True))
    assert d.rule == "modality" and d.updates == []


def test_repeated_intent_is_reinforced(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    plan = make_fact("a", "lives_in", "Berlin", "2024-01-01", modality=Modality.intent)
    d = run(make_fact("b", "lives_in", "Berlin", "2024-02-01", modality=Modality.intent), [plan], registry)
    assert d.rule == "duplicate" and d.reinforce is not None and d.reinforce.id == "a"


def test_intent_realised_by_asserted_fact(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    current = make_fact("a", "lives_in", "Paris", "2023-01-01")
    plan = make_fact("p", "lives_in", "Berlin", "2024-01-01", modality=Modality.intent)
    d = run(make_fact("b", "lives_in", "Berlin", "2024-06-01"), [current, plan], registry)
    rules = {e.old_id: e.rule for e in d.supersedes}
    assert rules == {"p": "intent_realised", "a": "functional_newer"}
    check_edges(d, [current, plan])


def test_hedged_facts_are_not_competitors(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    plan = make_fact("p", "lives_in", "Berlin", "2024-01-01", modality=Modality.hypothetical)
    d = run(make_fact("b", "lives_in", "Madrid", "2024-06-01"), [plan], registry)
    assert d.rule == "first_value" and d.updates == []


# --- immutable ------------------------------------------------------------------------------------------


def test_immutable_conflict_disputes_both(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    old = make_fact("a", "born_in", "Porto", "2023-01-01")
    d = run(make_fact("b", "born_in", "Braga", "2024-01-01"), [old], registry)
    assert d.rule == "immutable_conflict" and "disputed" in d.flags
    assert d.insert is not None and d.insert.status is FactStatus.disputed
    (upd,) = d.updates
    assert upd.status is FactStatus.disputed and upd.valid_to is None and upd.invalidated_at is None
    check_edges(d, [old])


def test_immutable_clearly_more_reliable_new_value_wins(
    make_fact: FactMaker, registry: PredicateRegistry
) -> None:
    hearsay = make_fact("a", "born_in", "Porto", "2023-01-01", modality=Modality.reported, confidence=0.5)
    d = run(make_fact("b", "born_in", "Braga", "2024-01-01", confidence=0.9), [hearsay], registry)
    assert d.rule == "immutable_replaced"
    assert d.updates[0].status is FactStatus.retracted and d.insert is not None
    assert d.insert.status is FactStatus.active


def test_immutable_clearly_more_reliable_old_value_is_kept(
    make_fact: FactMaker, registry: PredicateRegistry
) -> None:
    confirmed = make_fact("a", "birth_date", "1990-05-02", "2023-01-01", support=4)
    d = run(make_fact("b", "birth_date", "1990-05-03", "2024-01-01"), [confirmed], registry)
    assert d.rule == "immutable_kept" and d.updates == []
    assert d.insert is not None and d.insert.status is FactStatus.retracted
    assert (d.supersedes[0].new_id, d.supersedes[0].old_id) == ("a", "b")
    check_edges(d, [confirmed])


def test_repeated_confirmation_resolves_a_dispute(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    porto = make_fact(
        "a", "born_in", "Porto", "2023-01-01", status=FactStatus.disputed, support=2, confidence=0.86
    )
    braga = make_fact("c", "born_in", "Braga", "2023-02-01", status=FactStatus.disputed)
    d = run(make_fact("b", "born_in", "Porto", "2024-01-01"), [porto, braga], registry)
    assert d.rule == "dispute_resolved" and d.insert is None
    assert d.reinforce is not None and d.reinforce.status is FactStatus.active and d.reinforce.support == 3
    (upd,) = d.updates
    assert upd.id == "c" and upd.status is FactStatus.retracted
    assert (d.supersedes[0].new_id, d.supersedes[0].old_status) == ("a", FactStatus.disputed)
    check_edges(d, [porto, braga])


def test_single_confirmation_does_not_resolve_a_dispute(
    make_fact: FactMaker, registry: PredicateRegistry
) -> None:
    porto = make_fact("a", "born_in", "Porto", "2023-01-01", status=FactStatus.disputed)
    braga = make_fact("c", "born_in", "Braga", "2023-02-01", status=FactStatus.disputed)
    d = run(make_fact("b", "born_in", "Porto", "2024-01-01"), [porto, braga], registry)
    assert d.rule == "duplicate" and d.updates == [] and d.reinforce is not None
    assert d.reinforce.status is None


# --- multi, unknown, cues ---------------------------------------------------------------------------------


def test_multi_adds_and_reports_co_occurrence(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    d = run(
        make_fact("b", "likes", "tea", "2024-01-01"),
        [make_fact("a", "likes", "coffee", "2023-01-01")],
        registry,
    )
    assert d.rule == "multi_add" and d.updates == [] and d.evidence == "co_occurrence"


def test_instead_of_closes_only_its_target(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    coffee = make_fact("a", "likes", "coffee", "2023-01-01")
    jazz = make_fact("c", "likes", "jazz", "2023-01-01")
    d = run(make_fact("b", "likes", "tea", "2024-01-01"), [coffee, jazz], registry, Cues(replaces="Coffee"))
    assert d.rule == "replace_cue" and [u.id for u in d.updates] == ["a"]
    assert d.updates[0].valid_to == day("2024-01-01") and d.evidence == "replacement"
    check_edges(d, [coffee, jazz])


def test_instead_of_names_an_entity_by_key(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    honda = make_fact("a", "owns", None, "2023-01-01", entity="e-honda")
    d = run(
        make_fact("b", "owns", None, "2024-01-01", entity="e-tesla"),
        [honda],
        registry,
        Cues(replaces="honda"),
        object_keys={"e-honda": "honda", "e-tesla": "tesla"},
    )
    assert [u.id for u in d.updates] == ["a"]


def test_unknown_cardinality_keeps_both_and_flags(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    old = make_fact("a", "drinks", "coffee", "2023-01-01")
    d = run(make_fact("b", "drinks", "tea", "2024-01-01"), [old], registry)
    assert d.rule == "unknown_add" and d.flags == ["unknown_cardinality"] and d.updates == []
    assert d.evidence == "co_occurrence"


def test_learned_cardinality_changes_the_decision(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    registry.observe("drinks", "replacement", count=3)
    old = make_fact("a", "drinks", "coffee", "2023-01-01")
    d = run(make_fact("b", "drinks", "tea", "2024-01-01"), [old], registry)
    assert d.rule == "functional_newer"


# --- corrections ----------------------------------------------------------------------------------------


def test_correction_retracts_and_takes_over_the_period(
    make_fact: FactMaker, registry: PredicateRegistry
) -> None:
    wrong = make_fact("a", "lives_in", "Paris", "2023-01-10")
    d = run(
        make_fact("b", "lives_in", "Lyon", "2023-03-01"),
        [wrong],
        registry,
        Cues(correction=True, replaces="Paris"),
    )
    assert d.rule == "correction"
    (upd,) = d.updates
    assert upd.status is FactStatus.retracted and upd.valid_to is None and upd.invalidated_at == NOW
    assert d.insert is not None and d.insert.valid_from == day("2023-01-10")
    check_edges(d, [wrong])


def test_correction_without_target_in_multi_slot_hits_the_last_statement(
    make_fact: FactMaker, registry: PredicateRegistry
) -> None:
    jazz = make_fact("a", "likes", "jazz", "2023-01-01")
    coffee = make_fact("c", "likes", "coffee", "2024-01-01")
    d = run(
        make_fact("b", "likes", "tea", "2024-01-01", recorded="2024-01-02"),
        [jazz, coffee],
        registry,
        Cues(correction=True),
    )
    assert [u.id for u in d.updates] == ["c"] and d.updates[0].status is FactStatus.retracted


def test_correction_to_a_known_value_confirms_it(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    lyon = make_fact("a", "lives_in", "Lyon", "2023-01-01", status=FactStatus.active)
    paris = make_fact("c", "lives_in", "Paris", "2023-01-01", recorded="2023-01-02")
    d = run(
        make_fact("b", "lives_in", "Lyon", "2023-02-01"),
        [lyon, paris],
        registry,
        Cues(correction=True, replaces="Paris"),
    )
    assert d.rule == "correction_confirmed" and d.insert is None
    assert d.reinforce is not None and d.reinforce.id == "a"
    assert (d.supersedes[0].new_id, d.supersedes[0].old_id) == ("a", "c")
    check_edges(d, [lyon, paris])


def test_correction_with_nothing_to_correct_is_an_ordinary_fact(
    make_fact: FactMaker, registry: PredicateRegistry
) -> None:
    d = run(
        make_fact("b", "likes", "tea", "2024-01-01"), [], registry, Cues(correction=True, replaces="coffee")
    )
    assert d.rule == "first_value"


# --- exclusive value groups -------------------------------------------------------------------------------


def test_married_closes_single(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    single = make_fact("a", "has_property", "single", "2022-01-01")
    tall = make_fact("c", "has_property", "tall", "2022-01-01")
    d = run(make_fact("b", "has_property", "married", "2024-01-01"), [single, tall], registry)
    assert d.rule == "exclusive_value" and [u.id for u in d.updates] == ["a"]
    check_edges(d, [single, tall])


def test_exclusive_groups_cross_copula_predicates(make_fact: FactMaker, registry: PredicateRegistry) -> None:
    married = make_fact("a", "has_property", "married", "2020-01-01")
    d = run(make_fact("b", "is_a", "widow", "2024-01-01"), [married], registry)
    assert [(e.old_id, e.rule) for e in d.supersedes] == [("a", "exclusive_value")]


def test_exclusive_value_told_late_is_stored_closed(
    make_fact: FactMaker, registry: PredicateRegistry
) -> None:
    married = make_fact("a", "has_property", "married", "2024-01-01")
    d = run(
        make_fact("b", "has_property", "single", "2020-01-01", recorded="2024-02-01"), [married], registry
    )
    assert d.rule == "exclusive_older" and d.updates == []
    assert d.insert is not None and d.insert.valid_to == day("2024-01-01")
    check_edges(d, [married])


def test_statement_inside_closed_history_reinforces_it(
    make_fact: FactMaker, registry: PredicateRegistry
) -> None:
    # "I quit my job at Netflix" (nothing stored) then, told late, "I work at Netflix" dated before
    quit_ = make_fact("b", "works_at", "Netflix", "2024-01-10", polarity=False)
    stored = run(quit_, [], registry, Cues(ended=True)).insert
    assert stored is not None and stored.status is FactStatus.superseded
    late = make_fact("c", "works_at", "Netflix", "2023-02-01", recorded="2024-02-01")
    d = run(late, [stored], registry)
    assert d.rule == "duplicate" and d.insert is None
    assert d.reinforce is not None and d.reinforce.id == "b"
    # the same value stated after the closed period is a new current value
    again = run(make_fact("e", "works_at", "Netflix", "2024-06-01"), [stored], registry)
    assert again.rule == "first_value" and again.insert is not None
