"""graphmem inside agent frameworks, each behind its own optional extra.

- :mod:`graphmem.adapters.langchain` (``pip install 'graphmem[langchain]'``): a ``BaseRetriever``, a
  chat-message history backed by ``Memory.add``, and a remember/recall tool pair.
- :mod:`graphmem.adapters.llamaindex` (``graphmem[llamaindex]``): a LlamaIndex retriever.
- :mod:`graphmem.adapters.langgraph` (``graphmem[langgraph]``): a LangGraph ``BaseStore``.

Every adapter calls :class:`graphmem.Memory` and nothing else, and every document, node or item it
returns carries the ids of the facts and episodes behind it (``fact_id``, ``episode_ids``...), so an
answer can always be traced back to what was said.
"""

from __future__ import annotations

__all__: list[str] = []
