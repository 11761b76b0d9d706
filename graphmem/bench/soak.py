"""Soak: does the process's memory stay bounded over many searches? (``graphmem bench soak``)

A server answers searches for days; memory that grows with every search (a cache without a bound, a
result never freed) ends in an out-of-memory kill. This bench seeds the demo conversation into one or
more namespaces, runs ``searches`` searches round-robin over the namespaces and the demo's questions
(phrased a few ways so per-text caches see new keys), and samples the resident set size (RSS) every
``interval`` searches. It reports the RSS series, the growth after warm-up (the target: under 5 %)
and the growth per search in KB; ``namespaces`` > 1 exercises the per-namespace derived indexes.
Numbers, not asserts: the report is the measurement.
"""

from __future__ import annotations

import gc
import os
import resource
import time
from collections.abc import Callable
from typing import Any

from graphmem.demo import load_conversation
from graphmem.memory import Memory

__all__ = ["render_text", "rss_mb", "run"]

_PHRASINGS = ("{q}", "Tell me: {q}", "{q} Please answer briefly.", "Quick question, {q}")


def rss_mb() -> float:
    """This process's resident set size now (Linux ``/proc``), else its peak (``getrusage``)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(
    memory_factory: Callable[[], Memory],
    *,
    searches: int = 2000,
    interval: int = 100,
    warmup: int = 200,
    namespaces: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Seed, then search ``searches`` times; RSS every ``interval`` searches. Warm-up (excluded from
    the growth figure) is the first ``warmup`` searches: models, indexes and caches filling once."""
    if searches < 1 or interval < 1 or namespaces < 1 or not 0 <= warmup < searches:
        raise ValueError("need searches >= 1, interval >= 1, namespaces >= 1 and 0 <= warmup < searches")
    conversation = load_conversation()
    questions = [p.format(q=q["question"]) for p in _PHRASINGS for q in conversation["questions"]]
    started = time.perf_counter()
    with memory_factory() as memory:
        spaces = [f"soak-{i}" for i in range(namespaces)]
        for namespace in spaces:
            memory.add_many(
                conversation["messages"], namespace=namespace, batch_size=len(conversation["messages"])
            )
        seeded_s = time.perf_counter() - started
        gc.collect()
        samples = [{"searches": 0, "rss_mb": round(rss_mb(), 1)}]
        search_started = time.perf_counter()
        for n in range(1, searches + 1):
            memory.search(questions[n % len(questions)], namespace=spaces[n % len(spaces)])
            if n % interval == 0 or n == searches:
                samples.append({"searches": n, "rss_mb": round(rss_mb(), 1)})
            if progress is not None:
                progress(n, searches)
        search_s = time.perf_counter() - search_started
    after = next(s for s in samples if s["searches"] >= warmup)
    end = samples[-1]
    grown = end["rss_mb"] - after["rss_mb"]
    span = max(end["searches"] - after["searches"], 1)
    return {
        "searches": searches,
        "namespaces": namespaces,
        "warmup": warmup,
        "interval": interval,
        "seed_seconds": round(seeded_s, 1),
        "searches_per_second": round(searches / search_s, 1),
        "rss_start_mb": samples[0]["rss_mb"],
        "rss_after_warmup_mb": after["rss_mb"],
        "rss_end_mb": end["rss_mb"],
        "growth_after_warmup_pct": round(100 * grown / after["rss_mb"], 2),
        "growth_per_search_kb": round(1024 * grown / span, 1),
        "samples": samples,
    }


def render_text(report: dict[str, Any]) -> str:
    """A readable summary (the CLI prints this without ``--json``)."""
    series = ", ".join(
        f"{s['searches']}:{s['rss_mb']:.0f}"
        for s in report["samples"][:: max(1, len(report["samples"]) // 12)]
    )
    return (
        f"{report['searches']} searches over {report['namespaces']} namespace(s), "
        f"{report['searches_per_second']}/s\n"
        f"RSS {report['rss_start_mb']:.0f} MB at start, {report['rss_after_warmup_mb']:.0f} MB after "
        f"{report['warmup']} warm-up searches, {report['rss_end_mb']:.0f} MB at the end: "
        f"{report['growth_after_warmup_pct']:+.2f} % ({report['growth_per_search_kb']:+.1f} KB/search)\n"
        f"searches:MB  {series}"
    )
