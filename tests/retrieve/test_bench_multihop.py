"""``bench multihop`` on a tiny corpus: it runs end to end and its numbers mean what they say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphmem.bench import multihop
from graphmem.errors import InvalidInput
from graphmem.memory import Memory

CORPUS = [
    ("d0", "Maximum Overdrive", "Maximum Overdrive is a 1986 horror film shot in Leland, North Carolina."),
    ("d1", "Stephen King", "Stephen King is an American author. He directed Maximum Overdrive."),
    ("d2", "Watertown International Airport", "Watertown International Airport is an airport in New York."),
    ("d3", "Alexandria International Airport", "Alexandria International Airport is in Louisiana."),
    ("d4", "Porto", "Porto is a city in Portugal known for port wine."),
    ("d5", "Lisbon", "Lisbon is the capital of Portugal."),
]
QUESTIONS = [
    {
        "id": "q1",
        "question": "Who directed the film shot in Leland, North Carolina in 1986?",
        "category": "bridge",
        "supporting_doc_ids": ["d0", "d1"],
    },
    {
        "id": "q2",
        "question": "Are Watertown International Airport and Alexandria International Airport "
        "in the same state?",
        "category": "comparison",
        "supporting_doc_ids": ["d2", "d3"],
    },
]


def _write(tmp_path: Path) -> Path:
    data = tmp_path / "set"
    data.mkdir()
    lines = [json.dumps({"doc_id": d, "title": t, "text": x}) for d, t, x in CORPUS]
    (data / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (data / "questions.jsonl").write_text("\n".join(json.dumps(q) for q in QUESTIONS), encoding="utf-8")
    return data


def test_recall_metrics() -> None:
    assert multihop.recall_metrics(["a", "b"], ["b", "c"]) == {"r2": 0.5, "r5": 0.5, "r10": 0.5, "all5": 0.0}
    with pytest.raises(InvalidInput):
        multihop.recall_metrics(["a"], [])


def test_bad_data_is_rejected_before_anything_runs(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not found"):
        multihop.load(tmp_path / "missing")
    data = _write(tmp_path)
    (data / "questions.jsonl").write_text(
        json.dumps({"id": "x", "question": "?", "supporting_doc_ids": ["nope"]}), encoding="utf-8"
    )
    with pytest.raises(InvalidInput, match="nope"):
        multihop.load(data)


def test_multihop_bench_runs_with_same_run_baselines(tmp_path: Path) -> None:
    data = _write(tmp_path)
    report = multihop.run(data, memory_factory=lambda: Memory(path=tmp_path / "memory"))
    assert report["dataset"]["passages"] == 6 and report["dataset"]["questions"] == 2
    assert set(report["methods"]) == {"graphmem", "bm25", "dense", "hybrid"}
    for summary in report["methods"].values():
        assert set(summary["per_category"]) == {"bridge", "comparison"}
        # six passages: every supporting passage is within every method's top 10
        assert summary["overall"]["r10"] == 100.0
    assert report["latency_ms"]["n"] == 2 and report["latency_ms"]["p95"] >= report["latency_ms"]["p50"] > 0
    assert "comparison R@5" in multihop.render_text(report)
    # the memory is kept: a second run ranks against it without ingesting again
    again = multihop.run(data, memory_factory=lambda: Memory(path=tmp_path / "memory"), ingest=False, limit=1)
    assert again["ingest"]["performed"] is False and again["dataset"]["questions"] == 1
