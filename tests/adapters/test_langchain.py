"""The LangChain adapter on a real memory: retriever documents carry ids and provenance, the chat
history round-trips through Memory.add, and the tool pair remembers and recalls."""

from __future__ import annotations

import pytest

pytest.importorskip("langchain_core", reason="the LangChain adapter needs: pip install 'graphmem[langchain]'")

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from graphmem import Memory
from graphmem.adapters.langchain import (
    GraphmemChatMessageHistory,
    GraphmemRetriever,
    memory_tools,
)
from graphmem.errors import InvalidInput
from graphmem.model import entity_key

from .conftest import NS


def test_retriever_documents_carry_fact_and_episode_provenance(memory: Memory) -> None:
    docs = GraphmemRetriever(memory=memory, namespace=NS, k=3, episodes=2).invoke("Where does Maria live?")
    facts = [d for d in docs if d.metadata["kind"] == "fact"]
    episodes = [d for d in docs if d.metadata["kind"] == "episode"]
    assert len(facts) <= 3 and len(episodes) <= 2
    top = facts[0]
    assert entity_key(top.metadata["object"]) == "lisbon" and top.metadata["status"] == "active"
    assert top.id == top.metadata["fact_id"]
    assert top.metadata["episode_ids"] == ["t4"]  # the turn that said it
    assert "Paris" in top.page_content  # the older value travels with the current one
    said = memory.episode("t4")
    assert said.content == "I moved to Lisbon last month."
    assert all(d.metadata["episode_ids"] == [d.metadata["episode_id"]] for d in episodes)
    assert all(d.metadata["namespace"] == NS for d in docs)

    then = GraphmemRetriever(memory=memory, namespace=NS, k=3, episodes=0, as_of="2023-06-01T00:00:00Z")
    assert entity_key(then.invoke("Where does Maria live?")[0].metadata["object"]) == "paris"
    with pytest.raises(InvalidInput, match="query is empty"):
        GraphmemRetriever(memory=memory, namespace=NS).invoke(" ")


def test_chat_history_is_kept_in_the_memory(memory: Memory) -> None:
    history = GraphmemChatMessageHistory(memory, "chat-1", namespace=NS, user_name="Bob", ai_name="Assistant")
    history.add_messages(
        [
            SystemMessage("You are helpful."),
            HumanMessage("I work at Acme."),
            AIMessage("Noted!"),
            ToolMessage("42", tool_call_id="call-1"),
        ]
    )
    messages = history.messages
    assert [(type(m).__name__, m.content) for m in messages] == [
        ("SystemMessage", "You are helpful."),
        ("HumanMessage", "I work at Acme."),
        ("AIMessage", "Noted!"),
        ("ToolMessage", "42"),
    ]
    assert messages[1].name == "Bob" and messages[3].tool_call_id == "call-1"
    # Added through Memory.add: the human's statement became a fact about the named speaker.
    works = memory.facts(namespace=NS, subject="Bob", predicate="works_at")
    assert [entity_key(f.object) for f in works] == ["acme"] and works[0].episodes == [messages[1].id]
    again = GraphmemChatMessageHistory(memory, "chat-1", namespace=NS)
    assert [m.id for m in again.messages] == [m.id for m in messages]  # read back from the store
    history.clear()
    assert history.messages == [] and memory.facts(namespace=NS, subject="Bob") == []
    with pytest.raises(InvalidInput):
        GraphmemChatMessageHistory(memory, "a/b")


def test_tool_pair_remembers_and_recalls(memory: Memory) -> None:
    remember, recall = memory_tools(memory, namespace=NS, speaker="Maria")
    assert remember.name == "remember" and recall.name == "recall"
    assert "remember" in remember.description.lower() or "store" in remember.description.lower()
    said = remember.invoke({"text": "My brother Luis lives in Madrid."})
    assert said.startswith("Remembered (episode ") and "new facts" in said
    message = recall.invoke(
        {
            "type": "tool_call",
            "id": "c1",
            "name": "recall",
            "args": {"query": "Where does Maria's brother live?"},
        }
    )
    assert "Madrid" in message.content
    assert any(
        d.metadata.get("kind") == "fact" and entity_key(d.metadata["object"]) == "madrid"
        for d in message.artifact
    )
