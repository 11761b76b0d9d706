"""End to end: a small conversation ingested through ``Memory.add``, searched through ``Memory.search``.

Everything is real: the spaCy extractor, the encoder, reconsolidation and the Kuzu store. The
conversation is small and its correct answers are known:

    Maria: "My sister Anna lives in Porto."      Maria -sister-> Anna -lives_in-> Porto
    Maria: "Anna's husband is Tom."              Anna -husband-> Tom
    Maria: "Tom works at Siemens."               Tom -works_at-> Siemens
    Maria: "I live in Paris."        (2023-01)   Maria -lives_in-> Paris   (later superseded)
    Maria: "I moved to Lisbon."      (2024-03)   Maria -lives_in-> Lisbon
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graphmem.memory import Memory
from graphmem.model import FactStatus

NS = "maria"
TURNS = [
    ("My sister Anna lives in Porto.", "2023-01-10T10:00:00Z"),
    ("Anna's husband is Tom.", "2023-01-11T10:00:00Z"),
    ("Tom works at Siemens.", "2023-01-12T10:00:00Z"),
    ("I live in Paris.", "2023-01-13T10:00:00Z"),
    ("I moved to Lisbon.", "2024-03-01T10:00:00Z"),
]


@pytest.fixture(scope="module")
def memory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Memory]:
    path = Path(tmp_path_factory.mktemp("e2e")) / "memory"
    with Memory(path=path) as mem:
        for i, (text, when) in enumerate(TURNS):
            mem.add(text, speaker="Maria", namespace=NS, timestamp=when, session="s1", metadata={"turn": i})
        yield mem


def test_two_hop_answer_with_its_path(memory: Memory) -> None:
    result = memory.search("Where does Maria's sister live?", namespace=NS, k=5)
    top = result.facts[0]
    assert (top.subject, top.predicate, top.object) == ("Anna", "lives_in", "Porto")
    assert top.path is not None and "sister" in top.path and "lives_in" in top.path
    assert any(p.text == "Maria -sister-> Anna -lives_in-> Porto" for p in result.paths)
    # provenance: the fact names the episode that says it, and that episode is returned with metadata
    episodes = {e.id: e for e in result.episodes}
    assert top.episodes and top.episodes[0] in episodes
    assert episodes[top.episodes[0]].content == "My sister Anna lives in Porto."
    assert episodes[top.episodes[0]].metadata["turn"] == 0


def test_two_hop_through_a_possessive(memory: Memory) -> None:
    result = memory.search("Where does Anna's husband work?", namespace=NS, k=5)
    assert (result.facts[0].subject, result.facts[0].object) == ("Tom", "Siemens")


def test_three_hop_chain(memory: Memory) -> None:
    result = memory.search("Where does Maria's sister's husband work?", namespace=NS, k=5)
    assert result.plan is not None and result.plan.depth == 3
    assert result.facts[0].object == "Siemens"
    assert result.facts[0].path == "Maria -sister-> Anna -husband-> Tom -works_at-> Siemens"


def test_question_from_the_object_side(memory: Memory) -> None:
    result = memory.search("Who lives in Porto?", namespace=NS, k=5)
    assert result.facts[0].subject == "Anna"
    assert any(p.text.startswith("Porto <-lives_in- Anna") for p in result.paths)


def test_two_named_people_meet_in_the_middle(memory: Memory) -> None:
    result = memory.search("How is Tom connected to Maria?", namespace=NS, k=5)
    assert result.plan is not None and result.plan.meet_in_middle
    meet = [p for p in result.paths if p.kind == "meet"]
    assert meet and set(meet[0].entities) == {"Maria", "Anna", "Tom"}


def test_answer_that_changed_over_time(memory: Memory) -> None:
    now = memory.search("Where does Maria live?", namespace=NS, k=5)
    top = now.facts[0]
    assert (top.predicate, top.object, top.status) == ("lives_in", "Lisbon", FactStatus.active)
    assert top.history == ["Paris"]
    assert "before: Paris" in top.summary
    assert all(f.object != "Paris" for f in now.facts)  # one current value per slot
    then = memory.search("Where does Maria live?", namespace=NS, k=5, as_of="2023-06-01T00:00:00Z")
    assert then.facts[0].object == "Paris"
    assert all(f.object != "Lisbon" for f in then.facts)
    context = now.context(max_tokens=200)
    assert "Lisbon" in context and "before: Paris" in context


def test_explain(memory: Memory) -> None:
    plan = memory.explain("Where did Maria's sister live in 2023?", namespace=NS)
    assert plan.depth == 2 and plan.time_mode == "as_of" and plan.as_of is not None
    assert plan.as_of.year == 2023
    text = plan.render()
    assert "depth" in text and "because" in text and "Maria" in text
