"""``graphmem bench multihop``: passage recall of ``Memory.search`` on a multi-hop QA corpus.

The data directory holds ``corpus.jsonl`` (``{doc_id, title, text}``: Wikipedia paragraphs whose titles
are entity names) and ``questions.jsonl`` (``{id, question, category, supporting_doc_ids}``), the
layout of ``shared/bench/hotpotqa_dev`` (HotpotQA as HippoRAG samples it). Every passage is one
episode of one namespace (the doc id is the episode id); for each question the passages are ranked and
we report recall@2/5/10 of the supporting passages and all@5 (share of questions with every supporting
passage in the top 5), overall and per category (bridge, comparison).

The baselines are computed in the same run over the very same passages rendered ``Title\\ntext``: BM25
(bm25s, English stop words, Snowball stemmer when PyStemmer is installed), dense (the engine's encoder)
and their reciprocal-rank fusion ("hybrid"), shared with ``bench locomo``. graphmem's ranking is the
planner's episodes, then the evidencing episodes of its top facts. Search latency is the wall time of
each ``Memory.search`` call.

Ingesting ~1,000 passages takes minutes: with the global ``--path DIR`` the memory is kept, and
``--set ingest=false`` reuses it (calibration runs rank against the same graph).
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from graphmem.bench.locomo import _Baselines, _stemmer
from graphmem.errors import InvalidInput

if TYPE_CHECKING:
    from graphmem.memory import Memory

__all__ = ["KS", "load", "recall_metrics", "render_text", "run"]

KS = (2, 5, 10)
NAMESPACE = "multihop"
TARGETS = {"overall_r5_margin_vs_hybrid": 5.0, "comparison_r5_margin_vs_dense": 0.0}


def recall_metrics(ranked: Sequence[str], gold: Sequence[str]) -> dict[str, float]:
    """Recall@2/5/10 and all@5 of one question.

    >>> m = recall_metrics(["a", "x", "y", "z", "q", "b"], ["a", "b"])
    >>> m["r2"], m["r5"], m["r10"], m["all5"]
    (0.5, 0.5, 1.0, 0.0)
    """
    wanted = set(gold)
    if not wanted:
        raise InvalidInput("a question without supporting passages cannot be scored")
    out = {f"r{k}": len(wanted & set(ranked[:k])) / len(wanted) for k in KS}
    out["all5"] = float(wanted <= set(ranked[:5]))
    return out


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise InvalidInput(f"multihop data file not found: {path}")
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"{path}:{number}: not JSON ({exc})") from exc
    return rows


def load(data: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The corpus and the questions of a data directory, checked: every supporting id is a passage."""
    data = Path(data)
    if not data.is_dir():
        raise InvalidInput(f"multihop data directory not found: {data}")
    corpus = _read_jsonl(data / "corpus.jsonl")
    questions = _read_jsonl(data / "questions.jsonl")
    ids = {str(p.get("doc_id")) for p in corpus}
    for p in corpus:
        if not p.get("doc_id") or not isinstance(p.get("text"), str):
            raise InvalidInput(f"passage without doc_id or text: {str(p)[:120]}")
    for q in questions:
        missing = [d for d in q.get("supporting_doc_ids", []) if d not in ids]
        if missing or not q.get("supporting_doc_ids"):
            raise InvalidInput(f"question {q.get('id')}: supporting passages {missing or '[]'} not in corpus")
    return corpus, questions


def _summary(rows: Sequence[tuple[str, dict[str, float]]]) -> dict[str, Any]:
    def mean(items: Sequence[dict[str, float]]) -> dict[str, float]:
        keys = [f"r{k}" for k in KS] + ["all5"]
        return {key: round(100 * statistics.fmean(m[key] for m in items), 1) for key in keys} | {
            "n": len(items)
        }

    categories = sorted({c for c, _ in rows})
    return {
        "overall": mean([m for _, m in rows]),
        "per_category": {c: mean([m for cat, m in rows if cat == c]) for c in categories},
    }


def _graphmem_ranking(result: Any, passages: set[str]) -> list[str]:
    """The planner's episodes, then the evidencing episodes of its top facts (deduplicated)."""
    ranked = [str(e.metadata.get("doc_id") or e.id) for e in result.episodes]
    ranked += [eid for fact in result.facts for eid in fact.episodes]
    return [d for d in dict.fromkeys(ranked) if d in passages]


def _items(corpus: Sequence[Mapping[str, Any]], glue_title: bool) -> list[dict[str, Any]]:
    items = []
    for p in corpus:
        doc_id, title, text = str(p["doc_id"]), str(p.get("title") or ""), str(p["text"])
        # one session per passage: the corpus order groups each question's passages together, and
        # nothing about that order may reach the ranking
        item: dict[str, Any] = {"id": doc_id, "metadata": {"doc_id": doc_id}, "session": doc_id}
        if glue_title or not title:
            item["content"] = f"{title}\n{text}" if title else text
        else:
            item["content"], item["title"] = text, title
        items.append(item)
    return items


