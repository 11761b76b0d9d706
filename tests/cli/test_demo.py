"""`graphmem demo`: the newcomer's first run builds the sample memory and shows its key outputs."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from graphmem.cli import app
from graphmem.model import entity_key


def test_demo_json_shows_multi_hop_change_plan_and_cypher(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--json", "demo"])
    assert result.exit_code == 0, result.output
    demo = json.loads(result.stdout)
    assert demo["path"] is None  # a temporary store by default
    assert demo["turns"] >= 30 and demo["sessions"] >= 4
    assert demo["counts"]["episodes"] == demo["turns"] and demo["counts"]["facts"] >= 15

    hop = demo["multi_hop"]
    assert hop["question"] == "Where does Maria's sister live?"
    assert entity_key(hop["answer"]) == "porto" and hop["correct"] is True
    assert hop["path"] == "Maria -sister-> Anna -lives_in-> Porto"
    assert hop["evidence"]  # the episode that said it

    changed = demo["changed"]
    assert entity_key(changed["current"]) == "lisbon"
    assert [entity_key(b) for b in changed["before"]] == ["paris"]
    assert "Lisbon" in changed["summary"] and "Paris" in changed["summary"]
    statuses = [(h["fact"], h["status"]) for h in changed["history"]]
    assert statuses[0][1] == "superseded" and "Paris" in statuses[0][0]
    assert statuses[-1][1] == "active" and "Lisbon" in statuses[-1][0]
    assert changed["history"][0]["reason"]

    assert demo["plan"]["depth"] >= 2 and demo["plan"]["reasons"]
    assert demo["cypher"]["rows"]
    assert any(entity_key(r["reached"]) == "porto" and r["via"] == "Anna" for r in demo["cypher"]["rows"])
    assert demo["seconds"] < 60


def test_demo_text_keeps_the_store_when_given_a_path(runner: CliRunner, tmp_path: Path) -> None:
    store = tmp_path / "demo-memory"
    result = runner.invoke(app, ["--path", str(store), "demo"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for expected in (
        "Multi-hop",
        "Porto",
        "Maria -sister-> Anna -lives_in-> Porto",
        "before: Paris",
        "EXPLAIN",
        "Choices",
        "Cypher",
        "two_hop_neighbourhood",
    ):
        assert expected in out, expected
    assert f"graphmem --path {store}" in out
    question = "Where does Maria live?"
    again = runner.invoke(app, ["--path", str(store), "-n", "demo", "--json", "search", question])
    assert again.exit_code == 0
    assert entity_key(json.loads(again.stdout)["facts"][0]["object"]) == "lisbon"
