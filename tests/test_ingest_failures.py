"""A failing extraction costs only its own item's facts: the batch commits, the failure is on record.

Real store, real spaCy model, real encoder. The real former crasher (a HotpotQA passage whose parse
recursed through ``Ref.__eq__`` until RecursionError) must now extract; an unknown future extractor
bug is simulated by making the extractor raise for one marked item, since no real input is known to
fail any more.
"""

from __future__ import annotations

import pytest

from graphmem import Memory
from graphmem.errors import ExtractionWarning
from graphmem.ingest import EXTRACTION_ERROR_KEY

# hotpotqa-917 ("Baron Stanley of Alderley"), shared/bench/hotpotqa_dev: raised RecursionError before
FORMER_CRASHER = (
    "Baron Stanley of Alderley, in the County of Chester, is a title in the Peerage of the United Kingdom. "
    "It was created in 1839 for the politician and landowner Sir John Stanley, 7th Baronet. Upon his death "
    "in 1850, he was succeeded as 2nd Baron Stanley of Alderley and 8th Baronet of Alderley Hall by his son "
    "Edward, who was a prominent Liberal politician and notably served as President of the Board of Trade, "
    "Postmaster General and had in 1848 been created Baron Eddisbury, of Winnington in the County Palatine "
    "of Chester, in his own right. His wife Henrietta was a prominent campaigner for women's education. "
    "In 1909, the 4th Baron Stanley of Alderley acquired a further title when he succeeded his first cousin "
    "once removed, the Earl of Sheffield, according to a special remainder and thus inherited the title of "
    "4th Baron Sheffield. His eldest son, the 6th Baron Stanley of Alderley, sold the family seat of "
    "Alderley Hall in 1938. He was married four times, the second time to Sylvia Ashley."
)
POISON = "This sentence trips the simulated extractor bug."


@pytest.fixture(scope="module")
def mem(tmp_path_factory: pytest.TempPathFactory) -> Memory:
    memory = Memory(path=tmp_path_factory.mktemp("failures"))
    memory.open()
    yield memory
    memory.close()


def _metadata(mem: Memory, ns: str) -> dict[str, dict]:
    """Stored metadata of every episode of the namespace's default session, by episode id."""
    return {ep.id: ep.metadata for ep in mem.episodes(session="default", namespace=ns)}


def test_former_crasher_extracts_and_commits(mem: Memory) -> None:
    ns = "hotpot"
    result = mem.add_many(
        [
            {"text": FORMER_CRASHER, "speaker": "doc", "id": "hotpotqa-917"},
            {"text": "Sylvia Ashley was an English model and actress.", "speaker": "doc", "id": "ashley"},
        ],
        namespace=ns,
    )
    assert result.extraction_errors == []
    assert sorted(result.episode_ids) == ["ashley", "hotpotqa-917"]
    assert result.facts_added > 0
    assert mem.stats(namespace=ns).counts["extraction_errors"] == 0


def test_one_failing_item_does_not_lose_the_batch(mem: Memory, monkeypatch: pytest.MonkeyPatch) -> None:
    ns = "batch"
    extractor = mem.ingestor.extractor
    real_many = extractor.extract_many

    def failing_many(items):  # type: ignore[no-untyped-def]
        if any(POISON in item.text for item in items):
            raise RuntimeError("simulated extractor bug")
        return real_many(items)

    monkeypatch.setattr(extractor, "extract_many", failing_many)
    items = [
        {"text": "My sister Anna lives in Porto.", "speaker": "Maria", "id": "good-1"},
        {"text": POISON, "speaker": "Maria", "id": "bad"},
        {"text": FORMER_CRASHER, "speaker": "doc", "id": "good-2"},
        {"text": "I adopted a dog named Rex.", "speaker": "Maria", "id": "good-3"},
    ]
    with pytest.warns(ExtractionWarning, match="1 of 4 episodes"):
        result = mem.add_many(items, namespace=ns)

    assert sorted(result.episode_ids) == ["bad", "good-1", "good-2", "good-3"]
    assert result.extraction_errors == [
        {"episode_id": "bad", "type": "RuntimeError", "message": "simulated extractor bug"}
    ]
    facts = {(f.subject, f.predicate, f.object) for f in mem.facts(namespace=ns)}
    assert ("Maria", "sister", "Anna") in facts
    assert ("Maria", "has_pet", "Rex") in facts
    stored = _metadata(mem, ns)
    assert set(stored) == {"bad", "good-1", "good-2", "good-3"}, "the failing episode is still stored"
    assert stored["bad"][EXTRACTION_ERROR_KEY] == {
        "type": "RuntimeError",
        "message": "simulated extractor bug",
    }
    assert all(EXTRACTION_ERROR_KEY not in stored[i] for i in ("good-1", "good-2", "good-3"))
    # queryable with plain Cypher too
    rows = mem.cypher(
        "MATCH (e:Episode) WHERE e.namespace = $ns AND e.metadata CONTAINS 'extraction_error' "
        "RETURN e.id AS id",
        {"ns": ns},
    )
    assert [r["id"] for r in rows] == ["bad"]
    assert mem.stats(namespace=ns).counts["extraction_errors"] == 1
    # adding the same items again changes nothing and reports nothing new
    again = mem.add_many(items, namespace=ns)
    assert again.extraction_errors == [] and len(again.skipped_episode_ids) == 4


def test_attachments_are_kept_embedded_extracted_and_searched(mem: Memory) -> None:
    ns = "captions"
    result = mem.add(
        "Look at what we found today!",
        speaker="Melanie",
        namespace=ns,
        attachments=[{"type": "image", "caption": "a photo of a turtle named Shelly on a rock"}],
    )
    stored = mem.episodes(session="default", namespace=ns)[0]
    assert stored.content == "Look at what we found today!", "the raw record stays the message text"
    assert stored.metadata["attachments"] == [
        {"type": "image", "caption": "a photo of a turtle named Shelly on a rock"}
    ]
    assert result.entities_added >= 1
    assert mem.entity("Shelly", namespace=ns).name == "Shelly"  # the caption was extracted with the episode
    hits = mem.search("turtle on a rock", namespace=ns, k=3)
    assert [e.id for e in hits.episodes][:1] == [stored.id]


@pytest.mark.parametrize(
    "bad",
    [
        "a photo",
        [{"type": "image"}],
        [{"type": "image", "caption": ""}],
        [{"type": "image", "caption": "x", "url": "http://x"}],
    ],
)
def test_bad_attachments_are_refused(mem: Memory, bad: object) -> None:
    from graphmem.errors import InvalidInput

    before = mem.stats(namespace="captions-bad").counts
    with pytest.raises(InvalidInput):
        mem.add("hello there", speaker="Melanie", namespace="captions-bad", attachments=bad)  # type: ignore[arg-type]
    assert mem.stats(namespace="captions-bad").counts == before
