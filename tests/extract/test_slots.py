"""Slot paraphrases reach the canonical functional predicates (real spaCy model).

The sentences here are not the generator's templates (graphmem/bench/scenario_phrases.py): other
names, places and wordings, so the frames are checked on text they were not written from.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from graphmem.extract.base import Extraction

Key = tuple[str, str, str, bool]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My house is in Ghent.", ("maria", "lives_in", "ghent", True)),
        ("Paul's home is in Leeds.", ("paul", "lives_in", "leeds", True)),
        ("I'm settled in Bergen these days.", ("maria", "lives_in", "bergen", True)),
        ("Karl is based in Graz.", ("karl", "lives_in", "graz", True)),
        ("I moved out of Leeds.", ("maria", "lives_in", "leeds", False)),
        ("Paul earns a living at Nokia.", ("paul", "works_at", "nokia", True)),
        ("My employer is Ericsson.", ("maria", "works_at", "ericsson", True)),
        ("I resigned from Ericsson.", ("maria", "works_at", "ericsson", False)),
        ("Paul is seeing Laura.", ("paul", "partner", "laura", True)),
        ("I retrained as a plumber.", ("maria", "job_title", "plumber", True)),
        ("Karl's car is a Volkswagen.", ("karl", "drives", "volkswagen", True)),
    ],
)
def test_paraphrases_reach_the_slot(keys: Callable[..., set[Key]], text: str, expected: Key) -> None:
    assert expected in keys(text)


def test_possessed_noun_is_not_a_subject(keys: Callable[..., set[Key]]) -> None:
    found = keys("My flat is in Utrecht.")
    assert ("maria", "lives_in", "utrecht", True) in found
    assert not any(s == "flat" for s, *_ in found)


def test_time_nouns_are_not_employers(keys: Callable[..., set[Key]]) -> None:
    found = keys("I'm working for Nokia at the moment.")
    assert ("maria", "works_at", "nokia", True) in found
    assert not any(o == "moment" for _, _, o, _ in found)


def test_hedged_frames_keep_their_modality(run: Callable[..., Extraction]) -> None:
    (fact,) = [t for t in run("I might relocate to Ghent.").triples if t.predicate == "lives_in"]
    assert fact.modality.value != "asserted" and fact.object_text == "Ghent"
    asked = [t for t in run("I might ask Laura out.").triples if t.predicate == "partner"]
    assert asked and all(t.modality.value != "asserted" for t in asked)
    assert not [t for t in run("I asked Laura out.").triples if t.predicate == "partner"]


def test_moving_for_work_is_a_job_change(keys: Callable[..., set[Key]]) -> None:
    # (works where the entity recogniser knows the companies: it calls Nokia and Ericsson places)
    found = keys("Paul moved from Microsoft to Oracle for work.")
    assert ("paul", "works_at", "oracle", True) in found
    assert ("paul", "works_at", "microsoft", False) in found
    assert not any(p == "lives_in" for _, p, _, _ in found)
