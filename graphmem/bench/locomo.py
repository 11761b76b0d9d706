"""``graphmem bench locomo``: evidence recall of ``Memory.search`` on LoCoMo, against BM25 and dense.

LoCoMo (Maharana et al., ACL 2024) has 10 long two-person conversations and questions whose answers
are grounded in given turns ("evidence"). Retrieval is scored without any LLM: for each question of
categories 1-4 (multi-hop, temporal, open-domain, single-hop; adversarial questions have no evidence)
the turns are ranked and we measure evidence recall@5/10/20 (share of the gold turns in the top k) and
all@10 (share of questions whose gold turns are all in the top 10), overall and per category.

Each conversation is ingested into its own namespace through ``Memory.add_many`` (turn ids kept as
episode ids and in metadata). graphmem's ranking of turns is the planner's episodes, followed by the
evidencing episodes of its top facts. The baselines are computed in the same run over the very same
turns, rendered ``<speaker> said, "<text>"``: BM25 (bm25s, English stop words and, when PyStemmer is
installed, the Snowball stemmer), dense all-MiniLM-L6-v2 (the engine's encoder), and their
reciprocal-rank fusion. Search latency is the wall time of each ``Memory.search`` call.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from graphmem.errors import InvalidInput

if TYPE_CHECKING:
    from graphmem.memory import Memory

__all__ = ["CATEGORIES", "evidence_ids", "recall_metrics", "render_text", "run"]

CATEGORIES = {1: "multi-hop", 2: "temporal", 3: "open-domain", 4: "single-hop"}
KS = (5, 10, 20)
TARGETS = {"overall_r10_margin": 5.0, "multihop_r10_margin": 10.0, "p95_ms": 150.0}


def evidence_ids(evidence: Iterable[str]) -> list[str]:
    """Gold turn ids; a few LoCoMo items pack several ids in one string ("D8:6; D9:17").

    >>> evidence_ids(["D1:3", "D8:6; D9:17"])
    ['D1:3', 'D8:6', 'D9:17']
    """
    return [part for item in evidence for part in re.split(r"[;,\s]+", str(item)) if part]


def recall_metrics(ranked: Sequence[str], gold: Iterable[str]) -> dict[str, float]:
    """Recall@k for k in 5, 10, 20 and all@10 of one question.

    >>> recall_metrics(["a", "x", "b"], ["a", "b"])["r5"], recall_metrics(["a"], ["a", "b"])["all10"]
    (1.0, 0.0)
    """
    wanted = set(gold)
    if not wanted:
        raise InvalidInput("a question without evidence cannot be scored")
    out = {f"r{k}": len(wanted & set(ranked[:k])) / len(wanted) for k in KS}
    out["all10"] = float(wanted <= set(ranked[:10]))
    return out


def _summary(rows: Sequence[tuple[int, dict[str, float]]]) -> dict[str, Any]:
    def mean(items: Sequence[dict[str, float]]) -> dict[str, float]:
        keys = [f"r{k}" for k in KS] + ["all10"]
        return {key: round(100 * statistics.fmean(m[key] for m in items), 1) for key in keys} | {
            "n": len(items)
        }

    per_category = {
        f"{cat} {name}": mean([m for c, m in rows if c == cat])
        for cat, name in CATEGORIES.items()
        if any(c == cat for c, _ in rows)
    }
    return {"overall": mean([m for _, m in rows]), "per_category": per_category}


class _Baselines:
    """BM25, dense and hybrid rankings over one conversation's rendered turns."""

    def __init__(self, turn_ids: Sequence[str], texts: Sequence[str], encoder: Any) -> None:
        import bm25s  # type: ignore[import-untyped]

        self.turn_ids = list(turn_ids)
        self.stemmer = _stemmer()
        self.bm25 = bm25s.BM25()
        self.bm25.index(self._tokens(texts), show_progress=False)
        self.vectors = encoder.encode(list(texts))
        self.encoder = encoder

    def _tokens(self, texts: Sequence[str]) -> Any:
        import bm25s

        return bm25s.tokenize(list(texts), stopwords="en", stemmer=self.stemmer, show_progress=False)

    def rank(self, question: str, query_vector: np.ndarray) -> dict[str, list[str]]:
        n = len(self.turn_ids)
        docs, _ = self.bm25.retrieve(self._tokens([question]), k=n, show_progress=False)
        lexical = [self.turn_ids[int(i)] for i in docs[0]]
        dense = [self.turn_ids[int(i)] for i in np.argsort(-(self.vectors @ query_vector), kind="stable")]
        fused: dict[str, float] = {}
        for ranking in (lexical, dense):
            for rank, turn in enumerate(ranking, start=1):
                fused[turn] = fused.get(turn, 0.0) + 1.0 / (60 + rank)
        hybrid = sorted(fused, key=lambda t: -fused[t])
        return {"bm25": lexical, "dense": dense, "hybrid": hybrid}


