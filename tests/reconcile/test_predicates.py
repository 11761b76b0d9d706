"""The predicate registry: seeds, prefix rule, overrides, learning thresholds, groups, persistence."""

from __future__ import annotations

import json

import pytest

from graphmem.errors import InvalidInput
from graphmem.predicates import (
    SEEDED_PREDICATES,
    Cardinality,
    PredicateRegistry,
    normalise_predicate,
)

EXTRACTOR_NAMES = (  # the canonical names the extractor's lexicon shares with the registry
    "lives_in",
    "works_at",
    "job_title",
    "studies_at",
    "spouse",
    "partner",
    "husband",
    "wife",
    "age",
    "born_in",
    "birth_date",
    "nationality",
    "relationship_status",
    "likes",
    "dislikes",
    "loves",
    "visited",
    "owns",
    "has_pet",
    "knows",
    "friend_of",
    "sister",
    "brother",
    "sibling",
    "mother",
    "father",
    "parent",
    "child",
    "son",
    "daughter",
    "is_a",
    "has_property",
    "located_in",
    "located_at",
    "member_of",
    "plays",
    "speaks",
    "drives",
    "hobby",
    "reads",
    "wants",
    "plans_to",
    "has",
)


def test_every_name_shared_with_the_extractor_is_seeded() -> None:
    assert len(SEEDED_PREDICATES) >= 40
    missing = [name for name in EXTRACTOR_NAMES if name not in SEEDED_PREDICATES]
    assert missing == []


def test_every_canonical_predicate_of_the_lexicon_has_a_cardinality(registry: PredicateRegistry) -> None:
    from graphmem.extract.lexicon import CANONICAL_PREDICATES

    unknown = sorted(p for p in CANONICAL_PREDICATES if registry.cardinality(p) is Cardinality.unknown)
    assert unknown == []


@pytest.mark.parametrize(
    ("predicate", "expected"),
    [
        ("lives_in", Cardinality.functional),
        ("works_at", Cardinality.functional),
        ("spouse", Cardinality.functional),
        ("located_at", Cardinality.functional),
        ("born_in", Cardinality.immutable),
        ("birth_date", Cardinality.immutable),
        ("likes", Cardinality.multi),
        ("visited", Cardinality.multi),
        ("has_property", Cardinality.multi),
        ("favourite_color", Cardinality.functional),
        ("favorite_food", Cardinality.functional),
        ("Works For", Cardinality.functional),
        ("collect_stamp", Cardinality.unknown),
    ],
)
def test_builtin_cardinalities(registry: PredicateRegistry, predicate: str, expected: Cardinality) -> None:
    assert registry.cardinality(predicate) is expected


def test_normalise_predicate_aliases_and_spelling() -> None:
    assert normalise_predicate("  Lives-At ") == "lives_in"
    assert normalise_predicate("favorite_colour") == "favourite_colour"
    assert normalise_predicate("friend_of") == "friend_of"
    with pytest.raises(InvalidInput):
        normalise_predicate("   ")


def test_override_wins_over_seed_and_learning() -> None:
    reg = PredicateRegistry({"drinks": "multi", "likes": Cardinality.functional})
    assert reg.explain("drinks") == (Cardinality.multi, "override")
    assert reg.cardinality("likes") is Cardinality.functional
    for _ in range(10):
        reg.observe("drinks", "replacement")
    assert reg.cardinality("drinks") is Cardinality.multi


def test_bad_override_is_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown cardinality"):
        PredicateRegistry({"drinks": "several"})


def test_unknown_moves_to_functional_after_enough_replacements(registry: PredicateRegistry) -> None:
    assert registry.observe("commutes_by", "replacement") is Cardinality.unknown
    assert registry.observe("commutes_by", "replacement") is Cardinality.unknown
    assert registry.observe("commutes_by", "replacement") is Cardinality.functional
    assert registry.explain("commutes_by") == (Cardinality.functional, "learned")


def test_unknown_moves_to_multi_after_co_occurring_values(registry: PredicateRegistry) -> None:
    registry.observe("drinks", "co_occurrence", count=3)
    assert registry.cardinality("drinks") is Cardinality.multi


def test_mixed_evidence_stays_unknown_until_it_leans(registry: PredicateRegistry) -> None:
    registry.observe("grows", "replacement", count=2)
    registry.observe("grows", "co_occurrence", count=2)
    assert registry.cardinality("grows") is Cardinality.unknown  # 50% replacements: no guess
    registry.observe("grows", "co_occurrence", count=4)  # 2 of 8 = 25%
    assert registry.cardinality("grows") is Cardinality.multi


def test_seeded_predicates_count_evidence_but_do_not_move(registry: PredicateRegistry) -> None:
    registry.observe("likes", "replacement", count=9)
    assert registry.cardinality("likes") is Cardinality.multi
    assert registry.counts("likes").replacement == 9


def test_observe_refuses_bad_evidence(registry: PredicateRegistry) -> None:
    with pytest.raises(InvalidInput):
        registry.observe("drinks", "maybe")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        registry.observe("drinks", "replacement", count=0)


def test_thresholds_are_configurable_and_checked() -> None:
    reg = PredicateRegistry(min_evidence=1)
    reg.observe("drinks", "co_occurrence")
    assert reg.cardinality("drinks") is Cardinality.multi
    with pytest.raises(InvalidInput):
        PredicateRegistry(functional_share=0.2, multi_share=0.5)


def test_exclusive_groups_apply_to_copula_predicates_only(registry: PredicateRegistry) -> None:
    assert registry.excludes("has_property", "married", "Single")
    assert registry.excludes("is_a", "widow", "married")  # synonym of widowed
    assert registry.excludes("relationship_status", "divorced", "engaged")
    assert registry.excludes("has_property", "dead", "alive")
    assert not registry.excludes("has_property", "married", "married")
    assert not registry.excludes("has_property", "married", "tall")
    assert not registry.excludes("likes", "married", "single")


def test_round_trip_through_json_keeps_learning_and_overrides() -> None:
    reg = PredicateRegistry({"drinks": "multi"}, min_evidence=2)
    reg.observe("commutes_by", "replacement", count=2)
    reg.observe("grows", "co_occurrence")
    data = json.loads(json.dumps(reg.to_dict()))
    back = PredicateRegistry.from_dict(data)
    assert back.to_dict() == reg.to_dict()
    assert back.cardinality("commutes_by") is Cardinality.functional
    assert back.cardinality("drinks") is Cardinality.multi
    # configuration passed at load time wins over what was saved
    again = PredicateRegistry.from_dict(data, overrides={"drinks": "functional"})
    assert again.cardinality("drinks") is Cardinality.functional


def test_from_dict_refuses_garbage() -> None:
    with pytest.raises(InvalidInput):
        PredicateRegistry.from_dict({"version": 7})
    with pytest.raises(InvalidInput):
        PredicateRegistry.from_dict({"counts": {"drinks": {"replacement": -1}}})
    with pytest.raises(InvalidInput):
        PredicateRegistry.from_dict({"counts": {"drinks": "many"}})


def test_known_lists_learned_predicates(registry: PredicateRegistry) -> None:
    registry.observe("commutes_by", "replacement", count=3)
    known = registry.known()
    assert known["commutes_by"] is Cardinality.functional
    assert known["lives_in"] is Cardinality.functional
    assert "grows" not in known
