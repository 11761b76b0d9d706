"""Documents as input: a passage's title is its anchor entity, kept apart from the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphmem.errors import InvalidInput
from graphmem.memory import Memory
from graphmem.model import Role


@pytest.fixture
def mem(tmp_path: Path) -> Memory:
    with Memory(path=tmp_path / "m") as memory:
        yield memory


def test_title_is_the_anchor_and_never_glued_into_names(mem: Memory) -> None:
    mem.add_document(
        "Sid Haig was an American actor. He played Captain Spaulding in House of 1000 Corpses.",
        title="Sid Haig",
        id="p1",
        metadata={"source": "wiki"},
        namespace="docs",
    )
    episode = mem.store.get_episodes("docs", ["p1"])["p1"]
    assert episode.role is Role.document
    assert episode.content.startswith("Sid Haig was")  # the title is not glued in front of the text
    assert episode.metadata == {"source": "wiki", "title": "Sid Haig"}
    names = [f.subject for f in mem.facts(namespace="docs")] + [f.object for f in mem.facts(namespace="docs")]
    assert all("\n" not in n for n in names)
    # the pronoun of the second sentence resolves to the passage's anchor
    assert any(
        f.subject == "Sid Haig" and "Captain Spaulding" in f.object for f in mem.facts(namespace="docs")
    )
    # the passage is linked to its anchor entity (a MENTIONS edge counts one mention)
    anchor = mem.entity("Sid Haig", namespace="docs")
    assert anchor.mention_count >= 1 and anchor.type == "person"


def test_a_subject_less_it_refers_to_the_title(mem: Memory) -> None:
    mem.add_many(
        [{"id": "p2", "title": "Maximum Overdrive", "content": "It is an American horror film."}],
        namespace="docs",
    )
    facts = mem.facts(namespace="docs")
    assert facts and all(f.subject == "Maximum Overdrive" for f in facts)


@pytest.mark.parametrize("title", ["", "  ", "Two\nlines", 42, "x" * 301])
def test_bad_titles_are_rejected_and_change_nothing(mem: Memory, title: object) -> None:
    with pytest.raises(InvalidInput, match="title"):
        mem.add_many([{"id": "bad", "title": title, "content": "Some text."}], namespace="docs")
    assert mem.store.get_episodes("docs", ["bad"]) == {}


PASSAGES = [
    ("sid", "Sid Haig", "Sid Haig was an American actor born in 1939. He was known for horror films."),
    ("bill", "Bill Moseley", "Bill Moseley is an American actor born in 1951. He starred in horror films."),
    (
        "oldest",
        "Oldest people",
        "The oldest people ever recorded lived past 115 years; the oldest man lived 116.",
    ),
    (
        "horror",
        "Horror film",
        "A horror film is a film that seeks to elicit fear; many actors are known for it.",
    ),
    ("actor", "Actor", "An actor is a person who portrays a character in a performance, born to act."),
]


def test_a_comparison_question_gets_both_named_passages(mem: Memory) -> None:
    mem.add_many(
        [{"id": i, "title": t, "content": x} for i, t, x in PASSAGES], namespace="wiki", batch_size=None
    )
    result = mem.search("Who was born first, Sid Haig or Bill Moseley?", namespace="wiki", k=5)
    top = [e.id for e in result.episodes[:2]]
    assert set(top) == {"sid", "bill"}
    for hit in result.episodes[:2]:
        assert "anchor" in hit.found_by and hit.scores["anchor"] > 0
        assert hit.score == pytest.approx(sum(hit.scores.values()), abs=1e-5)
    readable = result.explain_scores()
    assert "anchor" in readable and "base #" in readable