def _stemmer() -> Any:
    try:
        import Stemmer  # type: ignore[import-not-found]  # PyStemmer: the Snowball stemmer bm25s uses
    except ImportError:
        return None
    return Stemmer.Stemmer("english")


def _graphmem_ranking(result: Any, dia_of: Mapping[str, str]) -> list[str]:
    """The planner's episodes, then the evidencing episodes of its top facts (deduplicated)."""
    ranked: list[str] = []
    for episode in result.episodes:
        turn = episode.metadata.get("dia_id") or dia_of.get(episode.id)
        if turn:
            ranked.append(str(turn))
    for fact in result.facts:
        for episode_id in fact.episodes:
            if episode_id in dia_of:
                ranked.append(dia_of[episode_id])
    return list(dict.fromkeys(ranked))


def _ingest(
    memory: Memory,
    items: list[dict[str, Any]],
    namespace: str,
    batch_size: int,
    progress: bool,
    failures: list[dict[str, str]],
) -> int:
    """``add_many`` in batches; if a batch fails, its turns are retried one by one and the ones that
    still fail are reported (a benchmark should say what it could not ingest, not stop). Re-adding the
    turns of a half-committed batch is a no-op: ids are idempotent."""
    try:
        return memory.add_many(
            items, namespace=namespace, batch_size=batch_size, progress=progress
        ).facts_added
    except Exception:  # reported per turn below
        added = 0
        for item in items:
            try:
                added += memory.add_many([item], namespace=namespace).facts_added
            except Exception as exc:
                failures.append({"id": str(item.get("id")), "error": f"{type(exc).__name__}: {exc}"[:300]})
        return added


def run(
    data: Path,
    *,
    memory_factory: Callable[[], Memory],
    limit_conversations: int | None = None,
    limit: int | None = None,
    k: int = 20,
    batch_size: int = 64,
    ingest: bool = True,
    progress: bool = False,
) -> dict[str, Any]:
    """Ingest each conversation, rank turns per question, and score graphmem against the baselines.

    Parameters
    ----------
    data
        ``locomo10.json``.
    memory_factory
        Makes the Memory to ingest into (one store; one namespace ``locomo-<i>`` per conversation).
    limit_conversations, limit
        Only the first N conversations (``limit`` is the CLI's ``--limit``).
    k
        Results asked of ``Memory.search`` (20: recall@20 is reported).
    ingest
        False to reuse a store already holding the namespaces (calibration runs).
    """
    from graphmem.importers import read_locomo

    if not Path(data).is_file():
        raise InvalidInput(f"LoCoMo file not found: {data}")
    count = limit_conversations or limit
    raw = json.loads(Path(data).read_text(encoding="utf-8"))
    conversations = list(read_locomo(data))
    if count is not None:
        conversations, raw = conversations[:count], raw[:count]
    rows: dict[str, list[tuple[int, dict[str, float]]]] = {
        "graphmem": [],
        "bm25": [],
        "dense": [],
        "hybrid": [],
    }
    latencies: list[float] = []
    failures: list[dict[str, str]] = []
    ingest_s = 0.0
    turns_total = 0
    facts_total = 0
    with memory_factory() as memory:
        encoder = memory.encoder
        for index, ((sample_id, items), sample) in enumerate(zip(conversations, raw, strict=True)):
            namespace = f"locomo-{index}"
            turns_total += len(items)
            if ingest:
                started = time.perf_counter()
                facts_total += _ingest(memory, items, namespace, batch_size, progress, failures)
                ingest_s += time.perf_counter() - started
            dia_of = {item["id"]: item["metadata"]["dia_id"] for item in items}
            texts = [f'{item["speaker"]} said, "{item["content"]}"' for item in items]
            baselines = _Baselines([item["metadata"]["dia_id"] for item in items], texts, encoder)
            questions = [
                q for q in sample["qa"] if q.get("category") in CATEGORIES and evidence_ids(q["evidence"])
            ]
            vectors: Any = encoder.encode([str(q["question"]) for q in questions]) if questions else []
            for question, vector in zip(questions, vectors, strict=True):
                gold = evidence_ids(question["evidence"])
                category = int(question["category"])
                started = time.perf_counter()
                result = memory.search(str(question["question"]), namespace=namespace, k=k)
                latencies.append((time.perf_counter() - started) * 1000)
                rows["graphmem"].append((category, recall_metrics(_graphmem_ranking(result, dia_of), gold)))
                for name, ranking in baselines.rank(str(question["question"]), vector).items():
                    rows[name].append((category, recall_metrics(ranking, gold)))
            if progress:
                done = _summary(rows["graphmem"])["overall"]
                print(
                    f"[locomo] {sample_id}: {len(questions)} questions; running R@10 {done['r10']}",
                    flush=True,
                )
    methods = {name: _summary(r) for name, r in rows.items()}
    best = max(("bm25", "dense", "hybrid"), key=lambda m: methods[m]["overall"]["r10"])
    best_mh = max(
        ("bm25", "dense", "hybrid"),
        key=lambda m: methods[m]["per_category"].get("1 multi-hop", {}).get("r10", 0.0),
    )
    ours = methods["graphmem"]
    ours_mh = ours["per_category"].get("1 multi-hop", {}).get("r10", 0.0)
    p95 = float(np.percentile(latencies, 95)) if latencies else 0.0
    report: dict[str, Any] = {
        "dataset": {
            "file": str(data),
            "conversations": len(conversations),
            "turns": turns_total,
            "questions": len(rows["graphmem"]),
        },
        "ingest": {
            "performed": ingest,
            "seconds": round(ingest_s, 1),
            "facts_added": facts_total,
            "failed_turns": failures,
            "turns_per_s": round(turns_total / ingest_s, 1) if ingest_s else None,
        },
        "methods": methods,
        "latency_ms": {
            "p50": round(float(np.percentile(latencies, 50)), 1) if latencies else 0.0,
            "p95": round(p95, 1),
            "mean": round(statistics.fmean(latencies), 1) if latencies else 0.0,
            "n": len(latencies),
        },
        "comparison": {
            "best_baseline": best,
            "overall_r10_margin": round(ours["overall"]["r10"] - methods[best]["overall"]["r10"], 1),
            "best_multihop_baseline": best_mh,
            "multihop_r10_margin": round(
                ours_mh - methods[best_mh]["per_category"].get("1 multi-hop", {}).get("r10", 0.0), 1
            ),
            "targets": TARGETS,
        },
        "notes": {
            "ranking": "graphmem: planner episodes, then evidencing episodes of its top facts",
            "bm25_stemmer": "snowball english (PyStemmer)"
            if _stemmer() is not None
            else "none (PyStemmer missing)",
            "turn_text": '<speaker> said, "<text>" (image captions appended as the importer does)',
        },
    }
    comparison = report["comparison"]
    comparison["meets_targets"] = bool(
        comparison["overall_r10_margin"] >= TARGETS["overall_r10_margin"]
        and comparison["multihop_r10_margin"] >= TARGETS["multihop_r10_margin"]
        and p95 < TARGETS["p95_ms"]
    )
    return report


