"""The labelled extraction set and ``graphmem bench extract`` on it (real model, real encoder)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from graphmem.bench.extract import DEFAULT_SET, load_set, main, run, score
from graphmem.extract.base import Extraction, Triple
from graphmem.extract.lexicon import is_canonical

HELDOUT = Path(__file__).parent / "data" / "heldout_set.jsonl"
FRESH = Path(__file__).parent / "data" / "fresh_set.jsonl"
PATTERNS = {
    "svo",
    "verb_prep",
    "copula_is_a",
    "copula_property",
    "age",
    "favourite",
    "possessive",
    "appositive",
    "conjunction",
    "passive",
    "negation",
    "modality",
    "time",
    "state_change",
    "second_person",
    "third_person",
    "coref",
    "located_at",
    "correction",
    "chat",
    "no_fact",
}


@pytest.fixture(scope="module")
def result(extractor_with_encoder) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return run(extractor=extractor_with_encoder)


@pytest.fixture(scope="module")
def extractor_with_encoder(nlp, encoder):  # type: ignore[no-untyped-def]
    from graphmem.extract.spacy_extractor import SpacyExtractor

    return SpacyExtractor(nlp, encoder=encoder)


def test_the_set_is_large_and_well_formed() -> None:
    rows = load_set(DEFAULT_SET)
    assert len(rows) >= 150
    assert {r["pattern"] for r in rows} == PATTERNS
    for row in rows:
        assert row["text"].strip() and row["speaker"].strip()
        assert datetime.fromisoformat(row["occurred_at"].replace("Z", "+00:00")).tzinfo is not None
        for t in row["triples"]:
            assert set(t) <= {
                "subject",
                "predicate",
                "object",
                "polarity",
                "modality",
                "valid_from",
                "valid_to",
                "ended",
            }
            assert t["subject"] and t["object"] and t["predicate"]
            assert is_canonical(t["predicate"]) or (t["predicate"].islower() and " " not in t["predicate"])
    # negation, modality and time are labelled, first and third person both appear
    triples = [t for r in rows for t in r["triples"]]
    assert sum(not t.get("polarity", True) for t in triples) >= 15
    assert sum("modality" in t for t in triples) >= 12
    assert sum("valid_from" in t or "valid_to" in t for t in triples) >= 25
    assert sum(r["speaker"] == t["subject"] for r in rows for t in r["triples"]) >= 100
    assert sum(r["speaker"] != t["subject"] for r in rows for t in r["triples"]) >= 60
    assert sum(not r["triples"] for r in rows) >= 25


def test_benchmark_clears_the_aim(result) -> None:  # type: ignore[no-untyped-def,type-arg]
    assert result["sentences"] >= 150
    assert result["precision"] >= 0.85
    assert result["recall"] >= 0.70
    assert set(result["per_pattern"]) == PATTERNS
    assert result["sentences_per_s"] > 0
    assert result["cue_accuracy"]["modality"]["accuracy"] >= 0.9


@pytest.mark.parametrize(("path", "size"), [(HELDOUT, 75), (FRESH, 55)])
def test_benchmark_on_later_sets(extractor_with_encoder, path: Path, size: int) -> None:  # type: ignore[no-untyped-def]
    """Sentences written after the patterns were built (their first-run scores are in the report)."""
    held = run(path, extractor=extractor_with_encoder)
    assert held["sentences"] >= size
    assert held["precision"] >= 0.85 and held["recall"] >= 0.70


def _extraction(*triples: tuple[str, str, str, bool]) -> Extraction:
    return Extraction(
        triples=[
            Triple(subject=s, predicate=p, object=o, polarity=pol, text=f"{s} {p} {o}")
            for s, p, o, pol in triples
        ]
    )


def test_scoring_by_hand() -> None:
    rows = [
        {
            "text": "a",
            "pattern": "x",
            "triples": [
                {"subject": "Maria", "predicate": "lives_in", "object": "Lisbon"},
                {"subject": "Maria", "predicate": "likes", "object": "jazz"},
            ],
        },
        {"text": "b", "pattern": "y", "triples": []},
        {
            "text": "c",
            "pattern": "y",
            "triples": [{"subject": "Tom", "predicate": "likes", "object": "fish", "polarity": False}],
        },
    ]
    extractions = [
        _extraction(("maria", "lives_in", "The Lisbon", True), ("Maria", "visited", "Lisbon", True)),
        _extraction(("it", "has_property", "great", True)),
        _extraction(("Tom", "likes", "fish", True)),  # wrong polarity: no match
    ]
    out = score(rows, extractions, details=True)
    # tp = 1 (lives_in); predicted = 4; gold = 3
    assert (out["true_positives"], out["predicted_triples"], out["gold_triples"]) == (1, 4, 3)
    assert out["precision"] == 0.25 and out["recall"] == pytest.approx(0.3333, abs=1e-4)
    assert out["per_pattern"]["y"]["precision"] == 0.0 and out["per_pattern"]["x"]["recall"] == 0.5
    assert len(out["errors"]) == 3


def test_cli_prints_json(capsys, monkeypatch, extractor_with_encoder) -> None:  # type: ignore[no-untyped-def]
    import graphmem.bench.extract as bench

    monkeypatch.setattr(bench, "default_extractor", lambda use_encoder=True: extractor_with_encoder)
    assert main(["--json", "--set", str(HELDOUT)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert {"sentences", "precision", "recall", "f1", "per_pattern", "sentences_per_s"} <= set(printed)
