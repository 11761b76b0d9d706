"""Pure string and type tests of entity resolution, and the merge decision they feed."""

from __future__ import annotations

import pytest

from graphmem.extract.resolve import merge_decision, name_tokens, names_compatible, types_compatible


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("IBM", "International Business Machines"),
        ("NYC", "New York City"),
        ("MIT", "Massachusetts Institute of Technology"),
        ("Dr. Anna Lee", "Anna Lee"),
        ("Dr Anna Lee", "anna lee"),
        ("Mr. Patel", "Patel"),
        ("Anna", "Anna Lee"),
        ("J. Smith", "John Smith"),
        ("Google Inc.", "Google"),
        ("Microsoft Corporation", "microsoft"),
        ("Café Lisboa", "cafe lisboa"),
        ("The Beatles", "Beatles"),
        ("USA", "United States of America"),
    ],
)
def test_compatible_names(a, b) -> None:
    assert names_compatible(a, b) and names_compatible(b, a)


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ("Anna Lee", "Anna Smith", None),
        ("Anna", "Hanna", None),
        ("Lisbon", "University of Lisbon", None),
        ("Lisbon", "University of Lisbon", "place"),
        ("Anna", "Anna Lee", "place"),
        ("New York", "New York City", "place"),
        ("IBM", "Intel Business", None),
        ("", "Anna", None),
        ("J. Smith", "Jane Doe", "person"),
    ],
)
def test_incompatible_names(a, b, kind) -> None:
    assert not names_compatible(a, b, kind=kind)


def test_name_tokens_strip_titles_suffixes_and_possessives() -> None:
    assert name_tokens("Prof. Ada Lovelace Jr.") == ["ada", "lovelace"]
    assert name_tokens("Dr") == ["dr"]  # a bare title stays: it is the whole name


@pytest.mark.parametrize(
    ("a", "b", "ok"),
    [
        ("person", "person", True),
        ("person", "place", False),
        ("place", "organization", True),
        ("concept", "person", True),
        ("object", "concept", True),
        ("animal", "person", False),
        ("date", "concept", False),
        ("", "object", True),
        ("event", "work", True),
    ],
)
def test_types(a, b, ok) -> None:
    assert types_compatible(a, b) is ok


@pytest.mark.parametrize(
    ("name", "type_", "cand", "cand_type", "sim", "decision"),
    [
        ("Dr. Anna Lee", "person", "Anna Lee", "person", 0.88, "merge"),
        ("IBM", "organization", "International Business Machines", "organization", 0.53, "merge"),
        ("Anna", "person", "Anna Lee", "person", 0.79, "merge"),
        ("Anna", "person", "Anna Lee", "person", 0.60, "new"),
        ("Anna Lee", "person", "Anna Smith", "person", 0.80, "similar"),
        ("Anna Lee", "person", "Anna Smith", "person", 0.95, "similar"),  # vectors alone never merge
        ("Maria", "person", "Mario", "person", 0.90, "similar"),
        ("Lisbon", "place", "University of Lisbon", "organization", 0.76, "similar"),
        ("cats", "animal", "cat", "animal", 0.87, "merge"),
        ("Lisbon", "place", "Lisbon", "person", 0.99, "new"),  # a city is never merged into a person
        ("Porto", "place", "Lisbon", "place", 0.69, "new"),
        ("New York", "place", "New York City", "place", 0.95, "similar"),
    ],
)
def test_merge_decision(name, type_, cand, cand_type, sim, decision) -> None:
    assert merge_decision(name, type_, cand, cand_type, sim) == decision


def test_thresholds_are_parameters() -> None:
    assert merge_decision("Anna Lee", "person", "Anna Smith", "person", 0.75, similar_threshold=0.8) == "new"
    assert merge_decision("Anna", "person", "Anna Lee", "person", 0.75, similar_threshold=0.8) == "new"


def test_short_form_of_a_party_is_that_party(run) -> None:  # type: ignore[no-untyped-def]
    greeting = run("Hey Mel! Good to see you!", speaker="Caroline", addressee="Melanie")
    assert {m.name for m in greeting.mentions if m.text == "Mel"} == {"Melanie"}
    said = run("Thanks, Deb! Mel went to Paris.", speaker="Caroline", addressee="Deborah")
    assert {m.name for m in said.mentions if m.text == "Deb"} == {"Deborah"}
    # "Mel" is no party of this conversation: kept as it is; whole other names are not short forms
    assert ("Mel", "visited", "Paris") in {(t.subject, t.predicate, t.object) for t in said.triples}
    other = run("Melvin went to Paris.", speaker="Caroline", addressee="Melanie")
    assert ("Melvin", "visited", "Paris") in {(t.subject, t.predicate, t.object) for t in other.triples}
