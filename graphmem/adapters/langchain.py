"""LangChain: a retriever over ``Memory.search``, a chat history kept in the memory, and a tool pair.

>>> retriever = GraphmemRetriever(memory=mem, namespace="maria", k=5)          # doctest: +SKIP
>>> docs = retriever.invoke("Where does Maria's sister live?")
>>> docs[0].metadata["fact_id"], docs[0].metadata["episode_ids"]               # provenance

``GraphmemChatMessageHistory`` stores each message as an episode (facts are extracted as it is added)
and reads a session back in order; ``memory_tools`` gives an agent ``remember`` and ``recall``.
Needs ``pip install 'graphmem[langchain]'``.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Sequence
from typing import Any

from pydantic import ConfigDict, Field

from graphmem.adapters.hits import MemoryHit, recall
from graphmem.errors import InvalidInput, NotFound
from graphmem.memory import Memory

try:
    from langchain_core.callbacks import CallbackManagerForRetrieverRun
    from langchain_core.chat_history import BaseChatMessageHistory
    from langchain_core.documents import Document
    from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
    from langchain_core.retrievers import BaseRetriever
    from langchain_core.tools import BaseTool, StructuredTool
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "the LangChain adapter needs the langchain extra: pip install 'graphmem[langchain]'"
    ) from exc

__all__ = ["GraphmemChatMessageHistory", "GraphmemRetriever", "memory_tools", "to_document"]

_ROLES = {"human": "user", "ai": "assistant", "system": "system", "tool": "tool"}
_PAGE = 1000


def to_document(hit: MemoryHit) -> Document:
    """A recalled fact or episode as a LangChain document; ``id`` is the fact or episode id."""
    return Document(page_content=hit.text, metadata=dict(hit.metadata), id=hit.id)


class GraphmemRetriever(BaseRetriever):
    """Retrieves facts (then the episodes behind them) from a graphmem memory.

    Each document's metadata has ``kind`` (fact or episode), ``fact_id`` / ``episode_id``,
    ``episode_ids`` (the provenance of a fact), validity, status, the path that found it and scores.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    memory: Memory
    namespace: str | None = None
    k: int = Field(default=8, ge=1, le=200, description="facts per query")
    episodes: int = Field(default=4, ge=0, le=200, description="episodes per query, after the facts")
    as_of: str | None = Field(default=None, description="read the memory as of this time (ISO 8601)")

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        _, hits = recall(
            self.memory, query, namespace=self.namespace, k=self.k, episodes=self.episodes, as_of=self.as_of
        )
        return [to_document(h) for h in hits]


def _text(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    parts = [p if isinstance(p, str) else p.get("text", "") for p in content if isinstance(p, str | dict)]
    return "\n".join(p for p in parts if p)


class GraphmemChatMessageHistory(BaseChatMessageHistory):
    """A conversation kept in the memory: each message becomes an episode of session ``session_id``.

    ``user_name`` / ``ai_name`` name the speakers (so "I live in Lisbon" becomes a fact about the
    user); a message's own ``name`` wins. Reading returns the session's messages in order.
    """

    def __init__(
        self,
        memory: Memory,
        session_id: str,
        *,
        namespace: str | None = None,
        user_name: str | None = None,
        ai_name: str | None = None,
    ) -> None:
        if not isinstance(session_id, str) or not session_id.strip() or "/" in session_id:
            raise InvalidInput("session_id must be a non-empty string without '/'")
        self.memory = memory
        self.session_id = session_id
        self.namespace = namespace
        self.names = {"human": user_name, "ai": ai_name}

    @property
    def messages(self) -> list[BaseMessage]:  # type: ignore[override]
        out: list[BaseMessage] = []
        skip = 0
        while True:
            page = self.memory.episodes(
                session=self.session_id, namespace=self.namespace, skip=skip, limit=_PAGE
            )
            for ep in page:
                name = ep.speaker or None
                if ep.role.value == "user":
                    out.append(HumanMessage(content=ep.content, name=name, id=ep.id))
                elif ep.role.value == "system":
                    out.append(SystemMessage(content=ep.content, id=ep.id))
                elif ep.role.value == "tool":
                    call = str(ep.metadata.get("tool_call_id", ""))
                    out.append(ToolMessage(content=ep.content, tool_call_id=call, id=ep.id))
                else:
                    out.append(AIMessage(content=ep.content, name=name, id=ep.id))
            if len(page) < _PAGE:
                return out
            skip += _PAGE

    def add_messages(self, messages: Sequence[BaseMessage]) -> None:
        """Store the messages in order (one ``Memory.add`` each: each is its own transaction)."""
        for message in messages:
            role = _ROLES.get(message.type)
            if role is None:
                raise InvalidInput(f"cannot store a {message.type!r} message in graphmem")
            text = _text(message)
            if not text.strip():
                continue  # e.g. an AI message that only calls tools: nothing to remember
            metadata: dict[str, Any] = {}
            if isinstance(message, ToolMessage):
                metadata["tool_call_id"] = message.tool_call_id
            self.memory.add(
                text,
                role=role,
                speaker=message.name or self.names.get(message.type),
                session=self.session_id,
                namespace=self.namespace,
                metadata=metadata or None,
                id=f"{self.session_id}-{uuid.uuid4().hex[:16]}",
            )

    def clear(self) -> None:
        """Forget every episode of the session (and the facts only they supported)."""
        for message in self.messages:
            with contextlib.suppress(NotFound):
                self.memory.forget(episode_id=str(message.id), namespace=self.namespace)


def memory_tools(
    memory: Memory, *, namespace: str | None = None, speaker: str | None = None
) -> list[BaseTool]:
    """``remember`` and ``recall`` tools for an agent; recall returns prompt text, with the documents
    (ids and provenance in metadata) as the tool message's artifact."""

    def remember(text: str) -> str:
        """Store something worth keeping (a fact about the user, a decision, an observation)."""
        added = memory.add(text, speaker=speaker, namespace=namespace)
        return (
            f"Remembered (episode {', '.join(added.episode_ids) or 'already stored'}): "
            f"{added.facts_added} new facts, {added.facts_closed} older facts superseded."
        )

    def recall_(query: str) -> tuple[str, list[Document]]:
        """Look up what is known about a question: facts with their history and sources."""
        result, hits = recall(memory, query, namespace=namespace)
        return result.context(), [to_document(h) for h in hits]

    return [
        StructuredTool.from_function(remember, name="remember"),
        StructuredTool.from_function(recall_, name="recall", response_format="content_and_artifact"),
    ]
