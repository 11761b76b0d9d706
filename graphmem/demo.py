"""``graphmem demo``: the first thing a newcomer runs.

It builds a memory from a sample conversation written for this project
(``graphmem/data/demo_conversation.json``: Maria talks to an assistant over five sessions in
2023-2024) on the embedded store, then shows the four things that make graphmem more than a vector
store, each produced by the public ``Memory`` API exactly as a user would call it:

1. a multi-hop answer with the path that found it ("Where does Maria's sister live?" -> Porto via
   Maria -sister-> Anna -lives_in-> Porto),
2. a fact that changed, with its history (Maria lives in Lisbon; before: Paris),
3. the EXPLAIN plan of the question,
4. a Cypher exploration query over the graph (one of ``cypher/examples/kuzu/``).

Nothing is hard-coded about the answers: the demo reports what the memory returned and whether it
matches the answer written in the conversation file, so a regression shows up as a visible miss.
"""

from __future__ import annotations

import json
import tempfile
import time
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from graphmem.memory import Memory
from graphmem.model import entity_key
from graphmem.store.queries import cypher_root

__all__ = ["DEMO_NAMESPACE", "example_names", "example_query", "load_conversation", "render_demo", "run_demo"]

DEMO_NAMESPACE = "demo"
CYPHER_EXAMPLE = "two_hop_neighbourhood"
"""The exploration query the demo runs (Maria's two-hop neighbourhood shows the family graph)."""


