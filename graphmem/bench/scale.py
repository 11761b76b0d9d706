"""``graphmem bench scale``: search latency of the traversal planner as the memory grows.

A synthetic world (people with homes, employers, relatives, hobbies, ages; places; companies) is
written straight through ``store.write(WriteBatch(...))`` with real embeddings from the engine's
encoder (batched), bypassing extraction so that 100k facts take minutes, not hours. Facts change over
time as they do in real memories: some people moved, and their old home is kept as a superseded fact
with a SUPERSEDES edge. Each episode states one to four facts. The memory is grown in place to each
size (10k, then 100k facts by default) and at each size a fixed mix of questions is searched: one-hop
("Where does X live?"), two-hop ("Where does X's sister work?"), object-side ("Who lives in Y?"),
meet-in-the-middle ("How is X connected to Z?") and as-of queries. We report p50/p95/mean search
latency per size and, as a sanity check that the answers stay right at scale, the share of one- and
two-hop questions whose known answer is among the top 5 facts.

Each size also times a **flat dense top-10** over the same fact embeddings in the same run (encode the
question without the cache, one matrix-vector product, top 10): the floor any search must pay, and the
baseline the targets are stated against (search <= 3x flat). Latencies are reported as wall time and as
CPU time of the process (the machine is shared: CPU time drops the others' load out).

Building is affordable at 100k+ facts because records go through the store's bulk loader
(``KuzuStore.bulk_write``, COPY) and because the encoder only sees distinct texts: people are named
``First Last`` and, once the 2,000 name pairs are used up, ``First Last 2``, ``First Last 3``...; a
text about a later generation reuses the vector of the same text about the first (``reuse`` mode, the
default: "Anna Berg 3 lives in Porava" gets the vector of "Anna Berg lives in Porava"; an episode of
such facts gets the normalised mean of their vectors). Up to 2,000 people (about 16k facts) every
vector is the encoder's own. ``embeddings="real"`` encodes every text (the encoder then bounds the
build at roughly its throughput, reported as ``encode_s``).
"""

from __future__ import annotations

import random
import re
import resource
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from graphmem.embed import Encoder
from graphmem.errors import InvalidInput
from graphmem.model import (
    Entity,
    Episode,
    Evidence,
    Fact,
    FactStatus,
    Mention,
    Session,
    Supersedes,
    WriteBatch,
    entity_id,
    entity_key,
)

__all__ = ["World", "render_text", "run"]

NAMESPACE = "scale"
FIRST = (
    "Anna",
    "Ben",
    "Carla",
    "David",
    "Elena",
    "Felix",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kira",
    "Lars",
    "Mara",
    "Nils",
    "Olga",
    "Paul",
    "Rosa",
    "Sven",
    "Tara",
    "Umar",
    "Vera",
    "Wim",
    "Xenia",
    "Yusuf",
    "Zoe",
    "Amir",
    "Bea",
    "Cem",
    "Dana",
    "Emil",
    "Fatma",
    "Gil",
    "Hana",
    "Ivo",
    "Jana",
    "Karl",
    "Lea",
    "Milo",
    "Nora",
    "Otto",
)
LAST = (
    "Berg",
    "Costa",
    "Dahl",
    "Eriksen",
    "Ferreira",
    "Gruber",
    "Haas",
    "Ilic",
    "Jansen",
    "Kovac",
    "Lund",
    "Moreau",
    "Novak",
    "Olsen",
    "Petrov",
    "Quast",
    "Roth",
    "Silva",
    "Tanaka",
    "Ueda",
    "Vogel",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zimmer",
    "Amato",
    "Brandt",
    "Castro",
    "Dietz",
    "Engel",
    "Fink",
    "Graf",
    "Horn",
    "Iwan",
    "Jung",
    "Keller",
    "Lang",
    "Mayer",
    "Nagel",
    "Ott",
    "Pohl",
    "Rieger",
    "Sauer",
    "Thiel",
    "Unger",
    "Voss",
    "Wolf",
    "Zeller",
    "Abel",
    "Bauer",
)
CITY_STEMS = (
    "Lis",
    "Por",
    "Mad",
    "Ber",
    "Ham",
    "Lyo",
    "Mil",
    "Tur",
    "Oslo",
    "Ber",
    "Gda",
    "Brno",
    "Graz",
    "Linz",
    "Cork",
    "Gent",
    "Bonn",
    "Pisa",
    "Nice",
    "Bari",
)
HOBBIES = (
    "hiking",
    "chess",
    "pottery",
    "painting",
    "cycling",
    "swimming",
    "climbing",
    "baking",
    "gardening",
    "photography",
    "knitting",
    "sailing",
    "running",
    "yoga",
    "fishing",
    "surfing",
    "reading",
    "singing",
    "dancing",
    "skiing",
    "tennis",
    "golf",
    "rowing",
    "archery",
    "birdwatching",
    "calligraphy",
    "origami",
    "woodworking",
    "juggling",
    "kayaking",
)
RELATIONS = ("sister", "brother", "spouse", "friend_of", "colleague")


