"""LlamaIndex: a retriever over ``Memory.search`` for query engines and chat engines.

>>> retriever = GraphmemRetriever(mem, namespace="maria", k=5)                 # doctest: +SKIP
>>> nodes = retriever.retrieve("Where does Maria's sister live?")
>>> nodes[0].node.metadata["fact_id"], nodes[0].node.metadata["episode_ids"]  # provenance

Each ``NodeWithScore`` holds a ``TextNode`` whose id is the fact or episode id and whose metadata
carries the kind, validity, status, the path that found it and the episodes behind it.
Needs ``pip install 'graphmem[llamaindex]'``.
"""

from __future__ import annotations

from datetime import datetime

from graphmem.adapters.hits import MemoryHit, recall
from graphmem.errors import InvalidInput
from graphmem.memory import Memory

try:
    from llama_index.core.retrievers import BaseRetriever
    from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "the LlamaIndex adapter needs the llamaindex extra: pip install 'graphmem[llamaindex]'"
    ) from exc

__all__ = ["GraphmemRetriever", "to_node"]

_NOT_FOR_EMBEDDING = [
    "kind",
    "namespace",
    "fact_id",
    "episode_ids",
    "subject_id",
    "object_id",
    "found_by",
    "score",
    "episode_id",
    "fact_ids",
    "session_id",
    "path",
    "history",
]
"""Ids and scores stay in the metadata for tracing; an embedding model or an LLM need not read them."""


def to_node(hit: MemoryHit) -> NodeWithScore:
    """A recalled fact or episode as a scored LlamaIndex node (node id = fact or episode id)."""
    node = TextNode(
        id_=hit.id,
        text=hit.text,
        metadata=dict(hit.metadata),
        excluded_embed_metadata_keys=[k for k in _NOT_FOR_EMBEDDING if k in hit.metadata],
        excluded_llm_metadata_keys=[k for k in _NOT_FOR_EMBEDDING if k in hit.metadata],
    )
    return NodeWithScore(node=node, score=hit.score)


class GraphmemRetriever(BaseRetriever):
    """Retrieves facts (then the episodes behind them) from a graphmem memory."""

    def __init__(
        self,
        memory: Memory,
        *,
        namespace: str | None = None,
        k: int = 8,
        episodes: int = 4,
        as_of: datetime | str | None = None,
    ) -> None:
        if not isinstance(memory, Memory):
            raise InvalidInput("GraphmemRetriever needs a graphmem.Memory")
        super().__init__()
        self.memory = memory
        self.namespace = namespace
        self.k = k
        self.episodes = episodes
        self.as_of = as_of

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        _, hits = recall(
            self.memory,
            query_bundle.query_str,
            namespace=self.namespace,
            k=self.k,
            episodes=self.episodes,
            as_of=self.as_of,
        )
        return [to_node(h) for h in hits]
