"""Readable fact sentences, the degraded (no parser) mode, and the doctests of the extract package."""

from __future__ import annotations

import doctest
import importlib
from datetime import UTC, datetime

import pytest

from graphmem.extract.render import render_fact
from graphmem.model import Modality

AT = datetime(2024, 3, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("args", "kwargs", "text"),
    [
        (("Maria", "lives_in", "Lisbon"), {}, "Maria lives in Lisbon"),
        (
            ("Maria", "lives_in", "Paris"),
            {"polarity": False, "ended": True},
            "Maria no longer lives in Paris",
        ),
        (("Maria", "likes", "fish"), {"polarity": False}, "Maria does not like fish"),
        (("Maria", "visited", "Asia"), {"polarity": False}, "Maria did not visit Asia"),
        (("Tom", "lives_in", "Berlin"), {"modality": Modality.hypothetical}, "Tom might live in Berlin"),
        (("Ivy", "learns", "Italian"), {"modality": Modality.intent}, "Ivy plans to learn Italian"),
        (("Paul", "age", "34"), {}, "Paul is 34 years old"),
        (("Eva", "has_property", "vegan"), {"polarity": False}, "Eva is not vegan"),
        (("Maria", "sister", "Anna"), {}, "Anna is Maria's sister"),
        (("Maria", "brother", "Maria's brother"), {}, "Maria has a brother"),
        (("Raj", "parent", "Raj's parents"), {}, "Raj has parents"),
        (("Nora", "favourite_color", "blue"), {}, "Nora's favourite color is blue"),
        (("Carlos", "sing_in", "band"), {}, "Carlos sings in band"),
        (("Ben", "eat", "meat"), {"polarity": False, "ended": True}, "Ben no longer eats meat"),
        (("Tom", "spouse", "Rachel"), {"polarity": False, "ended": True}, "Rachel is no longer Tom's spouse"),
    ],
)
def test_render(args, kwargs, text) -> None:
    assert render_fact(*args, **kwargs) == text


def test_without_a_parser_a_few_first_person_rules_still_work() -> None:
    import spacy

    from graphmem.extract.spacy_extractor import SpacyExtractor

    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    ex = SpacyExtractor(blank)
    assert ex.degraded
    out = ex.extract("I live in Lisbon. My name is Sam. I am 34 years old.", speaker="USER", occurred_at=AT)
    assert {(t.subject, t.predicate, t.object_text) for t in out.triples} == {
        ("USER", "lives_in", "Lisbon"),
        ("USER", "name", "Sam"),
        ("USER", "age", "34"),
    }
    assert all(t.confidence < 0.8 for t in out.triples)


@pytest.mark.parametrize(
    "module",
    ["lexicon", "canonical", "temporal", "resolve", "render", "fallback", "llm_extractor"],
)
def test_docstring_examples(module) -> None:
    mod = importlib.import_module(f"graphmem.extract.{module}")
    failures, tried = doctest.testmod(mod, verbose=False)
    assert tried > 0 and failures == 0
