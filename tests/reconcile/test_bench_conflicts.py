"""The conflicts benchmark through the real Memory (spaCy, encoder, Kuzu): it scores right answers as
right and wrong answers as wrong, and reconciliation decisions can be explained and undone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphmem import Memory
from graphmem.bench.conflicts import default_scenario_dir, load_scenarios, render_text, run

pytestmark = pytest.mark.slow  # loads spaCy and the encoder, ingests through Kuzu

STATEMENTS = """
  namespace_speaker: Maria
  statements:
    - {at: "2021-06-01T10:00:00Z", text: "I live in Paris."}
    - {at: "2022-02-01T10:00:00Z", text: "My sister Anna lives in Porto."}
    - {at: "2024-03-01T10:00:00Z", text: "I moved to Lisbon."}
"""

RIGHT = (
    "- name: right_answers\n  tags: [moves]\n"
    + STATEMENTS
    + """
  expect:
    current: [{subject: Maria, predicate: lives_in, object: Lisbon}]
    absent: [{subject: Maria, predicate: lives_in, object: Paris}]
    as_of: [{at: "2023-06-01T00:00:00Z", subject: Maria, predicate: lives_in, object: Paris}]
    history: [{subject: Maria, predicate: lives_in, objects: [Paris, Lisbon]}]
    multihop: [{question: "Where does Maria's sister live?", answer: Porto, stale: [Paris],
                distractors: [Lisbon]}]
"""
)

WRONG = (
    "- name: wrong_answers\n  tags: [moves]\n"
    + STATEMENTS
    + """
  expect:
    current: [{subject: Maria, predicate: lives_in, object: Paris}]
    absent: [{subject: Maria, predicate: lives_in, object: Lisbon}]
    as_of: [{at: "2023-06-01T00:00:00Z", subject: Maria, predicate: lives_in, object: Lisbon}]
    history: [{subject: Maria, predicate: lives_in, objects: [Lisbon, Paris]}]
    multihop: [{question: "Where does Maria's sister live?", answer: Lisbon, distractors: [Porto]}]
"""
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("conflicts")
    scenarios = root / "scenarios"
    scenarios.mkdir()
    (scenarios / "check.yaml").write_text(RIGHT + "\n" + WRONG, encoding="utf-8")
    return run(scenarios, lambda: Memory(path=root / "memory"))


def test_right_answers_score_and_wrong_answers_fail(report: dict[str, Any]) -> None:
    assert report["scenarios"] == 2 and report["scenarios_passed"] == 1
    for kind, total in (("current", 4), ("as_of", 2), ("history", 2), ("multihop", 2)):
        assert report[kind]["total"] == total
        assert report[kind]["correct"] == total // 2, kind
    failed = {(f["scenario"], f["kind"]) for f in report["failures"]}
    assert failed == {("wrong_answers", k) for k in ("current", "as_of", "history", "multihop")}
    assert len(report["failures"]) == 5  # current + absent both fail
    assert all(f["got"] for f in report["failures"])  # each failure shows what the memory holds
    assert report["by_tag"]["moves"] == {"correct": 5, "total": 10, "accuracy": 0.5}


def test_text_rendering_names_failures(report: dict[str, Any]) -> None:
    text = render_text(report)
    assert "[wrong_answers] history" in text and "multihop" in text


def test_a_slice_of_the_real_suite_runs_through_the_public_api(tmp_path: Path) -> None:
    names = ["moves_twice", "late_history_move", "actually_lyon_not_paris"]
    report = run(default_scenario_dir(), lambda: Memory(path=tmp_path / "memory"), names=",".join(names))
    wanted = [s for s in load_scenarios(default_scenario_dir()) if s.name in names]
    expected_current = sum(len(s.expect.current) + len(s.expect.absent) for s in wanted)
    assert report["scenarios"] == 3 and report["statements"] == sum(len(s.statements) for s in wanted)
    assert report["current"]["total"] == expected_current
    assert report["as_of"]["total"] == sum(len(s.expect.as_of) for s in wanted)
    # these three are the reference cases of the issue: a move, history told late, a correction
    assert report["failures"] == []


@pytest.fixture
def memory(tmp_path: Path) -> Iterator[Memory]:
    with Memory(path=tmp_path / "memory") as mem:
        yield mem


def test_decisions_are_explained_and_can_be_undone(memory: Memory) -> None:
    memory.add("I live in Paris.", speaker="Maria", namespace="m", timestamp="2023-01-10T10:00:00Z")
    memory.add("I moved to Lisbon.", speaker="Maria", namespace="m", timestamp="2024-03-01T10:00:00Z")
    (paris,) = [e for e in memory.history(namespace="m", subject="Maria", predicate="lives_in") if e.rule]
    assert paris.fact.object == "Paris" and paris.rule == "functional_newer" and "Lisbon" in paris.reason
    assert [f.object for f in memory.facts(namespace="m", subject="Maria")] == ["Lisbon"]

    memory.undo_reconcile(paris.fact.id, namespace="m")
    current = memory.facts(namespace="m", subject="Maria", predicate="lives_in")
    assert [(f.object, f.status.value, f.valid_to) for f in current] == [("Paris", "active", None)]
    history = memory.history(namespace="m", subject="Maria", predicate="lives_in")
    lisbon = next(e for e in history if e.fact.object == "Lisbon")
    assert lisbon.fact.status.value == "retracted"
