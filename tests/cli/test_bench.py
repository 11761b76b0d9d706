"""`graphmem bench ingest` on a small LoCoMo-style file written here (the real data is never committed)."""

from __future__ import annotations

import json
from pathlib import Path

from graphmem.bench.ingest import STAGES

from .conftest import Cli


def _sample(sample_id: str, turns: list[tuple[str, str]]) -> dict[str, object]:
    return {
        "sample_id": sample_id,
        "conversation": {
            "speaker_a": "Jon",
            "speaker_b": "Gina",
            "session_1_date_time": "1:56 pm on 8 May, 2023",
            "session_1": [
                {"speaker": s, "dia_id": f"D1:{i}", "text": t} for i, (s, t) in enumerate(turns, 1)
            ],
            "session_2_date_time": "9:00 am on 1 June, 2023",
            "session_2": [{"speaker": "Jon", "dia_id": "D2:1", "text": "I moved to Austin last week."}],
        },
    }


def test_bench_ingest_reports_throughput_and_the_stage_split(cli: Cli, tmp_path: Path) -> None:
    data = tmp_path / "locomo.json"
    data.write_text(
        json.dumps(
            [
                _sample(
                    "c1",
                    [
                        ("Jon", "I live in Denver."),
                        ("Gina", "My sister Ana works at Google."),
                        ("Jon", "Nice!"),
                    ],
                ),
                _sample("c2", [("Gina", "I play tennis."), ("Jon", "I love jazz.")]),
            ]
        ),
        encoding="utf-8",
    )
    out = tmp_path / "report.json"
    report = cli.json("bench", "ingest", "--data", str(data), "--batch-size", "2", "--out", str(out))
    assert report["conversations"] == 2 and report["turns"] == 7 and report["batch_size"] == 2
    assert report["turns_per_s"] > 0 and report["seconds"] > 0
    assert set(report["stages"]) == {*STAGES, "other_ms"}
    shares = [stage["share"] for stage in report["stages"].values()]
    assert abs(sum(shares) - 1.0) < 0.01
    assert report["bottleneck"] in STAGES
    assert report["stages"][report["bottleneck"]]["ms"] == max(report["stages"][s]["ms"] for s in STAGES)
    assert [c["sample_id"] for c in report["per_conversation"]] == ["c1", "c2"]
    assert report["facts_added"] >= 3
    # the physical ceiling on the same seven texts, measured in the same run
    assert report["ceiling"]["texts"] == 7
    for stage in ("encoder", "spacy"):
        assert report["ceiling"][stage]["texts_per_s"] > 0 and report["ceiling"][stage]["cpu_ms_per_text"] > 0
    assert report["cpu_ms_per_turn"] > 0
    assert json.loads(out.read_text(encoding="utf-8")) == report

    limited = cli.json(
        "bench", "ingest", "--data", str(data), "--limit", "1", "--set", "turns_per_conversation=2"
    )
    assert limited["conversations"] == 1 and limited["turns"] == 2
    text = cli("bench", "ingest", "--data", str(data), "--limit", "1")
    assert text.exit_code == 0 and "bottleneck" in text.stdout


def test_bench_options_are_fitted_to_each_run_signature(tmp_path: Path) -> None:
    """The CLI adapts to benchmarks written by different hands: --data goes to the data parameter,
    memory_factory is supplied, required parameters fall back to the module's default_<name>()."""
    import inspect
    from collections.abc import Callable
    from types import SimpleNamespace

    import typer

    from graphmem.cli import _bench_kwargs

    def factory() -> None:
        return None

    def scenarios(
        scenario_dir: Path, memory_factory: Callable[[], object], *, names: str | None = None
    ) -> None:
        return None

    module = SimpleNamespace(run=scenarios, default_scenario_dir=lambda: tmp_path)
    assert _bench_kwargs(module, {"progress": True}, "x", factory) == {
        "scenario_dir": tmp_path,
        "memory_factory": factory,
    }
    given = {"data": str(tmp_path / "d"), "names": "a,b"}
    assert _bench_kwargs(module, given, "x", factory)["scenario_dir"] == tmp_path / "d"

    def store(
        *, facts: int = 10, path: Path | None = None, progress: Callable[[int, int], None] | None = None
    ) -> None:
        return None

    module = SimpleNamespace(run=store)
    kwargs = _bench_kwargs(module, {"facts": 5, "progress": True}, "x", factory)
    assert kwargs["facts"] == 5 and callable(kwargs["progress"]) and "path" not in kwargs
    assert _bench_kwargs(module, {"progress": False}, "x", factory) == {"progress": None}
    for bad in ({"data": "f.json"}, {"colour": "red"}):
        try:
            _bench_kwargs(module, bad, "x", factory)
        except typer.BadParameter:
            continue
        raise AssertionError(f"{bad} should be refused")

    def needs(data: Path, *, limit: int | None = None, progress: bool = False) -> None:
        return None

    module = SimpleNamespace(run=needs)
    assert _bench_kwargs(module, {"data": "f", "limit": 2, "progress": True}, "x", factory) == {
        "data": Path("f"),
        "limit": 2,
        "progress": True,
    }
    assert inspect.signature(needs).parameters["data"].default is inspect.Parameter.empty


def test_bench_store_runs_through_the_cli(cli: Cli) -> None:
    options = ["--set", "facts=200", "--set", "queries=5", "--set", "batch_size=100"]
    report = cli.json("bench", "store", *options)
    assert report["facts"] == 200 and report["write"]["facts_per_s"] > 0
    text = cli("bench", "store", *options)  # readable report; progress(done, total) bar on stderr
    assert text.exit_code == 0 and "write:" in text.stdout and "slot_facts" in text.stdout


def test_bench_conflicts_generated_through_the_cli(cli: Cli) -> None:
    report = cli.json("bench", "conflicts", "--generated", "--seed", "5", "--set", "per_class=1")
    assert report["seed"] == 5 and report["scenarios"] == 3
    assert set(report["by_class"]) == {"paraphrase", "hypothetical", "negation"}
    refused = cli("bench", "store", "--generated")
    assert refused.exit_code == 2 and "generated" in refused.output


def test_bench_soak_samples_rss_over_searches(cli: Cli) -> None:
    """`graphmem bench soak --searches N` reports an RSS series and the growth after warm-up (the
    numbers are the measurement; only the report's shape and arithmetic are checked here)."""
    report = cli.json("bench", "soak", "--searches", "12", "--set", "interval=4", "--set", "warmup=4")
    assert [s["searches"] for s in report["samples"]] == [0, 4, 8, 12]
    assert all(s["rss_mb"] > 0 for s in report["samples"])
    grown = report["rss_end_mb"] - report["rss_after_warmup_mb"]
    assert report["growth_per_search_kb"] == round(1024 * grown / 8, 1)
    assert report["rss_after_warmup_mb"] == report["samples"][1]["rss_mb"]
