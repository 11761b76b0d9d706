"""The LangGraph store on a real memory: put remembers (facts are extracted), get returns what was
put, search recalls facts whose episode ids are the keys that were put, delete forgets."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip(
    "langgraph.store.base", reason="the LangGraph adapter needs: pip install 'graphmem[langgraph]'"
)

from graphmem import Memory
from graphmem.adapters.langgraph import GraphmemStore, to_namespace
from graphmem.errors import InvalidInput
from graphmem.model import entity_key

USER = ("users", "zoe")


def test_put_get_search_delete(memory: Memory) -> None:
    store = GraphmemStore(memory)
    store.put(
        USER,
        "z1",
        {
            "content": "I live in Oslo.",
            "speaker": "Zoe",
            "timestamp": "2022-01-05T10:00:00Z",
            "mood": "happy",
        },
    )
    store.put(
        USER, "z2", {"content": "I moved to Bergen.", "speaker": "Zoe", "timestamp": "2024-04-01T10:00:00Z"}
    )
    item = store.get(USER, "z1")
    assert item is not None and item.key == "z1" and item.namespace == USER
    assert item.value["content"] == "I live in Oslo." and item.value["mood"] == "happy"
    assert store.get(USER, "missing") is None

    found = store.search(USER, query="Where does Zoe live?", limit=3)
    top = found[0]
    assert top.value["kind"] == "fact" and entity_key(top.value["object"]) == "bergen"
    assert top.value["episode_ids"] == ["z2"] and top.score is not None
    assert "Oslo" in top.value["text"]  # the superseded value is named with the current one
    listed = store.search(USER, filter={"speaker": "Zoe"})
    assert [i.key for i in listed] == ["z1", "z2"]
    assert [i.key for i in store.search(USER, filter={"mood": "happy"})] == ["z1"]

    store.put(
        USER, "z2", {"content": "I moved to Tromso.", "speaker": "Zoe", "timestamp": "2024-04-01T10:00:00Z"}
    )
    now = memory.facts(namespace=to_namespace(USER), subject="Zoe", predicate="lives_in")
    assert [entity_key(f.object) for f in now] == ["tromso"]  # a put replaces the episode
    store.delete(USER, "z2")
    assert store.get(USER, "z2") is None
    assert asyncio.run(store.aget(USER, "z1")) is not None  # the async twin

    with pytest.raises(InvalidInput, match="content"):
        store.put(USER, "z3", {"text": "no content field"})
    with pytest.raises(InvalidInput, match="timestamp"):
        store.put(USER, "z1", {"content": "I live in Rome.", "timestamp": "not a time"})
    assert store.get(USER, "z1") is not None  # a refused put leaves the old value in place
    with pytest.raises(InvalidInput):
        store.put(("users", "a:b"), "k", {"content": "x"})
    with pytest.raises(NotImplementedError, match="list namespaces"):
        store.list_namespaces()
