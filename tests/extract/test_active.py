"""Examples of the active-verb patterns (graphmem/extract/active.py) on the real spaCy model:
subject-verb-object, verb + preposition, and state-change verbs."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I live in Porto.", ("maria", "lives_in", "porto", True)),
        ("I work for Siemens.", ("maria", "works_at", "siemens", True)),
        ("I study at Oxford.", ("maria", "studies_at", "oxford", True)),
        ("I speak Dutch.", ("maria", "speaks", "dutch", True)),
        ("I adore opera.", ("maria", "loves", "opera", True)),
        ("I dislike olives.", ("maria", "dislikes", "olives", True)),
        ("I play the cello.", ("maria", "plays", "cello", True)),
        ("Noor works as a translator.", ("noor", "job_title", "translator", True)),
        ("Felipe grew up in Lima.", ("felipe", "grew_up_in", "lima", True)),
    ],
)
def test_svo_and_verb_prep(keys, text, expected) -> None:
    assert expected in keys(text)


def test_unknown_verb_keeps_a_normalised_lemma_predicate(run) -> None:
    triple = run("Priya collects rare maps.").triples[0]
    assert (triple.subject, triple.predicate, triple.object) == ("Priya", "collect", "rare maps")
    assert triple.predicate_raw == "collect"


def test_verb_with_object_and_known_preposition(keys) -> None:
    found = keys("Omar teaches history at Kingsway Academy.")
    assert ("omar", "teaches", "history", True) in found
    assert ("omar", "works_at", "kingsway academy", True) in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I moved to Utrecht.", ("maria", "lives_in", "utrecht", True)),
        ("I relocated to Perth.", ("maria", "lives_in", "perth", True)),
        ("I joined Unilever.", ("maria", "works_at", "unilever", True)),
        ("I joined a running club.", ("maria", "member_of", "running club", True)),
        ("I got hired at a hospital.", ("maria", "works_at", "hospital", True)),
        ("I married Pedro.", ("maria", "spouse", "pedro", True)),
        ("I adopted a puppy.", ("maria", "has_pet", "puppy", True)),
        ("I bought a piano.", ("maria", "owns", "piano", True)),
        ("I left Unilever.", ("maria", "works_at", "unilever", False)),
        ("I sold my car.", ("maria", "owns", "car", False)),
    ],
)
def test_state_change_verbs_map_to_state_predicates(keys, text, expected) -> None:
    assert expected in keys(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We went camping last weekend.", ("maria", "did_activity", "camping", True)),
        ("I went shopping with my sister Anna.", ("anna", "did_activity", "shopping", True)),
        ("Yesterday I went for a run by the river.", ("maria", "did_activity", "run", True)),
        ("We never went skiing.", ("maria", "did_activity", "skiing", False)),
    ],
)
def test_going_to_do_an_activity(keys, text, expected) -> None:  # type: ignore[no-untyped-def]
    assert expected in keys(text)


def test_elided_first_person_in_a_past_report(keys) -> None:  # type: ignore[no-untyped-def]
    assert ("maria", "owns", "bike", True) in keys("Finally bought a new bike!")
    assert not keys("Check out this photo of my bike!") & {("maria", "owns", "bike", True)}


def test_support_named_between_the_parties(keys) -> None:  # type: ignore[no-untyped-def]
    assert ("tom", "supports", "maria", True) in keys("Thanks so much for your support!", addressee="Tom")
    assert ("maria", "supports", "tom", True) in keys("I'm always here for you.", addressee="Tom")
    assert not keys("I don't need your help.", addressee="Tom")
