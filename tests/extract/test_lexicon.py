"""The predicate lexicon: canonical names, synonyms in any inflection, question words."""

from __future__ import annotations

import pytest

from graphmem.extract.lexicon import (
    CANONICAL_PREDICATES,
    LITERAL_PREDICATES,
    PREDICATE_WORDS,
    ROLE_NOUNS,
    canonical_predicate,
    deinflect,
    favourite_predicate,
    is_canonical,
    lemma_prep,
)

REQUIRED = [
    "lives_in",
    "works_at",
    "job_title",
    "studies_at",
    "spouse",
    "partner",
    "age",
    "born_in",
    "birth_date",
    "nationality",
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
    "husband",
    "wife",
    "relationship_status",
    "is_a",
    "has_property",
    "located_in",
    "member_of",
    "plays",
    "speaks",
    "drives",
    "hobby",
    "reads",
    "wants",
    "plans_to",
    "located_at",
    "has",
    "favourite_color",
]


def test_every_required_canonical_name_exists() -> None:
    assert set(REQUIRED) <= CANONICAL_PREDICATES


@pytest.mark.parametrize(
    ("words", "canonical"),
    [
        ("live in", "lives_in"),
        ("lives in", "lives_in"),
        ("lived in", "lives_in"),
        ("living in", "lives_in"),
        ("resides in", "lives_in"),
        ("moved to", "lives_in"),
        ("works for", "works_at"),
        ("was employed by", "works_at"),
        ("got hired at", "works_at"),
        ("is married to", "spouse"),
        ("married", "spouse"),
        ("was born in", "born_in"),
        ("grew up in", "grew_up_in"),
        ("hates", "dislikes"),
        ("can't stand", "dislikes"),
        ("adores", "loves"),
        ("went to", "visited"),
        ("travelled to", "visited"),
        ("bought", "owns"),
        ("is a member of", "member_of"),
        ("belongs to", "member_of"),
        ("speaks", "speaks"),
        ("mom", "mother"),
        ("kids", "child"),
        ("grandma", "grandmother"),
        ("coworker", "colleague"),
        ("Lives_In", "lives_in"),
        ("favorite colour", "favourite_color"),
    ],
)
def test_synonyms_in_any_inflection(words, canonical) -> None:
    assert canonical_predicate(words) == canonical


@pytest.mark.parametrize("words", ["paint", "sing in", "eat", "", "   ", "quantum tunnel"])
def test_unknown_words_are_not_guessed(words) -> None:
    assert canonical_predicate(words) is None


def test_question_words_point_to_canonical_predicates() -> None:
    assert set(PREDICATE_WORDS) <= CANONICAL_PREDICATES
    by_word: dict[str, set[str]] = {}
    for predicate, words in PREDICATE_WORDS.items():
        for word in words:
            by_word.setdefault(word, set()).add(predicate)
    for word, predicate in [
        ("live", "lives_in"),
        ("work", "works_at"),
        ("married", "spouse"),
        ("sister", "sister"),
        ("born", "born_in"),
        ("old", "age"),
        ("favourite", "favourite_food"),
    ]:
        assert predicate in by_word[word]


def test_roles_and_literals() -> None:
    assert ROLE_NOUNS["mum"] == "mother" and ROLE_NOUNS["boyfriend"] == "partner"
    assert {"age", "has_property", "birth_date"} <= LITERAL_PREDICATES


def test_favourites_and_lemma_prep() -> None:
    assert favourite_predicate("Films") == "favourite_movie"
    assert favourite_predicate("ice cream flavour") == "favourite_ice_cream_flavour"
    assert is_canonical("favourite_ice_cream_flavour") and not is_canonical("favourite_")
    assert lemma_prep("Went to") == "go_to" and lemma_prep("sing in") == "sing_in"
    assert deinflect("hopes", frozenset({"hope"})) == "hope"
