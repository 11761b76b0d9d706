"""The LlamaIndex retriever on a real memory: scored nodes whose ids and metadata trace each answer
back to the facts and episodes behind it."""

from __future__ import annotations

import pytest

pytest.importorskip(
    "llama_index.core", reason="the LlamaIndex adapter needs: pip install 'graphmem[llamaindex]'"
)

from llama_index.core.schema import MetadataMode

from graphmem import Memory
from graphmem.adapters.llamaindex import GraphmemRetriever
from graphmem.errors import InvalidInput
from graphmem.model import entity_key

from .conftest import NS


def test_retriever_nodes_carry_ids_scores_and_provenance(memory: Memory) -> None:
    nodes = GraphmemRetriever(memory, namespace=NS, k=3, episodes=2).retrieve(
        "Where does Maria's sister live?"
    )
    facts = [n for n in nodes if n.node.metadata["kind"] == "fact"]
    assert 1 <= len(facts) <= 3 and len(nodes) - len(facts) <= 2
    answer = [n for n in facts if entity_key(n.node.metadata["object"]) == "porto"]
    assert answer, [n.node.get_content() for n in facts]
    node = answer[0]
    assert node.node.node_id == node.node.metadata["fact_id"]
    assert node.node.metadata["episode_ids"] == ["t2"]
    assert node.score == pytest.approx(node.node.metadata["score"])
    assert [n.score for n in facts] == sorted((n.score for n in facts), reverse=True)
    # Ids and scores are kept for tracing but not shown to the LLM.
    shown = node.node.get_content(metadata_mode=MetadataMode.LLM)
    assert "subject: Anna" in shown and "fact_id" not in shown
    with pytest.raises(InvalidInput):
        GraphmemRetriever("not a memory")  # type: ignore[arg-type]
