"""Examples of the copula patterns (graphmem/extract/copula.py) on the real spaCy model."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm a dentist.", ("maria", "job_title", "dentist", True)),
        ("Rex is a beagle.", ("rex", "is_a", "beagle", True)),
        ("I'm vegan.", ("maria", "has_property", "vegan", True)),
        ("Chloe is engaged.", ("chloe", "relationship_status", "engaged", True)),
        ("I am 41 years old.", ("maria", "age", "41", True)),
        ("I'm Canadian.", ("maria", "nationality", "canadian", True)),
        ("I'm from Norway.", ("maria", "comes_from", "norway", True)),
        ("I'm allergic to shellfish.", ("maria", "allergic_to", "shellfish", True)),
        ("The lantern is on the table.", ("lantern", "located_at", "table", True)),
        ("My favourite drink is lemonade.", ("maria", "favourite_drink", "lemonade", True)),
        ("Green is my favorite colour.", ("maria", "favourite_color", "green", True)),
        ("My name is Rosa.", ("maria", "name", "rosa", True)),
    ],
)
def test_copula(keys, text, expected) -> None:
    assert expected in keys(text)


def test_opinion_and_age_adjectives_are_dropped_from_names(run) -> None:
    assert run("Priya collects old maps.").triples[0].object == "maps"
    assert run("I bought a lovely new bike.").triples[0].object == "bike"


def test_literal_objects_are_values_not_entities(run, find) -> None:
    age = find(run("I am 41 years old."), "age")
    assert age.object is None and age.object_value == "41"
    city = find(run("I live in Porto."), "lives_in")
    assert city.object == "Porto" and city.object_value is None and city.object_type == "place"