def render_text(report: Mapping[str, Any]) -> str:
    """A readable table of the report (the CLI prints it without ``--json``)."""
    lines = [
        f"LoCoMo: {report['dataset']['conversations']} conversations, {report['dataset']['turns']} turns, "
        f"{report['dataset']['questions']} questions (categories 1-4)"
    ]
    header = f"{'method':<10} {'R@5':>6} {'R@10':>6} {'R@20':>6} {'all@10':>7}  " + " ".join(
        f"{name[:11]:>11}" for name in CATEGORIES.values()
    )
    lines += ["", header, "-" * len(header)]
    for name, summary in report["methods"].items():
        overall = summary["overall"]
        cats = " ".join(
            f"{summary['per_category'].get(f'{c} {n}', {}).get('r10', 0.0):>11.1f}"
            for c, n in CATEGORIES.items()
        )
        lines.append(
            f"{name:<10} {overall['r5']:>6.1f} {overall['r10']:>6.1f} {overall['r20']:>6.1f} "
            f"{overall['all10']:>7.1f}  {cats}"
        )
    lat = report["latency_ms"]
    comp = report["comparison"]
    lines += [
        "",
        f"search latency: p50 {lat['p50']} ms, p95 {lat['p95']} ms over {lat['n']} searches",
        f"vs best baseline ({comp['best_baseline']}): R@10 {comp['overall_r10_margin']:+.1f}; "
        "multi-hop R@10 vs "
        f"{comp['best_multihop_baseline']}: {comp['multihop_r10_margin']:+.1f}; "
        f"targets met: {'yes' if comp['meets_targets'] else 'no'}",
    ]
    if report["ingest"]["performed"]:
        lines.append(
            f"ingest: {report['ingest']['seconds']} s, {report['ingest']['turns_per_s']} turns/s, "
            f"{len(report['ingest']['failed_turns'])} turn(s) failed to ingest"
        )
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - manual runs: python -m graphmem.bench.locomo FILE STORE
    import sys

    from graphmem.memory import Memory as _Memory

    store_dir = Path(sys.argv[2])
    out = run(
        Path(sys.argv[1]),
        memory_factory=lambda: _Memory(path=store_dir),
        ingest=not (store_dir / "graph.kuzu").exists() and "--no-ingest" not in sys.argv,
        limit_conversations=int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3].isdigit() else None,
        progress=True,
    )
    print(render_text(out))
    print(json.dumps(out, indent=1))