def run(
    data: Path,
    *,
    memory_factory: Callable[[], Memory],
    limit: int | None = None,
    k: int = 10,
    batch_size: int = 32,
    ingest: bool = True,
    glue_title: bool = False,
    progress: bool = False,
) -> dict[str, Any]:
    """Ingest the corpus, rank passages per question, score graphmem against the baselines.

    Parameters
    ----------
    data
        The directory with ``corpus.jsonl`` and ``questions.jsonl``.
    memory_factory
        Makes the Memory to ingest into (namespace ``multihop``).
    limit
        Only the first N questions (the whole corpus is always ingested: it is the distractor set).
    k
        Results asked of ``Memory.search``.
    ingest
        False to reuse a memory that holds the corpus already (``--path`` + ``--set ingest=false``).
    glue_title
        Ingest ``"Title\\ntext"`` as plain content instead of the document's ``title`` field (how the
        corpus had to be fed before documents had titles; kept to measure the difference).
    """
    corpus, questions = load(data)
    if limit is not None:
        questions = questions[:limit]
    passages = {str(p["doc_id"]) for p in corpus}
    rows: dict[str, list[tuple[str, dict[str, float]]]] = {
        "graphmem": [],
        "bm25": [],
        "dense": [],
        "hybrid": [],
    }
    latencies: list[float] = []
    ingest_s = 0.0
    facts_added = 0
    with memory_factory() as memory:
        if ingest:
            started = time.perf_counter()
            result = memory.add_many(
                _items(corpus, glue_title), namespace=NAMESPACE, batch_size=batch_size, progress=progress
            )
            facts_added = result.facts_added
            ingest_s = time.perf_counter() - started
        encoder = memory.encoder
        texts = [f"{p.get('title') or ''}\n{p['text']}".strip() for p in corpus]
        baselines = _Baselines([str(p["doc_id"]) for p in corpus], texts, encoder)
        vectors: Any = encoder.encode([str(q["question"]) for q in questions]) if questions else []
        for question, vector in zip(questions, vectors, strict=True):
            gold = [str(d) for d in question["supporting_doc_ids"]]
            category = str(question.get("category") or "all")
            started = time.perf_counter()
            found = memory.search(str(question["question"]), namespace=NAMESPACE, k=k)
            latencies.append((time.perf_counter() - started) * 1000)
            rows["graphmem"].append((category, recall_metrics(_graphmem_ranking(found, passages), gold)))
            for name, ranking in baselines.rank(str(question["question"]), vector).items():
                rows[name].append((category, recall_metrics(ranking, gold)))
    methods = {name: _summary(r) for name, r in rows.items()}
    ours = methods["graphmem"]
    dense_cmp = methods["dense"]["per_category"].get("comparison", {}).get("r5", 0.0)
    ours_cmp = ours["per_category"].get("comparison", {}).get("r5", 0.0)
    comparison = {
        "overall_r5_margin_vs_hybrid": round(ours["overall"]["r5"] - methods["hybrid"]["overall"]["r5"], 1),
        "comparison_r5_margin_vs_dense": round(ours_cmp - dense_cmp, 1),
        "targets": TARGETS,
    }
    comparison["meets_targets"] = all(comparison[key] >= TARGETS[key] for key in TARGETS)
    return {
        "dataset": {"data": str(data), "passages": len(corpus), "questions": len(questions)},
        "ingest": {
            "performed": ingest,
            "glue_title": glue_title,
            "seconds": round(ingest_s, 1),
            "facts_added": facts_added,
            "passages_per_s": round(len(corpus) / ingest_s, 2) if ingest_s else None,
        },
        "methods": methods,
        "latency_ms": {
            "p50": round(float(np.percentile(latencies, 50)), 1) if latencies else 0.0,
            "p95": round(float(np.percentile(latencies, 95)), 1) if latencies else 0.0,
            "n": len(latencies),
        },
        "comparison": comparison,
        "notes": {
            "ranking": "graphmem: planner episodes, then evidencing episodes of its top facts",
            "baseline_text": "Title\\ntext",
            "bm25_stemmer": "snowball english (PyStemmer)" if _stemmer() is not None else "none",
        },
    }


def render_text(report: Mapping[str, Any]) -> str:
    """A readable table of the report (the CLI prints it without ``--json``)."""
    ds = report["dataset"]
    lines = [f"multi-hop: {ds['passages']} passages, {ds['questions']} questions", ""]
    categories = sorted({c for m in report["methods"].values() for c in m["per_category"]})
    header = f"{'method':<10} {'R@2':>6} {'R@5':>6} {'R@10':>6} {'all@5':>6}  " + " ".join(
        f"{c[:10] + ' R@5':>15}" for c in categories
    )
    lines += [header, "-" * len(header)]
    for name, summary in report["methods"].items():
        o = summary["overall"]
        cats = " ".join(f"{summary['per_category'].get(c, {}).get('r5', 0.0):>15.1f}" for c in categories)
        lines.append(f"{name:<10} {o['r2']:>6.1f} {o['r5']:>6.1f} {o['r10']:>6.1f} {o['all5']:>6.1f}  {cats}")
    lat, comp = report["latency_ms"], report["comparison"]
    lines += [
        "",
        f"search latency: p50 {lat['p50']} ms, p95 {lat['p95']} ms over {lat['n']} searches",
        f"R@5 vs hybrid {comp['overall_r5_margin_vs_hybrid']:+.1f} (target +5); comparison R@5 vs dense "
        f"{comp['comparison_r5_margin_vs_dense']:+.1f} (target >= 0); "
        f"targets met: {'yes' if comp['meets_targets'] else 'no'}",
    ]
    if report["ingest"]["performed"]:
        ing = report["ingest"]
        lines.append(
            f"ingest: {ing['seconds']} s, {ing['passages_per_s']} passages/s, {ing['facts_added']} facts"
        )
    return "\n".join(lines)