@dataclass
class World:
    """A deterministic synthetic world; facts are generated in a fixed order so sizes nest."""

    seed: int = 0
    rng: random.Random = field(init=False)
    people: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    home: dict[str, str] = field(default_factory=dict)
    job: dict[str, str] = field(default_factory=dict)
    relatives: dict[tuple[str, str], str] = field(default_factory=dict)
    residents: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.cities = [
            f"{stem}{suffix}"
            for stem in CITY_STEMS
            for suffix in ("ava", "ino", "berg", "mont", "stad", "ona", "heim", "ville")
        ]
        self.companies = [
            f"{a}{b} {kind}"
            for a in ("Nor", "Sol", "Kap", "Vel", "Tri", "Ox", "Lum", "Ari")
            for b in ("com", "tex", "med", "gen", "lab", "net")
            for kind in ("AG", "Labs", "Group")
        ]

    def person(self, index: int) -> str:
        first = FIRST[index % len(FIRST)]
        last = LAST[(index // len(FIRST)) % len(LAST)]
        generation = index // (len(FIRST) * len(LAST))
        return f"{first} {last}" + (f" {generation + 1}" if generation else "")


@dataclass
class _Record:
    subject: str
    predicate: str
    obj: str | None
    value: str | None
    text: str
    valid_from: datetime
    valid_to: datetime | None = None
    status: FactStatus = FactStatus.active
    supersedes: int | None = None  # index of the record this one closes


def _generate(world: World, count: int) -> list[_Record]:
    """``count`` fact records about ever more people (about 8 facts per person)."""
    out: list[_Record] = []
    rng = world.rng
    start = datetime(2015, 1, 1, tzinfo=UTC)
    index = 0
    while len(out) < count:
        name = world.person(index)
        world.people.append(name)
        when = start + timedelta(days=rng.randrange(3000))
        city = rng.choice(world.cities)
        if rng.random() < 0.3:  # moved: an old home, superseded, then the current one
            old = rng.choice([c for c in world.cities if c != city])
            out.append(
                _Record(
                    name,
                    "lives_in",
                    old,
                    None,
                    f"{name} lives in {old}",
                    when,
                    when + timedelta(days=400),
                    FactStatus.superseded,
                )
            )
            out.append(
                _Record(
                    name,
                    "lives_in",
                    city,
                    None,
                    f"{name} lives in {city}",
                    when + timedelta(days=400),
                    supersedes=len(out) - 1,
                )
            )
        else:
            out.append(_Record(name, "lives_in", city, None, f"{name} lives in {city}", when))
        world.home[name] = city
        world.residents.setdefault(city, []).append(name)
        company = rng.choice(world.companies)
        world.job[name] = company
        out.append(_Record(name, "works_at", company, None, f"{name} works at {company}", when))
        age = str(rng.randrange(18, 90))
        out.append(_Record(name, "age", None, age, f"{name} is {age} years old", when))
        for hobby in rng.sample(HOBBIES, 2):
            out.append(_Record(name, "likes", hobby, None, f"{name} likes {hobby}", when))
        if index > 0:
            for relation in rng.sample(RELATIONS, 2):
                other = world.people[rng.randrange(len(world.people) - 1)]
                world.relatives[(name, relation)] = other
                text = {
                    "friend_of": f"{name} is a friend of {other}",
                    "spouse": f"{name} is married to {other}",
                }.get(relation, f"{other} is {name}'s {relation}")
                out.append(_Record(name, relation, other, None, text, when))
        index += 1
    return out[:count]


def _entity_type(name: str, world: World) -> str:
    if name in world.home:
        return "person"
    if name in world.residents or name in world.cities:
        return "place"
    if name in world.companies:
        return "organization"
    return "concept"


def _write(
    store: Any,
    encoder: Encoder,
    world: World,
    records: Sequence[_Record],
    offset: int,
    known: set[str],
    batch_facts: int,
    *,
    reuse: bool = True,
) -> None:
    """Write records[offset:] in batches: new entities, facts, episodes (1-4 facts each), evidence."""
    rng = random.Random(world.seed + offset)
    now = datetime(2024, 6, 1, tzinfo=UTC)
    for start in range(offset, len(records), batch_facts):
        chunk = list(enumerate(records[start : start + batch_facts], start=start))
        names = []
        for _, rec in chunk:
            for name in (rec.subject, rec.obj):
                if name and name not in known:
                    known.add(name)
                    names.append(name)
        groups: list[list[tuple[int, _Record]]] = []
        i = 0
        while i < len(chunk):
            size = rng.randint(1, 4)
            groups.append(chunk[i : i + size])
            i += size
        episode_texts = [" ".join(rec.text + "." for _, rec in group) for group in groups]
        spoken = [f'{g[0][1].subject} said, "{t}"' for g, t in zip(groups, episode_texts, strict=True)]
        vectors = _embed(encoder, world, names, [rec for _, rec in chunk], groups, spoken, reuse=reuse)
        vec = iter(vectors.tolist())
        entities = [
            Entity(
                id=entity_id(NAMESPACE, entity_key(n)),
                namespace=NAMESPACE,
                name=n,
                key=entity_key(n),
                type=_entity_type(n, world),
                first_seen=now,
                last_seen=now,
                mention_count=1,
                embedding=next(vec),
            )
            for n in names
        ]
        facts = [
            Fact(
                id=f"f{idx}",
                namespace=NAMESPACE,
                subject_id=entity_id(NAMESPACE, entity_key(rec.subject)),
                predicate=rec.predicate,
                object_id=entity_id(NAMESPACE, entity_key(rec.obj)) if rec.obj else None,
                object_value=rec.value,
                text=rec.text,
                status=rec.status,
                valid_from=rec.valid_from,
                valid_to=rec.valid_to,
                recorded_at=rec.valid_from,
                embedding=next(vec),
            )
            for idx, rec in chunk
        ]
        episodes, evidence, mentions = [], [], []
        for g_index, (group, text) in enumerate(zip(groups, episode_texts, strict=True)):
            ep_id = f"e{group[0][0]}"
            episodes.append(
                Episode(
                    id=ep_id,
                    namespace=NAMESPACE,
                    session_id=f"s{start}",
                    seq=g_index,
                    speaker=group[0][1].subject,
                    content=text,
                    occurred_at=group[0][1].valid_from,
                    embedding=next(vec),
                )
            )
            evidence += [Evidence(fact_id=f"f{idx}", episode_id=ep_id) for idx, _ in group]
            subjects = {entity_id(NAMESPACE, entity_key(rec.subject)) for _, rec in group}
            mentions += [Mention(episode_id=ep_id, entity_id=e) for e in sorted(subjects)]
        supersedes = [
            Supersedes(
                new_id=f"f{idx}",
                old_id=f"f{rec.supersedes}",
                reason="moved",
                rule="functional_newer",
                at=rec.valid_from,
            )
            for idx, rec in chunk
            if rec.supersedes is not None
        ]
        sessions = [Session(id=f"s{start}", namespace=NAMESPACE, started_at=now)]
        write = getattr(store, "bulk_write", store.write)
        write(
            WriteBatch(
                namespace=NAMESPACE,
                sessions=sessions,
                entities=entities,
                facts=facts,
                episodes=episodes,
                evidence=evidence,
                mentions=mentions,
                supersedes=supersedes,
            )
        )


_GENERATION = re.compile(r" \d+$")


def _embed(
    encoder: Encoder,
    world: World,
    names: Sequence[str],
    records: Sequence[_Record],
    groups: Sequence[Sequence[tuple[int, _Record]]],
    spoken: Sequence[str],
    *,
    reuse: bool,
) -> np.ndarray:
    """Vectors for the new names, the facts and the episodes, in that order (see the module doc)."""
    if not reuse:
        return encoder.encode([*names, *(r.text for r in records), *spoken])

    def base(text: str, *who: str | None) -> str:
        for name in who:
            if name and name in world.home and _GENERATION.search(name):
                text = text.replace(name, _GENERATION.sub("", name))
        return text

    name_texts = [base(n, n) for n in names]
    fact_texts = [base(r.text, r.subject, r.obj) for r in records]
    first = [all(base(r.text, r.subject, r.obj) == r.text for _, r in g) for g in groups]
    direct = [t for t, f in zip(spoken, first, strict=True) if f]
    encoded = encoder.encode([*name_texts, *fact_texts, *direct])
    n_names, n_facts = len(name_texts), len(fact_texts)
    out = np.empty((n_names + n_facts + len(spoken), encoded.shape[1]), dtype=np.float32)
    out[: n_names + n_facts] = encoded[: n_names + n_facts]
    direct_rows = iter(encoded[n_names + n_facts :])
    position = {id(r): i for i, r in enumerate(records)}
    for g_index, (group, is_first) in enumerate(zip(groups, first, strict=True)):
        if is_first:
            out[n_names + n_facts + g_index] = next(direct_rows)
        else:
            mean = encoded[[n_names + position[id(r)] for _, r in group]].mean(axis=0)
            out[n_names + n_facts + g_index] = mean / (np.linalg.norm(mean) or 1.0)
    return out


def _questions(
    world: World, people: int, n: int, seed: int
) -> list[tuple[str, str, str | None, datetime | None]]:
    """(kind, question, expected answer or None, as_of) drawn from the first ``people`` people."""
    rng = random.Random(seed)
    out: list[tuple[str, str, str | None, datetime | None]] = []
    kinds = ("one_hop", "two_hop", "object_side", "meet", "as_of")
    for i in range(n):
        kind = kinds[i % len(kinds)]
        name = world.people[rng.randrange(people)]
        if kind == "one_hop":
            out.append((kind, f"Where does {name} live?", world.home[name], None))
        elif kind == "two_hop":
            relation = next((r for r in ("sister", "brother") if (name, r) in world.relatives), None)
            if relation is None:
                out.append(("one_hop", f"Where does {name} work?", world.job[name], None))
                continue
            other = world.relatives[(name, relation)]
            out.append((kind, f"Where does {name}'s {relation} work?", world.job.get(other), None))
        elif kind == "object_side":
            out.append((kind, f"Who lives in {world.home[name]}?", None, None))
        elif kind == "meet":
            other = world.people[rng.randrange(people)]
            out.append((kind, f"How is {name} connected to {other}?", None, None))
        else:
            out.append((kind, f"Where did {name} live?", None, datetime(2019, 1, 1, tzinfo=UTC)))
    return out


def _percentiles(values: Sequence[float], prefix: str) -> dict[str, float]:
    return {
        f"{prefix}p50_ms": round(float(np.percentile(values, 50)), 2),
        f"{prefix}p95_ms": round(float(np.percentile(values, 95)), 2),
    }


def _search_all(
    retriever: Any, questions: Sequence[tuple[str, str, str | None, datetime | None]]
) -> dict[str, Any]:
    latencies: list[float] = []
    cpu: list[float] = []
    per_kind: dict[str, list[float]] = {}
    correct = 0
    checked = 0
    for kind, question, expected, as_of in questions:
        started, started_cpu = time.perf_counter(), time.process_time()
        result = retriever.search(question, namespace=NAMESPACE, k=10, as_of=as_of)
        ms = (time.perf_counter() - started) * 1000
        cpu.append((time.process_time() - started_cpu) * 1000)
        latencies.append(ms)
        per_kind.setdefault(kind, []).append(ms)
        if expected is not None:
            checked += 1
            correct += any(f.object == expected for f in result.facts[:5])
    return {
        "searches": len(latencies),
        "p50_ms": round(float(np.percentile(latencies, 50)), 1),
        "p95_ms": round(float(np.percentile(latencies, 95)), 1),
        "mean_ms": round(statistics.fmean(latencies), 1),
        **_percentiles(cpu, "cpu_"),
        "p95_ms_by_kind": {k: round(float(np.percentile(v, 95)), 1) for k, v in per_kind.items()},
        "answer_in_top5": round(correct / checked, 3) if checked else None,
        "answers_checked": checked,
    }


def _flat_dense(
    encoder: Encoder, matrix: np.ndarray, questions: Sequence[tuple[str, str, str | None, datetime | None]]
) -> dict[str, float]:
    """Flat dense top-10 over the fact embeddings: encode (uncached), one product, top 10."""
    wall: list[float] = []
    cpu: list[float] = []
    for _, question, _, _ in questions:
        started, started_cpu = time.perf_counter(), time.process_time()
        query = encoder.encode([question], cache=False)[0]
        scores = matrix @ query
        top = np.argpartition(-scores, 10)[:10] if scores.shape[0] > 10 else np.arange(scores.shape[0])
        _ = top[np.argsort(-scores[top])]
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {**_percentiles(wall, ""), **_percentiles(cpu, "cpu_")}


def _vector_recall(
    store: Any,
    encoder: Encoder,
    ids: Sequence[str],
    matrix: np.ndarray,
    questions: Sequence[tuple[str, str, str | None, datetime | None]],
) -> dict[str, float]:
    """Share of the exact top-k facts the store's vector search returns (k = 10 and 400, the planner's
    similarity look-up), against the flat search over the same embeddings."""
    out: dict[str, float] = {}
    for k in (10, 400):
        k = min(k, len(ids))
        found = 0
        for _, question, _, _ in questions:
            query = encoder.encode([question])[0]
            scores = matrix @ query
            exact = {ids[i] for i in np.argpartition(-scores, k - 1)[:k]}
            found += len(exact & {h.id for h in store.vector_search("Fact", NAMESPACE, query.tolist(), k)})
        out[f"recall_at_{k}"] = round(found / (k * len(questions)), 4)
    return out


def _rss_mb() -> float:
    """Peak resident set size of this process (MB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run(
    *,
    sizes: Sequence[int] = (10_000, 100_000),
    queries: int = 200,
    seed: int = 0,
    batch_facts: int = 2000,
    path: Path | None = None,
    encoder: Encoder | None = None,
    embeddings: str = "reuse",
    threads: int = 1,
    progress: bool = False,
) -> dict[str, Any]:
    """Grow one synthetic memory to each size and measure search latency there.

    Parameters
    ----------
    sizes
        Fact counts, ascending; the memory grows in place from one to the next.
    queries
        Searches per size (after a few warm-up searches that load the derived indexes).
    path
        Where to keep the store (default: a temporary directory, deleted afterwards).
    embeddings
        ``reuse`` (later name generations reuse first-generation vectors) or ``real`` (encode all).
    threads
        Encoder threads (1: on a loaded machine more threads spin and waste CPU).
    """
    from graphmem.extract.nlp import load_nlp
    from graphmem.retrieve.search import Retriever
    from graphmem.store.kuzu import KuzuStore

    ordered = sorted(int(s) for s in sizes)
    if not ordered or ordered[0] < 10:
        raise InvalidInput("sizes must be fact counts of at least 10")
    if embeddings not in ("reuse", "real"):
        raise InvalidInput(f"embeddings must be reuse or real, got {embeddings!r}")
    encoder = encoder or Encoder(threads=threads)
    world = World(seed=seed)
    records = _generate(world, ordered[-1])
    with tempfile.TemporaryDirectory(prefix="graphmem-scale-") as tmp:
        store = KuzuStore(Path(path or tmp) / "store")
        store.open(dimension=encoder.dimension)
        retriever = Retriever(store, encoder, load_nlp())
        report: dict[str, Any] = {
            "sizes": {},
            "namespace": NAMESPACE,
            "seed": seed,
            "embeddings": embeddings,
            "encoder_threads": encoder.threads,
        }
        written = 0
        known: set[str] = set()
        try:
            for size in ordered:
                started, encoded_before = time.perf_counter(), encoder.encoded
                _write(
                    store,
                    encoder,
                    world,
                    records[:size],
                    written,
                    known,
                    batch_facts,
                    reuse=embeddings == "reuse",
                )
                build_s = time.perf_counter() - started
                new_facts = size - written
                written = size
                people = len({r.subject for r in records[:size]})
                questions = _questions(world, people, queries, seed + size)
                load_started = time.perf_counter()
                for _, warm, _, as_of in questions[:3]:
                    retriever.search(warm, namespace=NAMESPACE, k=10, as_of=as_of)
                if store.vectors is not None:  # HNSW graphs build in the background: measure with them
                    store.vectors.wait_ready()
                load_s = time.perf_counter() - load_started
                stats = _search_all(retriever, questions)
                # the bench reads the stored embeddings itself so the flat baseline stays exact
                # whatever index serves the store's own vector search
                stored = store._load_vectors("Fact", NAMESPACE)
                fact_ids = [i for i, _ in stored]
                matrix = np.asarray([v for _, v in stored], dtype=np.float32)
                del stored
                matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
                flat = _flat_dense(encoder, matrix, questions)
                stats["fact_vector_recall"] = _vector_recall(store, encoder, fact_ids, matrix, questions)
                del matrix
                counts = store.counts(NAMESPACE)
                stats.update(
                    {
                        "facts": counts.get("facts", 0),
                        "entities": counts.get("entities", 0),
                        "episodes": counts.get("episodes", 0),
                        "build_s": round(build_s, 1),
                        "build_facts_per_s": round(new_facts / build_s, 1) if build_s else None,
                        "texts_encoded": encoder.encoded - encoded_before,
                        "first_searches_s": round(load_s, 2),
                        "flat_dense": flat,
                        "cpu_p50_vs_flat": round(stats["cpu_p50_ms"] / max(flat["cpu_p50_ms"], 1e-6), 2),
                        "rss_peak_mb": _rss_mb(),
                    }
                )
                report["sizes"][str(size)] = stats
                if progress:
                    print(
                        f"[scale] {size} facts: p50 {stats['p50_ms']} ms, p95 {stats['p95_ms']} ms, "
                        f"cpu p50 {stats['cpu_p50_ms']} ms (flat {flat['cpu_p50_ms']} ms), "
                        f"build {build_s:.0f} s",
                        flush=True,
                    )
        finally:
            store.close()
    return report


def render_text(report: dict[str, Any]) -> str:
    lines = [
        f"{'facts':>8} {'entities':>9} {'episodes':>9} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8} "
        f"{'flat cpu':>8} {'top5':>6} {'build s':>8} {'rss MB':>8}"
    ]
    for s in report["sizes"].values():
        top5 = "-" if s["answer_in_top5"] is None else f"{s['answer_in_top5']:.2f}"
        lines.append(
            f"{s['facts']:>8} {s['entities']:>9} {s['episodes']:>9} {s['p50_ms']:>8} {s['p95_ms']:>8} "
            f"{s['cpu_p50_ms']:>8} {s['flat_dense']['cpu_p50_ms']:>8} {top5:>6} {s['build_s']:>8} "
            f"{s['rss_peak_mb']:>8}"
        )
    return "\n".join(lines)
