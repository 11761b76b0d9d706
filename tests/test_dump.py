"""Export / import of a namespace: export -> import into a fresh store -> export gives the same bytes,
and the imported memory answers history, as-of and search questions exactly as the original did.

The memory is the demo conversation (facts that change, sessions, several speakers) plus what agents
add on top (a session with an outcome and its digest, a lesson, feedback, a SIMILAR edge), so every
part of a dump is exercised on the real Kuzu store, spaCy model and encoder.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from graphmem import Memory
from graphmem.cli import app
from graphmem.demo import load_conversation
from graphmem.dump import DUMP_FORMAT, read_dump_file
from graphmem.errors import InvalidInput, NotFound
from graphmem.model import Similar, WriteBatch, entity_key
from graphmem.store.base import EXPORT_PARTS

NS = "dumped"


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Memory]:
    path = tmp_path_factory.mktemp("dump-source") / "memory"
    messages = load_conversation()["messages"]
    with Memory(path=path, namespace=NS) as mem:
        mem.add_many(messages, batch_size=len(messages))
        mem.start_session("trip", goal="plan a visit to Anna in Porto")
        mem.add(
            "I booked a train to Porto.",
            speaker="Maria",
            session="trip",
            id="x1",
            timestamp="2024-05-02T09:00:00Z",
        )
        mem.end_session("trip", outcome="success", score=1.0)
        top = mem.search("Where does Maria live?").facts[0]
        mem.add_insight("Maria prefers trains.", derived_from=["x1", top.id])
        mem.feedback([top.id], useful=True)
        entities = [e.id for e in (mem.entity("Anna"), mem.entity("Tom"))]
        mem.store.write(
            WriteBatch(namespace=NS, similar=[Similar(a_id=entities[0], b_id=entities[1], score=0.5)])
        )
        yield mem


def _answers(mem: Memory, namespace: str) -> dict[str, Any]:
    """What a user reads back: current and as-of views, histories, search hits and paths."""

    def dump(values: Any) -> Any:
        return json.loads(json.dumps([v.model_dump(mode="json") for v in values]))

    out: dict[str, Any] = {
        "facts": dump(mem.facts(namespace=namespace, include_history=True, limit=1000)),
        "as_of_2023": dump(mem.facts(namespace=namespace, as_of="2023-06-01T00:00:00Z", limit=1000)),
        "history": dump(mem.history(namespace=namespace, subject="Maria")),
        "insights": dump(mem.insights(namespace=namespace, include_stale=True)),
        "sessions": dump(mem.sessions(namespace=namespace)),
    }
    for q in load_conversation()["questions"]:
        found = mem.search(q["question"], namespace=namespace, k=5)
        out[q["question"]] = [[f.id, f.status.value, f.path] for f in found.facts] + [
            [p.text for p in found.paths]
        ]
    return out


def test_export_import_export_is_byte_identical(source: Memory, tmp_path: Path) -> None:
    first = tmp_path / "first.jsonl"
    summary = source.export(first, namespace=NS)
    counts = summary.counts
    assert all(counts[part] > 0 for part in EXPORT_PARTS), counts  # every part is exercised
    assert counts["facts"] > len([f for f in source.facts(limit=1000)])  # superseded facts too

    with Memory(path=tmp_path / "fresh", namespace="other") as fresh:
        loaded = fresh.import_dump(first)
        assert loaded.namespace == NS and loaded.counts == counts
        second = tmp_path / "second.jsonl"
        fresh.export(second, namespace=NS)
        assert second.read_bytes() == first.read_bytes()
        assert fresh.stats(namespace=NS).counts == source.stats(namespace=NS).counts
        assert _answers(fresh, NS) == _answers(source, NS)


def test_dump_lines_are_canonical_and_complete(source: Memory, tmp_path: Path) -> None:
    path = source.export(tmp_path / "d.jsonl", namespace=NS).path
    assert path is not None
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header["format"] == DUMP_FORMAT and header["namespace"] == NS and header["dimension"] == 384
    parts = [json.loads(line)["part"] for line in lines[1:]]
    assert parts == sorted(parts, key=EXPORT_PARTS.index)  # parts in a fixed order
    for line in lines[1:]:
        assert line == json.dumps(json.loads(line), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    facts = [json.loads(line)["record"] for line in lines[1:] if json.loads(line)["part"] == "facts"]
    assert [f["id"] for f in facts] == sorted(f["id"] for f in facts)
    assert all(len(f["embedding"]) == 384 for f in facts)
    lives = {
        entity_key(f["text"]): f["status"]
        for f in facts
        if f["predicate"] == "lives_in" and f["subject_id"] == source.entity("Maria").id
    }
    assert sorted(lives.values()) == ["active", "superseded"]  # the history travels with the dump
    supersedes = [
        json.loads(line)["record"] for line in lines[1:] if json.loads(line)["part"] == "supersedes"
    ]
    assert all(s["rule"] and s["reason"] for s in supersedes)


def test_import_into_another_namespace_and_refusals(source: Memory, tmp_path: Path) -> None:
    dump = tmp_path / "d.jsonl"
    source.export(dump, namespace=NS)
    with Memory(path=tmp_path / "target") as target:
        moved = target.import_dump(dump, namespace="copy")
        assert moved.namespace == "copy" and moved.source_namespace == NS
        assert [f.object for f in target.facts(namespace="copy", subject="Maria", predicate="lives_in")] == [
            f.object for f in source.facts(namespace=NS, subject="Maria", predicate="lives_in")
        ]
        before = target.stats(namespace="copy").counts
        with pytest.raises(InvalidInput, match="already holds data"):
            target.import_dump(dump, namespace="copy")
        assert target.stats(namespace="copy").counts == before

        broken = tmp_path / "broken.jsonl"
        lines = dump.read_text(encoding="utf-8").splitlines()
        broken.write_text(
            "\n".join([*lines[:5], '{"part": "facts", "record": {"id": 1}}', *lines[5:]]) + "\n"
        )
        with pytest.raises(InvalidInput, match=r"line 6: invalid facts record"):
            target.import_dump(broken, namespace="fresh")
        truncated = tmp_path / "truncated.jsonl"
        truncated.write_text("\n".join(lines[:-3]) + "\n", encoding="utf-8")
        with pytest.raises(InvalidInput, match="truncated"):
            target.import_dump(truncated, namespace="fresh")
        dangling = tmp_path / "dangling.jsonl"  # a fact whose subject entity is not in the dump
        kept = [line for line in lines if json.loads(line).get("part") != "entities"]
        header = json.loads(kept[0])
        header["counts"]["entities"] = 0
        dangling.write_text("\n".join([json.dumps(header), *kept[1:]]) + "\n", encoding="utf-8")
        with pytest.raises(Exception, match="do not exist"):
            target.import_dump(dangling, namespace="fresh")
        not_a_dump = tmp_path / "chat.jsonl"
        not_a_dump.write_text('{"content": "hi"}\n', encoding="utf-8")
        with pytest.raises(InvalidInput, match="not a graphmem dump"):
            target.import_dump(not_a_dump, namespace="fresh")
        assert not any(target.stats(namespace="fresh").counts.values())  # nothing half-written
        with pytest.raises(NotFound, match="holds no data"):
            target.export(tmp_path / "empty.jsonl", namespace="nobody")
        assert not (tmp_path / "empty.jsonl").exists()


def test_cli_export_and_import_dump(source: Memory, tmp_path: Path) -> None:
    dump = tmp_path / "cli.jsonl"
    source.export(dump, namespace=NS)
    runner = CliRunner()
    target = tmp_path / "cli-store"
    loaded = runner.invoke(app, ["--path", str(target), "--json", "import", "--dump", str(dump)])
    assert loaded.exit_code == 0, loaded.output
    assert json.loads(loaded.stdout)["namespace"] == NS
    again = tmp_path / "cli-again.jsonl"
    exported = runner.invoke(app, ["--path", str(target), "export", "--namespace", NS, str(again)])
    assert exported.exit_code == 0, exported.output
    assert again.read_bytes() == dump.read_bytes()
    refused = runner.invoke(app, ["--path", str(target), "import", "--dump", str(dump)])
    assert refused.exit_code == 1 and refused.stderr.startswith(
        "Error: namespace 'dumped' already holds data"
    )
    both = runner.invoke(app, ["--path", str(target), "import", str(dump), "--dump", str(dump)])
    assert both.exit_code == 2
    assert read_dump_file(dump).counts() == read_dump_file(again).counts()
