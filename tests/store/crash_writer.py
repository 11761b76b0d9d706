"""Writer process for the crash test: writes numbered batches into a Kuzu store until it is killed.

Usage: ``python crash_writer.py STORE_DIR FIRST_BATCH EPISODES_PER_BATCH FACTS_PER_EPISODE``

Every id encodes its batch number (``b<n>-...``), so after a SIGKILL the test can count, per batch,
what survived. Before each write the process prints ``begin <n>`` and after the commit
``committed <n> <seconds>``, flushed, so the test knows which batches were acknowledged and how long a
write takes (to aim its kill inside one). The shape of a batch is fixed by :func:`batch_shape`, which
the test imports to know what a complete batch holds.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta

import numpy as np

from graphmem.model import Entity, Episode, Evidence, Fact, Mention, NextLink, Session, WriteBatch
from graphmem.store.kuzu import KuzuStore

__all__ = ["DIMENSION", "NAMESPACE", "batch_shape", "main", "make_batch"]

NAMESPACE = "crash"
DIMENSION = 8


def batch_shape(episodes: int, facts_per_episode: int) -> dict[str, int]:
    """What one complete batch holds (nodes per label and edges per type)."""
    facts = episodes * facts_per_episode
    return {
        "Session": 1,
        "Episode": episodes,
        "Entity": episodes + 1,
        "Fact": facts,
        "EVIDENCED_BY": facts,
        "RELATES": facts,
        "NEXT": episodes - 1,
    }


def make_batch(n: int, episodes: int, facts_per_episode: int, rng: np.random.Generator) -> WriteBatch:
    """Batch ``n``: a session, its episodes chained by NEXT, one entity per episode plus a hub, and
    ``facts_per_episode`` entity-valued facts per episode (hub -> that episode's entity)."""
    base = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=n)
    tag = f"b{n}"
    vectors = rng.standard_normal((episodes * (facts_per_episode + 2) + 1, DIMENSION)).astype(np.float32)
    rows = iter(vectors.tolist())
    hub = Entity(
        id=f"{tag}-hub",
        namespace=NAMESPACE,
        name=f"hub {n}",
        key=f"{tag}-hub",
        first_seen=base,
        last_seen=base,
        embedding=next(rows),
    )
    eps, ents, facts, evidence, mentions = [], [hub], [], [], []
    for i in range(episodes):
        when = base + timedelta(seconds=i)
        eps.append(
            Episode(
                id=f"{tag}-e{i}",
                namespace=NAMESPACE,
                session_id=tag,
                seq=i,
                content=f"batch {n} episode {i} says something",
                occurred_at=when,
                embedding=next(rows),
            )
        )
        ent = Entity(
            id=f"{tag}-x{i}",
            namespace=NAMESPACE,
            name=f"thing {n} {i}",
            key=f"{tag}-x{i}",
            first_seen=when,
            last_seen=when,
            embedding=next(rows),
        )
        ents.append(ent)
        mentions.append(Mention(episode_id=f"{tag}-e{i}", entity_id=ent.id))
        for j in range(facts_per_episode):
            fact_id = f"{tag}-f{i}-{j}"
            facts.append(
                Fact(
                    id=fact_id,
                    namespace=NAMESPACE,
                    subject_id=hub.id,
                    predicate=f"rel_{j}",
                    object_id=ent.id,
                    text=f"hub {n} rel {j} thing {i}",
                    valid_from=when,
                    recorded_at=when,
                    embedding=next(rows),
                )
            )
            evidence.append(Evidence(fact_id=fact_id, episode_id=f"{tag}-e{i}"))
    return WriteBatch(
        namespace=NAMESPACE,
        sessions=[Session(id=tag, namespace=NAMESPACE, title=f"batch {n}", started_at=base)],
        episodes=eps,
        entities=ents,
        facts=facts,
        evidence=evidence,
        mentions=mentions,
        next_links=[NextLink(prev_id=f"{tag}-e{i}", next_id=f"{tag}-e{i + 1}") for i in range(episodes - 1)],
    )


def main(argv: list[str]) -> None:
    path, first, episodes, per_episode = argv[0], int(argv[1]), int(argv[2]), int(argv[3])
    rng = np.random.default_rng(first)
    store = KuzuStore(path, buffer_pool_mb=128)
    store.open(dimension=DIMENSION)
    n = first
    while True:
        batch = make_batch(n, episodes, per_episode, rng)
        print(f"begin {n}", flush=True)
        start = time.perf_counter()
        store.write(batch)
        print(f"committed {n} {time.perf_counter() - start:.4f}", flush=True)
        n += 1


if __name__ == "__main__":
    main(sys.argv[1:])
