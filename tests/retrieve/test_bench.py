"""The retrieval benchmarks on tiny inputs: they run end to end and their numbers mean what they say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphmem.bench import locomo, scale
from graphmem.errors import InvalidInput
from graphmem.memory import Memory

TINY_LOCOMO = [
    {
        "sample_id": "tiny",
        "conversation": {
            "speaker_a": "Anna",
            "speaker_b": "Ben",
            "session_1_date_time": "1:56 pm on 8 May, 2023",
            "session_1": [
                {
                    "speaker": "Anna",
                    "dia_id": "D1:1",
                    "text": "Hi Ben! I adopted a puppy called Rex last week.",
                },
                {"speaker": "Ben", "dia_id": "D1:2", "text": "Congrats! I started learning the violin."},
                {"speaker": "Anna", "dia_id": "D1:3", "text": "Nice. I work at a bakery in Porto now."},
            ],
            "session_2_date_time": "10:00 am on 20 June, 2023",
            "session_2": [
                {"speaker": "Ben", "dia_id": "D2:1", "text": "I played the violin at a concert yesterday."},
                {"speaker": "Anna", "dia_id": "D2:2", "text": "Rex chewed my shoes, silly dog."},
                {"speaker": "Ben", "dia_id": "D2:3", "text": "I went hiking in the mountains on Sunday."},
            ],
        },
        "qa": [
            {
                "question": "What is the name of Anna's puppy?",
                "answer": "Rex",
                "evidence": ["D1:1"],
                "category": 4,
            },
            {
                "question": "What instrument does Ben play?",
                "answer": "violin",
                "evidence": ["D1:2; D2:1"],
                "category": 1,
            },
            {"question": "What is Anna's favourite color?", "answer": "n/a", "evidence": [], "category": 5},
        ],
    }
]


def test_locomo_metrics_helpers() -> None:
    assert locomo.evidence_ids(["D1:2; D2:1", "D3:4"]) == ["D1:2", "D2:1", "D3:4"]
    metrics = locomo.recall_metrics(["a", "b", "c"], ["c", "z"])
    assert metrics == {"r5": 0.5, "r10": 0.5, "r20": 0.5, "all10": 0.0}
    with pytest.raises(InvalidInput):
        locomo.recall_metrics(["a"], [])


def test_locomo_bench_runs_with_baselines(tmp_path: Path) -> None:
    data = tmp_path / "tiny.json"
    data.write_text(json.dumps(TINY_LOCOMO), encoding="utf-8")
    report = locomo.run(data, memory_factory=lambda: Memory(path=tmp_path / "memory"))
    assert report["dataset"] == {"file": str(data), "conversations": 1, "turns": 6, "questions": 2}
    assert set(report["methods"]) == {"graphmem", "bm25", "dense", "hybrid"}
    graphmem = report["methods"]["graphmem"]
    # six turns: every gold turn is within the top 10 of every method
    assert graphmem["overall"]["r10"] == 100.0 and graphmem["overall"]["n"] == 2
    assert set(graphmem["per_category"]) == {"1 multi-hop", "4 single-hop"}
    assert report["latency_ms"]["n"] == 2 and report["latency_ms"]["p95"] > 0
    assert report["ingest"]["failed_turns"] == []
    assert "graphmem" in locomo.render_text(report)


def test_scale_bench_small(tmp_path: Path) -> None:
    report = scale.run(sizes=(40, 120), queries=10, path=tmp_path)
    assert set(report["sizes"]) == {"40", "120"}
    small, large = report["sizes"]["40"], report["sizes"]["120"]
    assert small["facts"] == 40 and large["facts"] == 120
    assert large["searches"] == 10 and large["p95_ms"] >= large["p50_ms"] > 0
    assert large["answer_in_top5"] is not None and large["answer_in_top5"] >= 0.5
    assert "facts" in scale.render_text(report)
    with pytest.raises(InvalidInput):
        scale.run(sizes=(5,))
