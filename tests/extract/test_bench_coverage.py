"""The coverage and held-out extraction benchmarks, on a tiny conversation in LoCoMo's format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphmem.bench import extract as bench
from graphmem.bench.extract_coverage import entities_per_person
from graphmem.bench.extract_heldout import matches


@pytest.fixture
def locomo(tmp_path: Path) -> Path:
    conversation = {
        "speaker_a": "Caroline",
        "speaker_b": "Melanie",
        "session_1_date_time": "1:56 pm on 8 May, 2023",
        "session_1": [
            {"speaker": "Caroline", "dia_id": "D1:1", "text": "Hey Mel! Good to see you!"},
            {"speaker": "Melanie", "dia_id": "D1:2", "text": "I adopted a puppy named Oscar."},
            {"speaker": "Caroline", "dia_id": "D1:3", "text": "Wow! How old is he?"},
        ],
        "session_2_date_time": "10:00 am on 20 May, 2023",
        "session_2": [{"speaker": "Melanie", "dia_id": "D2:1", "text": "Oscar loves the beach."}],
    }
    path = tmp_path / "locomo.json"
    path.write_text(json.dumps([{"conversation": conversation, "qa": []}]), encoding="utf-8")
    return path


def test_coverage_counts_turns_facts_and_people(locomo: Path, extractor) -> None:  # type: ignore[no-untyped-def]
    report = bench.run(locomo, extractor=extractor, coverage=True)
    conv = report["conversations"]["1"]
    assert conv["turns"] == 4 and conv["extraction_errors"] == 0
    assert conv["turns_with_fact"] == 0.5  # the adoption and the beach; greeting and question give none
    assert report["predicates"]["has_pet"] == 1
    assert conv["person_keys"]["Melanie"] == ["melanie"]  # "Mel" in a greeting made no entity here
    assert report["overall"]["turns"] == 4


def test_entities_per_person_counts_short_forms() -> None:
    keys = {"melanie", "mel", "melanie's kids", "caroline", "oscar"}
    assert entities_per_person(keys, "Melanie") == ["mel", "melanie"]
    assert entities_per_person(keys, "Caroline") == ["caroline"]


def test_heldout_matching_rule() -> None:
    gold = {"subject": "Caroline", "predicate": "attended", "object": "LGBTQ support group"}
    assert matches(gold, ("Caroline", "attended", "support group", True))
    assert matches(gold, ("Caro", "attended", "group", True))  # short form, same head
    assert not matches(gold, ("Caroline", "visited", "support group", True))
    assert matches(gold, ("Caroline", "visited", "support group", True), strict=False)
    assert not matches(gold, ("Caroline", "attended", "support group", False))
    assert not matches(gold, ("Melanie", "attended", "support group", True))
    assert not matches(gold, ("Caroline", "attended", "concert", True))
