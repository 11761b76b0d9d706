"""A small hand-made memory graph whose correct paths are known, shared by the pure-algorithm tests.

    Maria -sister-> Anna -husband-> Tom -works_at-> Siemens
    Anna -lives_in-> Porto <-lives_in- Bob
    Maria -lives_in-> Paris (2020-2024, superseded)   Maria -lives_in-> Lisbon (since 2024-03, active)
    Tom -age-> "41" (literal)

Each fact is evidenced by one episode (e_<fact>), and episode e_multi states two facts.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from graphmem.model import Entity, Episode, Fact, FactStatus, Subgraph

NOW = datetime(2024, 6, 1, tzinfo=UTC)
NAMES = {
    "maria": "Maria",
    "anna": "Anna",
    "tom": "Tom",
    "siemens": "Siemens",
    "porto": "Porto",
    "bob": "Bob",
    "paris": "Paris",
    "lisbon": "Lisbon",
}


def entity(eid: str, mentions: int = 1) -> Entity:
    return Entity(
        id=eid,
        namespace="t",
        name=NAMES[eid],
        key=eid,
        type="person",
        mention_count=mentions,
        first_seen=NOW,
        last_seen=NOW,
    )


def fact(
    fid: str,
    subject: str,
    predicate: str,
    obj: str | None = None,
    *,
    value: str | None = None,
    status: FactStatus = FactStatus.active,
    valid_from: datetime | None = None,
    valid_to: datetime | None = None,
) -> Fact:
    text = f"{NAMES[subject]} {predicate.replace('_', ' ')} {NAMES[obj] if obj else value}"
    return Fact(
        id=fid,
        namespace="t",
        subject_id=subject,
        predicate=predicate,
        object_id=obj,
        object_value=value,
        text=text,
        status=status,
        valid_from=valid_from,
        valid_to=valid_to,
        recorded_at=NOW,
    )


def build_graph() -> Subgraph:
    facts = [
        fact("f_sister", "maria", "sister", "anna"),
        fact("f_husband", "anna", "husband", "tom"),
        fact("f_works", "tom", "works_at", "siemens"),
        fact("f_anna_porto", "anna", "lives_in", "porto"),
        fact("f_bob_porto", "bob", "lives_in", "porto"),
        fact(
            "f_paris",
            "maria",
            "lives_in",
            "paris",
            status=FactStatus.superseded,
            valid_from=datetime(2020, 1, 1, tzinfo=UTC),
            valid_to=datetime(2024, 3, 1, tzinfo=UTC),
        ),
        fact("f_lisbon", "maria", "lives_in", "lisbon", valid_from=datetime(2024, 3, 1, tzinfo=UTC)),
        fact("f_age", "tom", "age", value="41"),
    ]
    evidence = {f.id: [f"e_{f.id}"] for f in facts}
    evidence["f_husband"].append("e_multi")
    evidence["f_works"].append("e_multi")
    counts = {f"e_{f.id}": 1 for f in facts} | {"e_multi": 2}
    episodes = {
        eid: Episode(
            id=eid,
            namespace="t",
            session_id="s",
            seq=i,
            speaker="Maria",
            content=f"episode {eid}",
            occurred_at=NOW,
        )
        for i, eid in enumerate(sorted(counts))
    }
    return Subgraph(
        entities={e: entity(e) for e in NAMES},
        facts={f.id: f for f in facts},
        episodes=episodes,
        evidence=evidence,
        episode_fact_counts=counts,
    )


@pytest.fixture
def graph() -> Subgraph:
    return build_graph()


@pytest.fixture
def names() -> dict[str, str]:
    return dict(NAMES)
