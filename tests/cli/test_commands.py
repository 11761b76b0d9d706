"""Each command against a real store built through `graphmem import`, asserting on parsed --json.

The module's store holds the five-turn conversation of ``conftest.CONVERSATION`` in namespace
``clitest``: Maria lived in Paris (2023), her sister Anna lives in Porto, Anna's husband Tom works at
Siemens, and Maria moved to Lisbon (2024). Tests that write use their own namespace (``-n`` on the
command), so the shared namespace stays as imported.
"""

from __future__ import annotations

import json
from pathlib import Path

from graphmem.model import entity_key

from .conftest import CONVERSATION, Cli


def _objects(facts: list[dict[str, object]]) -> list[str]:
    return [entity_key(str(f["object"])) for f in facts]


def test_import_reports_what_it_wrote_and_is_idempotent(built: Cli, conversation_file: Path) -> None:
    stats = built.json("stats")
    assert stats["counts"]["episodes"] == len(CONVERSATION)
    assert stats["counts"]["facts"] >= 4 and stats["counts"]["entities"] >= 5
    again = built.json("import", str(conversation_file))
    assert isinstance(again, list) and len(again) == 1
    assert again[0]["namespace"] == built.namespace
    assert again[0]["episode_ids"] == [] and sorted(again[0]["skipped_episode_ids"]) == sorted(
        m["id"] for m in CONVERSATION
    )


def test_search_json(built: Cli) -> None:
    result = built.json("search", "Where does Maria's sister live?", "-k", "5")
    assert result["query"] == "Where does Maria's sister live?" and result["namespace"] == built.namespace
    assert 1 <= len(result["facts"]) <= 5
    top = result["facts"][0]
    assert {"text", "score", "status", "valid_from", "episodes", "summary"} <= set(top)
    assert "porto" in _objects(result["facts"][:3])
    assert any(p["text"].startswith("Maria") and p["text"].endswith("Porto") for p in result["paths"])
    porto = next(f for f in result["facts"] if entity_key(f["object"]) == "porto")
    assert porto["episodes"] == ["t2"]


def test_search_text_and_per_command_json(built: Cli) -> None:
    text = built("search", "Where does Maria's sister live?")
    assert text.exit_code == 0 and "Porto" in text.stdout and "Facts" in text.stdout
    per_command = built("search", "Where does Maria's sister live?", "--json")
    assert per_command.exit_code == 0 and json.loads(per_command.stdout)["facts"]


def test_search_as_of_reads_the_past(built: Cli) -> None:
    result = built.json("search", "Where does Maria live?", "--as-of", "2023-06-01T00:00:00Z")
    assert result["as_of"].startswith("2023-06-01")
    maria_lives = [f for f in result["facts"] if f["subject"] == "Maria" and f["predicate"] == "lives_in"]
    assert maria_lives and entity_key(maria_lives[0]["object"]) == "paris"


def test_explain_json_and_tree(built: Cli) -> None:
    plan = built.json("explain", "Where does Maria's sister live?")
    assert plan["depth"] >= 2
    assert "maria" in [m["key"] for m in plan["analysis"]["mentions"]]
    assert plan["reasons"]
    tree = built("explain", "Where does Maria's sister live?")
    assert tree.exit_code == 0
    for word in ("Plan", "Analysis", "Choices", "depth", "because"):
        assert word in tree.stdout


def test_facts_current_history_and_as_of(built: Cli) -> None:
    current = built.json("facts", "--subject", "Maria", "--predicate", "lives_in", "--history")
    assert _objects(current) == ["lisbon"]
    assert current[0]["status"] == "active" and "Paris" in current[0]["summary"]
    assert _objects(current[0]["history"]) == ["paris"]
    past = built.json("facts", "--subject", "Maria", "--predicate", "lives_in", "--as-of", "2023-06-01")
    assert _objects(past) == ["paris"]
    everything = built.json("facts", "--limit", "2")
    assert len(everything) == 2
    rest = built.json("facts", "--skip", "2", "--limit", "100")
    assert not {f["id"] for f in everything} & {f["id"] for f in rest}


def test_facts_jsonl_and_text(built: Cli) -> None:
    lines = built("--jsonl", "facts").stdout.splitlines()
    assert lines and all(json.loads(line)["id"] for line in lines)
    text = built("facts", "--subject", "Anna")
    assert text.exit_code == 0 and "Porto" in text.stdout


def test_history_json(built: Cli) -> None:
    entries = built.json("history", "--subject", "Maria", "--predicate", "lives_in")
    assert [entity_key(e["fact"]["object"]) for e in entries] == ["paris", "lisbon"]
    assert [e["fact"]["status"] for e in entries] == ["superseded", "active"]
    assert entries[0]["rule"] and entries[0]["reason"]
    assert entries[0]["superseded_by"] == entries[1]["fact"]["id"]
    by_fact = built.json("history", "--fact-id", entries[1]["fact"]["id"])
    assert [e["fact"]["id"] for e in by_fact] == [e["fact"]["id"] for e in entries]


def test_entity_json(built: Cli) -> None:
    anna = built.json("entity", "anna")
    assert anna["name"] == "Anna" and anna["mention_count"] >= 1
    assert "porto" in _objects(anna["facts"])


