"""``graphmem bench store``: latency of the store operations on a synthetic memory graph.

Performance is measured here, by a command, and never asserted by unit tests (DESIGN section 8). The
graph is built through the public ``GraphStore.write`` path in batches shaped like real ingestion
(episodes, the entities they mention, facts with evidence, a few supersessions), with Zipf-like entity
popularity so that some entities are hubs and most are rare, and random unit embeddings (no encoder:
this measures the store, not the model). Then it times the reads the retrieval planner makes:
1- and 2-hop ``neighborhood``, vector and full-text top-10 (the first query of each loads the derived
index; that load is reported on its own), ``slot_facts`` and ``get_facts``.

Run ``python -m graphmem.bench.store --facts 100000 --json``.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from graphmem.errors import InvalidInput
from graphmem.model import (
    Entity,
    Episode,
    Evidence,
    Fact,
    FactStatus,
    FactUpdate,
    Mention,
    NextLink,
    Session,
    Supersedes,
    WriteBatch,
)
from graphmem.store.base import NodeKind
from graphmem.store.kuzu import KuzuStore

__all__ = ["main", "render_text", "run"]

NAMESPACE = "bench"
FACTS_PER_EPISODE = 10
LITERAL_SHARE = 0.2
SUPERSEDE_SHARE = 0.02
ZIPF_EXPONENT = 1.0
PREDICATES = (
    "lives_in",
    "works_at",
    "knows",
    "likes",
    "visited",
    "owns",
    "sister",
    "brother",
    "friend_of",
    "member_of",
    "studied_at",
    "born_in",
    "manages",
    "reports_to",
    "married_to",
    "plays",
    "reads",
    "wrote",
    "uses",
    "prefers",
    "located_in",
    "part_of",
    "founded",
    "moved_to",
    "teaches",
    "attends",
    "supports",
    "sells",
    "builds",
    "drives",
)
LITERALS = ("red", "blue", "green", "vegan", "tall", "early", "retired", "34", "41", "1999", "2012", "remote")
_SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ne",
    "ta",
    "ri",
    "so",
    "vu",
    "pe",
    "da",
    "xi",
    "zo",
    "ba",
    "ru",
    "fe",
    "gi",
    "ho",
    "ju",
    "le",
    "no",
)


def _name(i: int) -> str:
    """A unique pronounceable name per integer (four base-20 syllables), so BM25 sees real words."""
    digits = []
    for _ in range(4):
        i, rem = divmod(i, len(_SYLLABLES))
        digits.append(_SYLLABLES[rem])
    return "".join(digits).capitalize()


def _unit_rows(rng: np.random.Generator, n: int, dimension: int) -> np.ndarray:
    rows = rng.standard_normal((n, dimension)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows


def _stats(samples: Sequence[float]) -> dict[str, float]:
    """p50 / p95 / mean in milliseconds (samples are seconds)."""
    arr = np.asarray(samples, dtype=np.float64) * 1000.0
    return {
        "p50_ms": round(float(np.percentile(arr, 50)), 3),
        "p95_ms": round(float(np.percentile(arr, 95)), 3),
        "mean_ms": round(float(arr.mean()), 3),
        "n": len(samples),
    }


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = call()
    return time.perf_counter() - start, out


@dataclass
class _Builder:
    """Generates the synthetic graph batch by batch and remembers what the queries will need."""

    facts: int
    dimension: int
    rng: np.random.Generator
    n_entities: int = 0
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    created: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    active: list[str] = field(default_factory=list)
    slots: list[tuple[str, str]] = field(default_factory=list)
    fact_ids: list[str] = field(default_factory=list)
    superseded: int = 0
    clock: datetime = datetime(2020, 1, 1, tzinfo=UTC)

    def __post_init__(self) -> None:
        self.n_entities = max(50, self.facts // 5)
        ranks = np.arange(1, self.n_entities + 1, dtype=np.float64)
        weights = 1.0 / ranks**ZIPF_EXPONENT
        self.weights = weights / weights.sum()
        self.created = np.zeros(self.n_entities, dtype=bool)

    @staticmethod
    def entity_id(i: int) -> str:
        return f"ent{i}"

    def _entity(self, i: int, when: datetime, embedding: list[float] | None) -> Entity:
        name = _name(i)
        return Entity(
            id=self.entity_id(i),
            namespace=NAMESPACE,
            name=name,
            key=name.lower(),
            type="concept",
            mention_count=1,
            first_seen=when,
            last_seen=when,
            embedding=embedding,
        )

    def batch(self, number: int, n_facts: int) -> WriteBatch:
        rng = self.rng
        n_episodes = max(1, -(-n_facts // FACTS_PER_EPISODE))
        subjects = rng.choice(self.n_entities, size=n_facts, p=self.weights)
        objects = rng.choice(self.n_entities, size=n_facts, p=self.weights)
        objects = np.where(objects == subjects, (objects + 1) % self.n_entities, objects)
        literal = rng.random(n_facts) < LITERAL_SHARE
        predicates = rng.choice(len(PREDICATES), size=n_facts, p=_zipf(len(PREDICATES)))
        fact_vectors = _unit_rows(rng, n_facts, self.dimension)
        episode_vectors = _unit_rows(rng, n_episodes, self.dimension)

        session_id = f"s{number}"
        episodes: list[Episode] = []
        facts: list[Fact] = []
        evidence: list[Evidence] = []
        mentions: set[tuple[str, str]] = set()
        touched: dict[int, datetime] = {}
        texts: list[list[str]] = [[] for _ in range(n_episodes)]
        for j in range(n_facts):
            self.clock += timedelta(seconds=7)
            ep = j // FACTS_PER_EPISODE
            s, o, p = int(subjects[j]), int(objects[j]), PREDICATES[int(predicates[j])]
            fact_id = f"f{number}_{j}"
            episode_id = f"e{number}_{ep}"
            obj_name = LITERALS[o % len(LITERALS)] if literal[j] else _name(o)
            text = f"{_name(s)} {p.replace('_', ' ')} {obj_name}"
            texts[ep].append(text)
            facts.append(
                Fact(
                    id=fact_id,
                    namespace=NAMESPACE,
                    subject_id=self.entity_id(s),
                    predicate=p,
                    object_id=None if literal[j] else self.entity_id(o),
                    object_value=obj_name if literal[j] else None,
                    text=text,
                    valid_from=self.clock,
                    recorded_at=self.clock,
                    embedding=fact_vectors[j].tolist(),
                )
            )
            evidence.append(Evidence(fact_id=fact_id, episode_id=episode_id))
            for node in (s,) if literal[j] else (s, o):
                touched[node] = self.clock
                mentions.add((episode_id, self.entity_id(node)))
            self.slots.append((self.entity_id(s), p))
            self.fact_ids.append(fact_id)
        for ep in range(n_episodes):
            episodes.append(
                Episode(
                    id=f"e{number}_{ep}",
                    namespace=NAMESPACE,
                    session_id=session_id,
                    seq=ep,
                    speaker="user",
                    content=". ".join(texts[ep]) + ".",
                    occurred_at=self.clock,
                    embedding=episode_vectors[ep].tolist(),
                )
            )
        new = [i for i in touched if not self.created[i]]
        new_vectors = _unit_rows(rng, len(new), self.dimension) if new else np.zeros((0, self.dimension))
        vector_of = {i: new_vectors[k].tolist() for k, i in enumerate(new)}
        entities = [self._entity(i, when, vector_of.get(i)) for i, when in touched.items()]
        self.created[new] = True

        updates: list[FactUpdate] = []
        supersedes: list[Supersedes] = []
        n_close = min(len(self.active), int(n_facts * SUPERSEDE_SHARE))
        for k in rng.choice(len(self.active), size=n_close, replace=False) if n_close else []:
            old = self.active[int(k)]
            updates.append(
                FactUpdate(
                    id=old, status=FactStatus.superseded, valid_to=self.clock, invalidated_at=self.clock
                )
            )
            supersedes.append(
                Supersedes(
                    new_id=facts[len(supersedes)].id,
                    old_id=old,
                    reason="bench",
                    rule="functional",
                    at=self.clock,
                )
            )
        closed = {u.id for u in updates}
        self.superseded += len(closed)
        self.active = [f for f in self.active if f not in closed]
        self.active.extend(f.id for f in facts if f.object_id is not None)
        return WriteBatch(
            namespace=NAMESPACE,
            sessions=[Session(id=session_id, namespace=NAMESPACE, started_at=episodes[0].occurred_at)],
            episodes=episodes,
            entities=entities,
            facts=facts,
            fact_updates=updates,
            supersedes=supersedes,
            evidence=evidence,
            mentions=[Mention(episode_id=e, entity_id=n) for e, n in sorted(mentions)],
            next_links=[NextLink(prev_id=a.id, next_id=b.id) for a, b in itertools.pairwise(episodes)],
        )


def _zipf(n: int) -> npt.NDArray[np.float64]:
    weights = 1.0 / np.arange(1, n + 1, dtype=np.float64)
    probabilities: npt.NDArray[np.float64] = weights / weights.sum()
    return probabilities


@contextmanager
def _store_dir(path: str | Path | None) -> Iterator[Path]:
    if path is None:
        with tempfile.TemporaryDirectory(prefix="graphmem-bench-") as tmp:
            yield Path(tmp) / "store"
        return
    target = Path(path)
    if target.exists() and any(target.iterdir()):
        raise InvalidInput(f"benchmark path {target} is not empty; give a new or empty directory")
    yield target


def _dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _trend(samples: Sequence[float]) -> dict[str, float]:
    """Mean batch time of the first and last tenth of the run: growth means writes slow with size."""
    tenth = max(1, len(samples) // 10)
    return {
        "first_tenth_mean_ms": round(float(np.mean(samples[:tenth])) * 1000, 1),
        "last_tenth_mean_ms": round(float(np.mean(samples[-tenth:])) * 1000, 1),
    }


def run(
    *,
    facts: int = 100_000,
    path: str | Path | None = None,
    dimension: int = 384,
    seed: int = 0,
    batch_size: int = 1_000,
    queries: int = 200,
    buffer_pool_mb: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Build a ``facts``-fact synthetic graph in a fresh Kuzu store and time the store operations.

    ``batch_size`` facts (with their episodes, entities and evidence) go in one ``write``.
    ``path`` keeps the store (a new or empty directory); by default a temporary one is removed
    afterwards. ``buffer_pool_mb`` overrides the store's default buffer pool. ``progress(written,
    total)`` is called after each batch. Returns plain JSON data: write throughput, then p50/p95
    latencies in milliseconds of each read.
    """
    if min(facts, batch_size, queries, dimension) < 1:
        raise InvalidInput("facts, batch_size, queries and dimension must be positive")
    rng = np.random.default_rng(seed)
    builder = _Builder(facts=facts, dimension=dimension, rng=rng)
    pool = {} if buffer_pool_mb is None else {"buffer_pool_mb": buffer_pool_mb}
    with _store_dir(path) as directory:
        store = KuzuStore(directory, **pool)
        store.open(dimension=dimension)
        batch_seconds: list[float] = []
        build_seconds = 0.0
        written = 0
        number = 0
        try:
            while written < facts:
                size = min(batch_size, facts - written)
                start = time.perf_counter()
                batch = builder.batch(number, size)
                build_seconds += time.perf_counter() - start
                elapsed, _ = _timed(functools.partial(store.write, batch))
                batch_seconds.append(elapsed)
                written += size
                number += 1
                if progress is not None:
                    progress(written, facts)
        finally:
            store.close()
        write_seconds = sum(batch_seconds)

        reopened = KuzuStore(directory, **pool)
        open_seconds, _ = _timed(lambda: reopened.open(dimension=dimension))
        try:
            result = _measure_reads(reopened, builder, rng, dimension, queries)
            counts = reopened.counts(NAMESPACE)
        finally:
            reopened.close()
        disk = _dir_bytes(directory)

    return {
        "backend": "kuzu",
        "facts": facts,
        "dimension": dimension,
        "seed": seed,
        "batch_size": batch_size,
        "buffer_pool_mb": store.buffer_pool_mb,
        "graph": {
            "entities": counts.get("entities", 0),
            "episodes": counts.get("episodes", 0),
            "facts": counts.get("facts", 0),
            "relates": counts.get("RELATES", 0),
            "superseded": builder.superseded,
            "store_mb": round(disk / 1e6, 1),
        },
        "write": {
            "batches": len(batch_seconds),
            "seconds": round(write_seconds, 3),
            "facts_per_s": round(facts / write_seconds, 1),
            "batches_per_s": round(len(batch_seconds) / write_seconds, 3),
            "batch": _stats(batch_seconds),
            **_trend(batch_seconds),
            "batch_build_seconds": round(build_seconds, 3),
        },
        "open_ms": round(open_seconds * 1000, 3),
        **result,
    }


