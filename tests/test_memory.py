"""The service layer end to end: real spaCy model, real encoder, real embedded store."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest

from graphmem import AsyncMemory, Memory
from graphmem.errors import ClosedError, InvalidInput, NotFound
from graphmem.model import FactStatus


@pytest.fixture(scope="module")
def mem(tmp_path_factory: pytest.TempPathFactory) -> Memory:
    memory = Memory(path=tmp_path_factory.mktemp("memory"))
    memory.open()
    yield memory
    memory.close()


def _objects(views: list) -> set[str]:
    return {v.object for v in views}


def test_add_extracts_reconciles_and_keeps_history(mem: Memory) -> None:
    ns = "maria"
    mem.add("I live in Paris.", speaker="Maria", namespace=ns, timestamp="2023-01-10T10:00:00Z")
    mem.add("My sister Anna lives in Porto.", speaker="Maria", namespace=ns, timestamp="2023-02-01T10:00:00Z")
    result = mem.add("I moved to Lisbon.", speaker="Maria", namespace=ns, timestamp="2024-03-01T10:00:00Z")
    assert result.facts_added >= 1 and result.facts_closed >= 1

    current = mem.facts(namespace=ns, subject="Maria", predicate="lives_in", include_history=True)
    assert _objects(current) == {"Lisbon"}
    assert [h.object for h in current[0].history] == ["Paris"]
    assert "before: Paris" in current[0].summary
    assert current[0].episodes, "every fact links to the episode that evidences it"

    then = mem.facts(namespace=ns, subject="Maria", predicate="lives_in", as_of="2023-06-01T00:00:00Z")
    assert _objects(then) == {"Paris"}

    chain = mem.history(namespace=ns, subject="Maria", predicate="lives_in")
    assert [step.fact.object for step in chain] == ["Paris", "Lisbon"]
    assert chain[0].fact.status is FactStatus.superseded and chain[0].rule and chain[0].reason
    assert chain[0].superseded_by == chain[1].fact.id


def test_undo_reverses_a_decision(mem: Memory) -> None:
    ns = "undo"
    mem.add("I work at Google.", speaker="Tom", namespace=ns, timestamp="2022-01-01T00:00:00Z")
    mem.add("I work at Siemens.", speaker="Tom", namespace=ns, timestamp="2023-01-01T00:00:00Z")
    old = next(
        f
        for f in mem.facts(namespace=ns, subject="Tom", as_of="2022-06-01T00:00:00Z")
        if f.predicate == "works_at"
    )
    assert old.status is FactStatus.superseded
    mem.undo_reconcile(old.id, namespace=ns)
    assert _objects(mem.facts(namespace=ns, subject="Tom", predicate="works_at")) == {"Google"}
    with pytest.raises(InvalidInput):
        mem.undo_reconcile(mem.facts(namespace=ns, subject="Tom", predicate="works_at")[0].id, namespace=ns)


def test_add_is_idempotent_on_ids_and_content(mem: Memory) -> None:
    ns = "idem"
    first = mem.add("I like chess.", speaker="Ana", namespace=ns, id="turn-1")
    again = mem.add("I like chess.", speaker="Ana", namespace=ns, id="turn-1")
    assert first.episode_ids == ["turn-1"] and again.skipped_episode_ids == ["turn-1"]
    same = mem.add("I like hiking.", speaker="Ana", namespace=ns, timestamp="2024-01-01T00:00:00Z")
    repeat = mem.add("I like hiking.", speaker="Ana", namespace=ns, timestamp="2024-01-01T00:00:00Z")
    assert repeat.skipped_episode_ids == same.episode_ids
    assert mem.stats(namespace=ns).counts["episodes"] == 2


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda m: m.add("   ", namespace="bad"), "empty"),
        (lambda m: m.add(42, namespace="bad"), "text or a message"),
        (lambda m: m.add("hi", namespace="bad", timestamp="not a date"), "timestamp"),
        (lambda m: m.add("hi", namespace="bad", role="wizard"), "role"),
        (lambda m: m.add("x" * 30_000, namespace="bad"), "maximum"),
        (lambda m: m.add("hi", namespace="no/slash"), "namespace"),
        (lambda m: m.add({"content": "hi", "colour": "red"}, namespace="bad"), "unknown field"),
        (lambda m: m.add_many(["fine", ""], namespace="bad"), "item 1"),
        (lambda m: m.add_many([], namespace="bad"), "at least one"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(mem: Memory, call, message: str) -> None:
    before = mem.stats(namespace="bad").counts
    with pytest.raises(InvalidInput, match=message):
        call(mem)
    assert mem.stats(namespace="bad").counts == before


def test_add_many_is_one_transaction_with_chat_messages(mem: Memory) -> None:
    ns = "batch"
    result = mem.add_many(
        [
            {
                "role": "user",
                "name": "Lea",
                "content": "I started working at Bosch.",
                "session": "s1",
                "timestamp": "2024-01-01T10:00:00Z",
                "metadata": {"turn": 1},
            },
            {
                "role": "assistant",
                "content": "Congratulations on the new job!",
                "session": "s1",
                "timestamp": "2024-01-01T10:00:05Z",
            },
            {
                "text": "My brother Max lives in Vienna.",
                "speaker": "Lea",
                "session": "s1",
                "timestamp": "2024-01-01T10:01:00Z",
            },
        ],
        namespace=ns,
    )
    assert len(result.episode_ids) == 3
    episodes = mem.episodes(namespace=ns, session="s1")
    assert [e.seq for e in episodes] == [0, 1, 2]
    assert episodes[0].metadata == {"turn": 1}
    assert {"Bosch"} <= _objects(mem.facts(namespace=ns, subject="Lea"))


def test_namespaces_are_isolated(mem: Memory) -> None:
    mem.add("I live in Oslo.", speaker="Kim", namespace="iso-a")
    mem.add("I live in Rome.", speaker="Kim", namespace="iso-b")
    assert _objects(mem.facts(namespace="iso-a", subject="Kim")) == {"Oslo"}
    assert _objects(mem.facts(namespace="iso-b", subject="Kim")) == {"Rome"}


def test_forget_episode_and_namespace(mem: Memory) -> None:
    ns = "forget"
    added = mem.add("I live in Madrid.", speaker="Eva", namespace=ns)
    assert mem.facts(namespace=ns, subject="Eva")
    deleted = mem.forget(namespace=ns, episode_id=added.episode_ids[0])
    assert deleted["episodes"] == 1 and deleted["facts"] >= 1
    assert mem.facts(namespace=ns, subject="Eva") == []
    with pytest.raises(NotFound):
        mem.forget(namespace=ns, episode_id="nope")
    with pytest.raises(InvalidInput):
        mem.forget(namespace=ns)
    mem.add("I live in Bern.", speaker="Eva", namespace=ns)
    mem.forget(namespace=ns, everything=True)
    assert mem.stats(namespace=ns).counts["episodes"] == 0


def test_cypher_is_read_only_by_default(mem: Memory) -> None:
    rows = mem.cypher("MATCH (e:Entity) WHERE e.namespace = $ns RETURN e.name AS name", {"ns": "maria"})
    assert {"Maria", "Anna"} <= {r["name"] for r in rows}
    before = mem.stats(all_namespaces=True).counts
    with pytest.raises(Exception, match="read-only"):
        mem.cypher("MATCH (e:Entity) DETACH DELETE e")
    assert mem.stats(all_namespaces=True).counts == before


def test_agent_sessions_insights_and_feedback(mem: Memory) -> None:
    ns = "agent"
    mem.start_session("t1", namespace=ns, goal="find the key and open the chest")
    mem.add("The key is in the kitchen.", role="environment", session="t1", namespace=ns)
    mem.end_session("t1", namespace=ns, outcome="success", score=1.0)
    mem.start_session("t2", namespace=ns, goal="water the plants in the garden")
    mem.end_session("t2", namespace=ns, outcome="failure")
    similar = mem.similar_sessions("open the chest with a key", namespace=ns, k=2)
    assert similar[0].id == "t1" and similar[0].outcome == "success"
    digest = mem.insights(namespace=ns, about="t1", kind="session_digest")
    assert digest and "success" in digest[0].text

    fact_id = mem.facts(namespace=ns)[0].id
    lesson = mem.add_insight("Look in the kitchen first.", namespace=ns, derived_from=["t1", fact_id])
    assert set(lesson.derived_from) == {"t1", fact_id}
    with pytest.raises(NotFound):
        mem.add_insight("x", namespace=ns, derived_from=["missing"])
    good = mem.feedback([lesson.id], namespace=ns, useful=True)
    bad = mem.feedback([lesson.id], namespace=ns, useful=False)
    assert good.utility[lesson.id] == 1.0 and bad.utility[lesson.id] == -1.0  # failures weigh double


def test_entity_profiles_go_stale_when_facts_change(mem: Memory) -> None:
    ns = "profile"
    mem.add("I live in Paris.", speaker="Zoe", namespace=ns, timestamp="2023-01-01T00:00:00Z")
    (profile,) = mem.refresh_insights(namespace=ns, entities=["Zoe"])
    assert "Paris" in profile.text
    mem.add("I moved to Berlin.", speaker="Zoe", namespace=ns, timestamp="2024-01-01T00:00:00Z")
    assert mem.insights(namespace=ns, about="Zoe", kind="entity_profile") == []  # stale ones are hidden
    (fresh,) = mem.refresh_insights(namespace=ns)
    assert "Berlin" in fresh.text and "Paris" not in fresh.text


def test_closed_memory_refuses_use(tmp_path: Path) -> None:
    memory = Memory(path=tmp_path / "closed")
    memory.close()
    memory.close()  # twice is fine
    with pytest.raises(ClosedError):
        memory.facts(namespace="x")
    with pytest.raises(ClosedError):
        memory.open()


def test_async_twin_has_the_same_methods_and_works(tmp_path: Path) -> None:
    public = {n for n, _ in inspect.getmembers(Memory, inspect.isfunction) if not n.startswith("_")}
    twin = {n for n, _ in inspect.getmembers(AsyncMemory) if not n.startswith("_")} - {"sync"}
    assert public <= twin | {"open", "close"}

    async def scenario() -> list[str]:
        async with AsyncMemory(path=tmp_path / "async") as amem:
            await amem.add("I live in Porto.", speaker="Rui", namespace="a")
            facts = await amem.facts(namespace="a", subject="Rui")
            return [f.object for f in facts]

    assert asyncio.run(scenario()) == ["Porto"]


def test_a_fact_that_ended_before_it_was_told_has_an_unknown_start(mem: Memory) -> None:
    # Found by the LoCoMo run: "until <past date>" made valid_to precede the default valid_from.
    mem.add("I lived in Rome until 2019.", speaker="Ana", namespace="ended", timestamp="2023-05-01T00:00:00Z")
    then = mem.facts(namespace="ended", subject="Ana", as_of="2018-01-01T00:00:00Z")
    assert [(f.object, f.valid_from, f.valid_to.year) for f in then] == [("Rome", None, 2019)]
    assert mem.facts(namespace="ended", subject="Ana") == []


def test_a_batch_that_does_not_commit_leaves_no_registry_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The registry learns cardinalities from what ingest decides; a rolled-back batch must not teach it."""
    with Memory(path=tmp_path / "m") as memory:
        ns = "reg"
        memory.add(
            "My favourite colour is blue.", speaker="Ana", namespace=ns, timestamp="2024-01-01T10:00:00Z"
        )
        before = memory.registry.to_dict()

        def broken_write(batch: object) -> None:
            raise RuntimeError("disk full")

        with monkeypatch.context() as patch:
            patch.setattr(memory.store, "write", broken_write)
            with pytest.raises(RuntimeError, match="disk full"):
                memory.add(
                    "My favourite colour is red.",
                    speaker="Ana",
                    namespace=ns,
                    timestamp="2024-02-01T10:00:00Z",
                )
        assert memory.registry.to_dict() == before

        # the same turn, committed, does teach it: the check above could fail
        memory.add(
            "My favourite colour is red.", speaker="Ana", namespace=ns, timestamp="2024-02-01T10:00:00Z"
        )
        assert memory.registry.to_dict() != before