@cache
def load_conversation() -> dict[str, Any]:
    """The sample conversation: ``messages`` (for ``add_many``), ``questions`` with expected answers."""
    from importlib import resources

    text = (resources.files("graphmem.data") / "demo_conversation.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def example_names(dialect: str = "kuzu") -> list[str]:
    """Names of the exploration queries shipped for a dialect (``cypher/examples/<dialect>/``)."""
    folder = cypher_root() / "examples" / dialect
    return sorted(p.name[: -len(".cypher")] for p in folder.iterdir() if p.name.endswith(".cypher"))


def example_query(name: str, dialect: str = "kuzu") -> str:
    """The text of one exploration query; its first line says what it shows and which params it takes."""
    path = cypher_root() / "examples" / dialect / f"{name}.cypher"
    if not path.is_file():
        raise KeyError(f"no example query {name!r} for dialect {dialect!r}")
    return path.read_text(encoding="utf-8")


def _multi_hop(mem: Memory, question: dict[str, Any]) -> dict[str, Any]:
    result = mem.search(question["question"], k=5)
    expected = question["answer"]
    top = result.facts[0] if result.facts else None
    answer = top.object if top else None
    # The path that explains the answer: one ending at it, else the path the top fact was found by.
    key = entity_key(answer or "")
    ending = [p.text for p in result.paths if p.entities and entity_key(p.entities[-1]) == key]
    path = ending[0] if ending else (top.path if top else None)
    return {
        "question": question["question"],
        "answer": answer,
        "expected": expected,
        "correct": answer is not None and entity_key(answer) == entity_key(expected),
        "fact": (top.summary or top.text) if top else None,
        "path": path,
        "evidence": top.episodes if top else [],
        "paths": [p.text for p in result.paths[:3]],
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _changed(mem: Memory, subject: str, predicate: str) -> dict[str, Any]:
    current = mem.facts(subject=subject, predicate=predicate, include_history=True)
    history = mem.history(subject=subject, predicate=predicate)
    top = current[0] if current else None
    return {
        "subject": subject,
        "predicate": predicate,
        "current": top.object if top else None,
        "summary": top.summary if top else None,
        "before": [h.object for h in top.history] if top else [],
        "history": [
            {
                "fact": e.fact.text,
                "status": e.fact.status.value,
                "valid_from": _iso(e.fact.valid_from),
                "valid_to": _iso(e.fact.valid_to),
                "rule": e.rule,
                "reason": e.reason,
            }
            for e in history
        ],
    }


def run_demo(path: str | Path | None = None, *, namespace: str = DEMO_NAMESPACE) -> dict[str, Any]:
    """Build the demo memory (in a temporary directory unless ``path`` is given) and return what it shows.

    Re-running on the same ``path`` adds nothing (episode ids are fixed), so it is safe to repeat.
    """
    conversation = load_conversation()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="graphmem-demo-") as tmp:
        store = Path(path) if path is not None else Path(tmp) / "memory"
        with Memory(path=store, namespace=namespace) as mem:
            added = mem.add_many(conversation["messages"], batch_size=len(conversation["messages"]))
            build_s = time.perf_counter() - started
            questions = conversation["questions"]
            answers = [_multi_hop(mem, q) for q in questions]
            multi_hop = answers[0]
            changed = _changed(mem, "Maria", "lives_in")
            plan = mem.explain(questions[0]["question"])
            query = example_query(CYPHER_EXAMPLE)
            params = {"namespace": namespace, "name": "Maria"}
            rows = mem.cypher(query, params)
            counts = mem.stats().counts
    return {
        "namespace": namespace,
        "path": str(path) if path is not None else None,
        "turns": len(conversation["messages"]),
        "sessions": len({m["session"] for m in conversation["messages"]}),
        "added": added.model_dump(mode="json", exclude={"decisions"}),
        "counts": counts,
        "build_seconds": round(build_s, 2),
        "seconds": round(time.perf_counter() - started, 2),
        "multi_hop": multi_hop,
        "questions": [
            {k: a[k] for k in ("question", "answer", "expected", "correct", "path")} for a in answers
        ],
        "changed": changed,
        "plan": plan.model_dump(mode="json"),
        "cypher": {
            "name": CYPHER_EXAMPLE,
            "file": f"cypher/examples/kuzu/{CYPHER_EXAMPLE}.cypher",
            "query": query,
            "params": params,
            "rows": rows,
        },
    }


def _day(value: Any) -> str:
    return str(value)[:10] if value else ""


def render_demo(console: Console, result: dict[str, Any]) -> None:
    """The readable demo: four numbered sections, then how to explore further."""
    from graphmem.cli import plan_tree
    from graphmem.retrieve.plan import Plan

    counts = result["counts"]
    console.print(
        f"[bold]graphmem demo[/]: {result['turns']} turns in {result['sessions']} sessions -> "
        f"{counts.get('entities', 0)} entities, {counts.get('facts', 0)} facts "
        f"(namespace {result['namespace']!r}, built in {result['build_seconds']} s)\n"
    )

    hop = result["multi_hop"]
    mark = "[green]ok[/]" if hop["correct"] else f"[red]expected {escape(hop['expected'])}[/]"
    console.print(f"[bold]1. Multi-hop question[/]: {escape(hop['question'])}")
    console.print(f"   answer: [bold]{escape(str(hop['answer']))}[/]  {mark}")
    if hop["path"]:
        console.print(f"   path:   {escape(hop['path'])}")
    if hop["fact"]:
        evidence = f"  [dim](evidence: {', '.join(hop['evidence'])})[/]" if hop["evidence"] else ""
        console.print(f"   fact:   {escape(hop['fact'])}{evidence}")

    for other in result["questions"][1:]:
        ok = "[green]ok[/]" if other["correct"] else f"[red]expected {escape(other['expected'])}[/]"
        via = f"  [dim]via {escape(other['path'])}[/]" if other["path"] else ""
        console.print(f"   also: {escape(other['question'])} -> {escape(str(other['answer']))} {ok}{via}")

    changed = result["changed"]
    console.print(f"\n[bold]2. A fact that changed[/]: {changed['subject']} {changed['predicate']}")
    console.print(f"   now: {escape(str(changed['summary']))}")
    table = Table(show_edge=False, pad_edge=False)
    for column in ("fact", "status", "from", "to", "why"):
        table.add_column(column, overflow="fold")
    for entry in changed["history"]:
        table.add_row(
            escape(entry["fact"]),
            entry["status"],
            _day(entry["valid_from"]),
            _day(entry["valid_to"]),
            escape(entry["reason"] or ""),
        )
    console.print(table)

    console.print(f"\n[bold]3. EXPLAIN[/] {escape(hop['question'])}")
    console.print(plan_tree(Plan.model_validate(result["plan"])))

    cypher = result["cypher"]
    console.print(f"\n[bold]4. Cypher[/] ({cypher['file']}, params {cypher['params']})")
    body = "\n".join(line for line in cypher["query"].splitlines() if not line.startswith("//"))
    console.print(f"[dim]{escape(body)}[/]")
    rows = cypher["rows"]
    if rows:
        table = Table(show_edge=False, pad_edge=False)
        for column in rows[0]:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*[escape("" if v is None else str(v)) for v in row.values()])
        console.print(table)
    else:
        console.print("(no rows)")

    console.print(f"\nDone in {result['seconds']} s.")
    if result["path"]:
        console.print(
            f"Explore it: graphmem --path {result['path']} -n {result['namespace']} search "
            '"Where does Anna\'s husband work?"',
            soft_wrap=True,
        )  # copyable: never wrapped
    else:
        console.print("Keep the memory to explore it: graphmem --path ./demo-memory demo", soft_wrap=True)
