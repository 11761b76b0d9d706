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
"""

from __future__ import annotations

import random
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
        texts = (
            names
            + [rec.text for _, rec in chunk]
            + [f'{g[0][1].subject} said, "{t}"' for g, t in zip(groups, episode_texts, strict=True)]
        )
        vectors = encoder.encode(texts)
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
                    session_id=f"s{start // batch_facts}",
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
        sessions = [Session(id=f"s{start // batch_facts}", namespace=NAMESPACE, started_at=now)]
        store.write(
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


def _search_all(
    retriever: Any, questions: Sequence[tuple[str, str, str | None, datetime | None]]
) -> dict[str, Any]:
    latencies: list[float] = []
    per_kind: dict[str, list[float]] = {}
    correct = 0
    checked = 0
    for kind, question, expected, as_of in questions:
        started = time.perf_counter()
        result = retriever.search(question, namespace=NAMESPACE, k=10, as_of=as_of)
        ms = (time.perf_counter() - started) * 1000
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
        "p95_ms_by_kind": {k: round(float(np.percentile(v, 95)), 1) for k, v in per_kind.items()},
        "answer_in_top5": round(correct / checked, 3) if checked else None,
        "answers_checked": checked,
    }


def run(
    *,
    sizes: Sequence[int] = (10_000, 100_000),
    queries: int = 200,
    seed: int = 0,
    batch_facts: int = 2000,
    path: Path | None = None,
    encoder: Encoder | None = None,
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
    """
    from graphmem.extract.nlp import load_nlp
    from graphmem.retrieve.search import Retriever
    from graphmem.store.kuzu import KuzuStore

    ordered = sorted(int(s) for s in sizes)
    if not ordered or ordered[0] < 10:
        raise InvalidInput("sizes must be fact counts of at least 10")
    encoder = encoder or Encoder(threads=2)
    world = World(seed=seed)
    records = _generate(world, ordered[-1])
    with tempfile.TemporaryDirectory(prefix="graphmem-scale-") as tmp:
        store = KuzuStore(Path(path or tmp) / "store")
        store.open(dimension=encoder.dimension)
        retriever = Retriever(store, encoder, load_nlp())
        report: dict[str, Any] = {"sizes": {}, "namespace": NAMESPACE, "seed": seed}
        written = 0
        known: set[str] = set()
        try:
            for size in ordered:
                started = time.perf_counter()
                _write(store, encoder, world, records[:size], written, known, batch_facts)
                build_s = time.perf_counter() - started
                written = size
                people = len({r.subject for r in records[:size]})
                questions = _questions(world, people, queries, seed + size)
                for _, warm, _, as_of in questions[:3]:
                    retriever.search(warm, namespace=NAMESPACE, k=10, as_of=as_of)
                stats = _search_all(retriever, questions)
                counts = store.counts(NAMESPACE)
                stats.update(
                    {
                        "facts": counts.get("facts", 0),
                        "entities": counts.get("entities", 0),
                        "episodes": counts.get("episodes", 0),
                        "build_s": round(build_s, 1),
                    }
                )
                report["sizes"][str(size)] = stats
                if progress:
                    print(
                        f"[scale] {size} facts: p50 {stats['p50_ms']} ms, p95 {stats['p95_ms']} ms",
                        flush=True,
                    )
        finally:
            store.close()
    return report


def render_text(report: dict[str, Any]) -> str:
    lines = [
        f"{'facts':>8} {'entities':>9} {'episodes':>9} {'p50 ms':>8} {'p95 ms':>8} {'top5':>6} {'build s':>8}"
    ]
    for s in report["sizes"].values():
        top5 = "-" if s["answer_in_top5"] is None else f"{s['answer_in_top5']:.2f}"
        lines.append(
            f"{s['facts']:>8} {s['entities']:>9} {s['episodes']:>9} {s['p50_ms']:>8} {s['p95_ms']:>8} "
            f"{top5:>6} {s['build_s']:>8}"
        )
    return "\n".join(lines)
