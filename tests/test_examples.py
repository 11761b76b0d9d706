"""The Cypher exploration examples (``cypher/examples/<dialect>/``) are real, documented and run.

Every Kuzu example runs read-only through ``Memory.cypher`` on a memory built from the demo
conversation and must return rows; both dialect folders hold the same query names, each with a
header ``// name -- what it shows -- params: a, b`` whose params are exactly the ``$params`` used.
(The Neo4j files are syntax-checked with Neo4j's own parser by the Neo4j test suite.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphmem.demo import DEMO_NAMESPACE, example_names, example_query, load_conversation
from graphmem.memory import Memory
from graphmem.model import entity_key

HEADER = re.compile(r"^// (?P<name>[a-z0-9_]+) -- (?P<what>.+?) -- params: (?P<params>[a-z_, ]+)$")
PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")

VALUES = {
    "namespace": DEMO_NAMESPACE,
    "name": "Maria",
    "predicate": "lives_in",
    "text": "lives in",
    "since": "2023-09-01",
    "until": "2024-03-01",
    "session": "s3",
}
"""Parameter values that make sense on the demo memory (its conversation runs 2023-03 to 2024-05)."""


def _header(text: str) -> tuple[str, str, set[str]]:
    match = HEADER.match(text.splitlines()[0])
    assert match, f"bad header line: {text.splitlines()[0]!r}"
    params = {p.strip() for p in match.group("params").split(",") if p.strip()}
    return match.group("name"), match.group("what"), params


def _body_params(text: str) -> set[str]:
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return set(PARAM.findall(body))


@pytest.fixture(scope="module")
def demo_memory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Memory]:
    path = tmp_path_factory.mktemp("examples") / "memory"
    with Memory(path=path, namespace=DEMO_NAMESPACE) as mem:
        mem.add_many(load_conversation()["messages"], batch_size=16)
        yield mem


def test_each_dialect_has_the_same_documented_examples() -> None:
    kuzu, neo4j = example_names("kuzu"), example_names("neo4j")
    assert kuzu == neo4j
    assert 6 <= len(kuzu) <= 12
    for name in kuzu:
        for dialect in ("kuzu", "neo4j"):
            text = example_query(name, dialect)
            header_name, what, params = _header(text)
            assert header_name == name, (dialect, name)
            assert len(what) > 20, (dialect, name)
            assert "namespace" in params, f"{dialect}/{name} must be scoped by namespace"
            assert _body_params(text) == params, (dialect, name)
        assert _header(example_query(name, "kuzu"))[2] == _header(example_query(name, "neo4j"))[2]


def test_examples_are_shipped_with_the_package() -> None:
    repo = Path(__file__).parents[1] / "cypher" / "examples" / "kuzu"
    assert sorted(p.stem for p in repo.glob("*.cypher")) == example_names("kuzu")


@pytest.mark.parametrize("name", example_names("kuzu"))
def test_kuzu_example_returns_rows_on_the_demo_memory(demo_memory: Memory, name: str) -> None:
    text = example_query(name, "kuzu")
    _, _, params = _header(text)
    rows = demo_memory.cypher(text, {p: VALUES[p] for p in params})
    assert rows, f"{name} returned no rows on the demo memory"


def test_examples_answer_what_their_header_says(demo_memory: Memory) -> None:
    def run(name: str) -> list[dict[str, object]]:
        text = example_query(name)
        return demo_memory.cypher(text, {p: VALUES[p] for p in _header(text)[2]})

    facts = {(r["predicate"], r["object"]) for r in run("person_current_facts")}
    assert ("lives_in", "Lisbon") in facts and ("lives_in", "Paris") not in facts
    history = run("slot_history")
    assert [(entity_key(str(r["fact"]).split()[-1]), r["status"]) for r in history] == [
        ("paris", "superseded"),
        ("lisbon", "active"),
    ]
    assert history[0]["replaced_by"] == "Maria lives in Lisbon" and history[0]["reason"]
    chain = run("supersedes_chain")
    pairs = {(r["current_fact"], r["earlier_fact"]) for r in chain}
    assert ("Maria lives in Lisbon", "Maria lives in Paris") in pairs
    reached = {(r["via"], r["reached"]) for r in run("two_hop_neighbourhood")}
    assert ("Anna", "Porto") in reached and ("Anna", "Tom") in reached
    changed = {r["fact"] for r in run("facts_changed_between")}
    assert "Maria lives in Lisbon" in changed and "Maria lives in Paris" in changed  # one began, one ended
    counts = {r["relationship"]: r["n"] for r in run("relationship_counts")}
    assert counts["SUPERSEDES"] >= 1 and counts["EVIDENCED_BY"] >= 10
    mentions = run("entities_by_mentions")
    assert mentions[0]["entity"] == "Maria"
    timeline = run("session_timeline")
    assert [r["seq"] for r in timeline] == sorted(r["seq"] for r in timeline)
    assert timeline[0]["next_episode"] and timeline[-1]["next_episode"] is None