def render_text(report: Mapping[str, Any]) -> str:
    """A short human summary of a ``run`` report (the CLI prints it without ``--json``)."""
    write = report["write"]
    lines = [
        f"graph: {report['graph']}",
        f"write: {write['facts_per_s']:,.0f} facts/s, {write['batches_per_s']:.2f} batches/s of "
        f"{report['batch_size']} facts (batch p50 {write['batch']['p50_ms']:.0f} ms, p95 "
        f"{write['batch']['p95_ms']:.0f} ms; first tenth {write['first_tenth_mean_ms']:.0f} ms, last tenth "
        f"{write['last_tenth_mean_ms']:.0f} ms)",
        f"open: {report['open_ms']:.0f} ms",
    ]
    for key, value in report.items():
        if isinstance(value, Mapping) and "p50_ms" in value:
            load = (
                f", first query (index load) {value['index_load_ms']:.0f} ms"
                if "index_load_ms" in value
                else ""
            )
            lines.append(f"{key}: p50 {value['p50_ms']:.2f} ms, p95 {value['p95_ms']:.2f} ms{load}")
    return "\n".join(lines)


def _measure_reads(
    store: KuzuStore, builder: _Builder, rng: np.random.Generator, dimension: int, queries: int
) -> dict[str, Any]:
    created = np.flatnonzero(builder.created)
    uniform = [builder.entity_id(int(i)) for i in rng.choice(created, size=queries)]
    weights = builder.weights[created] / builder.weights[created].sum()
    popular = [builder.entity_id(int(i)) for i in rng.choice(created, size=queries, p=weights)]
    out: dict[str, Any] = {}

    for label, starts, depth in (
        ("neighborhood_1hop", uniform, 1),
        ("neighborhood_2hop", uniform, 2),
        ("neighborhood_2hop_popular", popular, 2),
    ):
        samples, sizes = [], []
        for entity in starts:
            elapsed, sub = _timed(
                functools.partial(store.neighborhood, NAMESPACE, [entity], depth=depth, degree_cap=50)
            )
            samples.append(elapsed)
            sizes.append((len(sub.entities), len(sub.facts)))
        out[label] = {
            **_stats(samples),
            "mean_entities": round(float(np.mean([s[0] for s in sizes])), 1),
            "mean_facts": round(float(np.mean([s[1] for s in sizes])), 1),
        }

    for kind in ("Fact", "Entity", "Episode"):
        vectors = _unit_rows(rng, queries + 1, dimension)
        load, _ = _timed(functools.partial(store.vector_search, kind, NAMESPACE, vectors[0].tolist(), 10))
        samples = [
            _timed(functools.partial(store.vector_search, kind, NAMESPACE, v.tolist(), 10))[0]
            for v in vectors[1:]
        ]
        out[f"vector_top10_{kind.lower()}"] = {"index_load_ms": round(load * 1000, 3), **_stats(samples)}

    words = [_name(int(i)).lower() for i in rng.choice(created, size=2 * (queries + 1))]
    preds = [PREDICATES[int(i)].replace("_", " ") for i in rng.integers(0, len(PREDICATES), size=queries + 1)]
    texts = [f"{words[2 * i]} {preds[i]} {words[2 * i + 1]}" for i in range(queries + 1)]
    text_kinds: tuple[NodeKind, ...] = ("Fact", "Entity", "Episode")
    for kind in text_kinds:
        load, _ = _timed(functools.partial(store.text_search, kind, NAMESPACE, texts[0], 10))
        samples = [_timed(functools.partial(store.text_search, kind, NAMESPACE, t, 10))[0] for t in texts[1:]]
        out[f"text_top10_{kind.lower()}"] = {"index_load_ms": round(load * 1000, 3), **_stats(samples)}

    slots = [builder.slots[int(i)] for i in rng.integers(0, len(builder.slots), size=queries)]
    out["slot_facts"] = _stats(
        [
            _timed(functools.partial(store.slot_facts, NAMESPACE, s, p, [FactStatus.active]))[0]
            for s, p in slots
        ]
    )
    id_sets = [
        [builder.fact_ids[int(i)] for i in rng.integers(0, len(builder.fact_ids), size=20)]
        for _ in range(queries)
    ]
    out["get_facts_20"] = _stats(
        [_timed(functools.partial(store.get_facts, NAMESPACE, ids))[0] for ids in id_sets]
    )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m graphmem.bench.store [--facts N] [--path DIR] [--dimension D] [--seed S] [--json]``."""
    parser = argparse.ArgumentParser(prog="graphmem bench store", description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--path", default=None, help="keep the store here (a new or empty directory)")
    parser.add_argument("--dimension", type=int, default=384)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=1_000, help="facts per write batch")
    parser.add_argument("--queries", type=int, default=200, help="timed calls per read operation")
    parser.add_argument(
        "--buffer-pool-mb", type=int, default=None, help="Kuzu buffer pool (default: store's)"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)

    def progress(done: int, total: int) -> None:
        end = "" if done < total else "\n"
        print(f"\rwritten {done:,}/{total:,} facts", end=end, file=sys.stderr, flush=True)

    result = run(
        facts=args.facts,
        path=args.path,
        dimension=args.dimension,
        seed=args.seed,
        batch_size=args.batch_size,
        queries=args.queries,
        buffer_pool_mb=args.buffer_pool_mb,
        progress=progress,
    )
    print(json.dumps(result, indent=2) if args.json else render_text(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