def test_cypher_json_with_params_and_file(built: Cli) -> None:
    query = "MATCH (e:Entity) WHERE e.namespace = $ns RETURN e.name AS name ORDER BY name"
    rows = built.json("cypher", query, "-p", f"ns={built.namespace}")
    names = [r["name"] for r in rows]
    assert {"Maria", "Anna", "Porto", "Lisbon"} <= set(names)
    example = Path(__file__).parents[2] / "cypher" / "examples" / "kuzu" / "person_current_facts.cypher"
    facts = built.json(
        "cypher", "--file", str(example), "-p", f"namespace={built.namespace}", "-p", "name=Maria"
    )
    assert ("lives_in", "Lisbon") in {(r["predicate"], r["object"]) for r in facts}
    limited = built.json("cypher", "MATCH (e:Entity) RETURN e.name AS name", "--limit", "2")
    assert len(limited) == 2
    table = built(
        "cypher",
        "MATCH (e:Entity) WHERE e.namespace = $ns RETURN e.name AS name",
        "-p",
        f"ns={built.namespace}",
    )
    assert table.exit_code == 0 and "Maria" in table.stdout and "row(s)" in table.stdout


def test_add_json_then_forget_the_episode(built: Cli) -> None:
    ns = "clitest-add"
    added = built.json(
        "add",
        "I love jazz.",
        "--speaker",
        "Maria",
        "--timestamp",
        "2024-03-01T10:00:00Z",
        "--session",
        "s9",
        "--metadata",
        '{"source": "cli-test"}',
        "--id",
        "a1",
        "-n",
        ns,
    )
    assert added["namespace"] == ns and added["episode_ids"] == ["a1"]
    assert added["facts_added"] >= 1 and set(added["timings_ms"]) >= {"extract_ms", "store_ms"}
    query = "MATCH (e:Episode) WHERE e.namespace = $ns RETURN e.id AS id, e.metadata AS m, e.session_id AS s"
    rows = built.json("cypher", query, "-p", f"ns={ns}")
    assert rows == [{"id": "a1", "m": '{"source": "cli-test"}', "s": "s9"}]
    assert built.json("add", "I love jazz.", "--id", "a1", "-n", ns)["skipped_episode_ids"] == ["a1"]
    deleted = built.json("forget", "--episode", "a1", "-n", ns)
    assert deleted["episodes"] == 1
    assert built.json("stats", "-n", ns)["counts"]["episodes"] == 0


def test_add_text_output(built: Cli) -> None:
    result = built("add", "Tom is a pilot.", "--speaker", "Maria", "-n", "clitest-add-text")
    assert result.exit_code == 0
    assert "1 episode(s) added" in result.stdout


def test_undo_then_forget_everything(built: Cli, conversation_file: Path) -> None:
    ns = "clitest-undo"
    assert built("import", str(conversation_file), "-n", ns).exit_code == 0
    before = built.json("history", "--subject", "Maria", "--predicate", "lives_in", "-n", ns)
    paris = before[0]["fact"]
    assert paris["status"] == "superseded"
    after = built.json("undo", paris["id"], "-n", ns)
    status = {entity_key(e["fact"]["object"]): e["fact"]["status"] for e in after}
    assert status["paris"] == "active" and status["lisbon"] != "active"
    refused = built("forget", "--all", "-n", ns, input="n\n")
    assert refused.exit_code == 1 and built.json("stats", "-n", ns)["counts"]["episodes"] == len(CONVERSATION)
    deleted = built.json("forget", "--all", "--yes", "-n", ns)
    assert deleted["episodes"] == len(CONVERSATION) and deleted["facts"] >= 4
    remaining = built.json("stats", "-n", ns)["counts"]
    assert remaining == dict.fromkeys(remaining, 0)
    assert built.json("stats")["counts"]["episodes"] == len(CONVERSATION)  # other namespaces untouched


def test_stats_all_namespaces_and_text(built: Cli) -> None:
    every = built.json("stats", "--all")
    assert every["namespace"] is None and every["counts"]["episodes"] >= len(CONVERSATION)
    text = built("stats")
    assert text.exit_code == 0 and "episodes" in text.stdout and "kuzu" in text.stdout


def test_import_locomo_file_into_one_namespace_per_conversation(built: Cli, tmp_path: Path) -> None:
    def sample(sample_id: str, city: str) -> dict[str, object]:
        return {
            "sample_id": sample_id,
            "conversation": {
                "speaker_a": "Jon",
                "speaker_b": "Gina",
                "session_1_date_time": "1:56 pm on 8 May, 2023",
                "session_1": [
                    {"speaker": "Jon", "dia_id": "D1:1", "text": f"I live in {city}."},
                    {"speaker": "Gina", "dia_id": "D1:2", "text": "Nice!"},
                ],
            },
        }

    path = tmp_path / "locomo.json"
    path.write_text(json.dumps([sample("c1", "Denver"), sample("c2", "Austin")]), encoding="utf-8")
    results = built.json("import", str(path), "--batch-size", "1", "-n", "loco")
    assert [r["namespace"] for r in results] == ["loco-c1", "loco-c2"]
    assert [r["episode_ids"] for r in results] == [["c1:D1:1", "c1:D1:2"], ["c2:D1:1", "c2:D1:2"]]
    jon = built.json("facts", "--subject", "Jon", "-n", "loco-c2")
    assert _objects(jon) == ["austin"]
    rows = built.json("cypher", "MATCH (e:Episode) WHERE e.namespace = 'loco-c1' RETURN e.metadata AS m")
    assert {json.loads(r["m"])["dia_id"] for r in rows} == {"D1:1", "D1:2"}
