"""``graphmem bench ingest``: how fast conversations go in, and which stage of the write path bounds it.

Every LoCoMo conversation is ingested into its own namespace of one store through the public
``Memory.add_many(batch_size=...)`` (the same call ``graphmem import`` makes), so the number is what a
user gets. Models are loaded before the clock starts; load time is reported on its own. The time
split comes from ``AddResult.timings_ms``, which the write path fills per batch: ``episodes_ms``
(ids, idempotency look-ups, sessions), ``extract_ms`` (spaCy), ``embed_ms`` (one encoder call per
batch), ``resolve_reconcile_ms`` (entity resolution and reconsolidation) and ``store_ms`` (the one
transaction). Whatever the stages do not cover (validation, Python glue) is reported as ``other_ms``.
The stage with the largest share is the bottleneck, which is what DESIGN section 2 asks this
benchmark to decide (e.g. whether vector indexing in the store bounds ingestion).

Next to it, in the same run and on the same turn texts, the **physical ceiling**: the encoder alone
(uncached, in batches of ``batch_size``) and spaCy alone (``nlp.pipe``), each as texts per second of
wall time and CPU milliseconds per text; and the ingest's own CPU time per turn. On a shared machine
the CPU figures are the comparable ones.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graphmem.errors import InvalidInput
from graphmem.importers import read_locomo
from graphmem.memory import Memory

__all__ = ["STAGES", "render_text", "run"]

STAGES = ("episodes_ms", "extract_ms", "embed_ms", "resolve_reconcile_ms", "store_ms")
"""The write-path stages ``AddResult.timings_ms`` reports, in the order they run."""


def _stage_report(timings: dict[str, float], wall_ms: float, turns: int) -> dict[str, Any]:
    stages = {name: timings.get(name, 0.0) for name in STAGES}
    stages["other_ms"] = max(0.0, wall_ms - sum(stages.values()))
    report: dict[str, Any] = {}
    for name, ms in stages.items():
        report[name] = {
            "ms": round(ms, 1),
            "share": round(ms / wall_ms, 4) if wall_ms else 0.0,
            "ms_per_turn": round(ms / turns, 3) if turns else 0.0,
        }
    return report


def _ceiling(memory: Memory, texts: list[str], batch_size: int) -> dict[str, Any]:
    """The encoder alone and spaCy alone over the same texts (no cache, same batch size)."""
    out: dict[str, Any] = {"texts": len(texts)}
    nlp = getattr(memory.extractor, "nlp", None)
    stages: dict[str, Callable[[list[str]], object]] = {
        "encoder": lambda chunk: memory.encoder.encode(chunk, cache=False),
    }
    if nlp is not None:
        stages["spacy"] = lambda chunk: list(nlp.pipe(chunk, batch_size=batch_size))
    for name, work in stages.items():
        started, started_cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(texts), batch_size):
            work(texts[i : i + batch_size])
        seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        out[name] = {
            "texts_per_s": round(len(texts) / seconds, 1) if seconds else None,
            "cpu_ms_per_text": round(1000 * cpu / len(texts), 3) if texts else None,
        }
    return out


def run(
    data: Path,
    *,
    limit: int | None = None,
    turns_per_conversation: int | None = None,
    batch_size: int = 32,
    memory_factory: Callable[[], Memory] | None = None,
    namespace_prefix: str = "ingest-",
    progress: bool = False,
) -> dict[str, Any]:
    """Ingest the conversations of a LoCoMo-style file and report throughput and the stage split.

    ``limit`` keeps the first N conversations and ``turns_per_conversation`` the first N turns of
    each (for quick runs). Without ``memory_factory`` a temporary embedded store is used and deleted.
    Returns ``{"conversations", "turns", "seconds", "turns_per_s", "model_load_s", "batch_size",
    "stages", "bottleneck", "facts_added", "facts_closed", "entities_added", "per_conversation"}``.
    """
    if batch_size < 1:
        raise InvalidInput("batch_size must be at least 1")
    conversations = list(read_locomo(data))
    if limit is not None:
        conversations = conversations[:limit]
    if turns_per_conversation is not None:
        conversations = [(sid, items[:turns_per_conversation]) for sid, items in conversations]
    conversations = [(sid, items) for sid, items in conversations if items]
    if not conversations:
        raise InvalidInput(f"{data}: no conversation turns to ingest")

    with tempfile.TemporaryDirectory(prefix="graphmem-bench-ingest-") as tmp:
        memory = memory_factory() if memory_factory is not None else Memory(path=Path(tmp) / "memory")
        with memory:
            t0 = time.perf_counter()
            memory.open()
            _ = memory.extractor  # load spaCy (and the encoder, by open) before the clock starts
            model_load_s = time.perf_counter() - t0
            per_conversation: list[dict[str, Any]] = []
            totals: dict[str, float] = {}
            counts = {"facts_added": 0, "facts_closed": 0, "entities_added": 0}
            wall = 0.0
            turns = 0
            cpu_started = time.process_time()
            for sample_id, items in conversations:
                start = time.perf_counter()
                result = memory.add_many(
                    items,
                    namespace=f"{namespace_prefix}{sample_id}",
                    batch_size=batch_size,
                    progress=progress,
                )
                seconds = time.perf_counter() - start
                wall += seconds
                turns += len(items)
                for key, value in result.timings_ms.items():
                    totals[key] = totals.get(key, 0.0) + value
                for key in counts:
                    counts[key] += getattr(result, key)
                per_conversation.append(
                    {
                        "sample_id": sample_id,
                        "turns": len(items),
                        "seconds": round(seconds, 3),
                        "turns_per_s": round(len(items) / seconds, 2) if seconds else None,
                        "skipped": len(result.skipped_episode_ids),
                        "facts_added": result.facts_added,
                    }
                )
            cpu_s = time.process_time() - cpu_started
            texts = [str(item["content"]) for _, items in conversations for item in items]
            ceiling = _ceiling(memory, texts, batch_size)
    stages = _stage_report(totals, wall * 1000, turns)
    bottleneck = max((name for name in stages if name != "other_ms"), key=lambda name: stages[name]["ms"])
    return {
        "conversations": len(conversations),
        "turns": turns,
        "seconds": round(wall, 3),
        "turns_per_s": round(turns / wall, 2) if wall else None,
        "model_load_s": round(model_load_s, 2),
        "cpu_ms_per_turn": round(1000 * cpu_s / turns, 2) if turns else None,
        "ceiling": ceiling,
        "batch_size": batch_size,
        "stages": stages,
        "bottleneck": bottleneck,
        **counts,
        "per_conversation": per_conversation,
    }


def render_text(report: dict[str, Any]) -> str:
    """A readable summary (the CLI prints this without ``--json``)."""
    lines = [
        f"ingest: {report['conversations']} conversation(s), {report['turns']} turns in "
        f"{report['seconds']:.1f} s -> {report['turns_per_s']} turns/s (batch {report['batch_size']}; "
        f"models loaded in {report['model_load_s']} s)",
        f"  {'stage':<22}{'ms':>10}{'share':>8}{'ms/turn':>10}",
    ]
    for name, stage in report["stages"].items():
        mark = "  <- bottleneck" if name == report["bottleneck"] else ""
        numbers = f"{stage['ms']:>10.0f}{stage['share']:>8.1%}{stage['ms_per_turn']:>10.1f}"
        lines.append(f"  {name:<22}{numbers}{mark}")
    ceiling = report.get("ceiling", {})
    for name in ("encoder", "spacy"):
        if name in ceiling:
            lines.append(
                f"  ceiling {name}: {ceiling[name]['texts_per_s']} texts/s, "
                f"{ceiling[name]['cpu_ms_per_text']} ms CPU/text "
                f"(ingest: {report['cpu_ms_per_turn']} ms CPU/turn)"
            )
    lines.append(
        f"facts added {report['facts_added']}, closed {report['facts_closed']}; "
        f"entities added {report['entities_added']}"
    )
    for conv in report["per_conversation"]:
        lines.append(
            f"  {conv['sample_id']:<12} {conv['turns']:>5} turns {conv['seconds']:>8.1f} s "
            f"{conv['turns_per_s'] or 0:>7.1f} turns/s"
        )
    return "\n".join(lines)
