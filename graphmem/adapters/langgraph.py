"""LangGraph: graphmem as a long-term memory ``BaseStore`` for graphs and agents.

>>> store = GraphmemStore(mem)                                                  # doctest: +SKIP
>>> store.put(("users", "maria"), "m1", {"content": "I moved to Lisbon.", "speaker": "Maria"})
>>> [i.value["text"] for i in store.search(("users", "maria"), query="Where does Maria live?")]

How the store's model maps onto a graph memory:

- a LangGraph namespace ``("users", "maria")`` is the graphmem namespace ``users:maria``;
- ``put(ns, key, value)`` remembers ``value["content"]`` (with ``speaker``, ``role``, ``session``,
  ``timestamp``; other fields are kept as the episode's metadata) as episode ``key``: its facts are
  extracted and reconciled. Putting a key again replaces the episode; ``delete`` forgets it;
- ``get(ns, key)`` returns the episode as it was put;
- ``search(ns, query=...)`` returns recalled *facts* (key = fact id; ``value["episode_ids"]`` are the
  keys they came from), then the episodes behind them; without a query, the episodes of the
  namespace, filtered on their value fields;
- ``list_namespaces`` is not offered: the store keeps no list of namespaces (it raises).

Needs ``pip install 'graphmem[langgraph]'``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from graphmem.adapters.hits import MemoryHit, recall
from graphmem.errors import InvalidInput, NotFound
from graphmem.ingest import parse_timestamp
from graphmem.memory import Memory, validate_namespace
from graphmem.model import Episode
from graphmem.views import SessionView

try:
    from langgraph.store.base import (
        BaseStore,
        GetOp,
        Item,
        ListNamespacesOp,
        Op,
        PutOp,
        Result,
        SearchItem,
        SearchOp,
    )
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "the LangGraph adapter needs the langgraph extra: pip install 'graphmem[langgraph]'"
    ) from exc

__all__ = ["GraphmemStore", "to_namespace"]

_SEPARATOR = ":"
_EPISODE_FIELDS = ("content", "speaker", "role", "session", "timestamp")
_PAGE = 1000


def to_namespace(path: tuple[str, ...]) -> str:
    """``("users", "maria")`` -> ``"users:maria"`` (each part non-empty and without ':')."""
    if not isinstance(path, tuple) or not path:
        raise InvalidInput("a namespace is a non-empty tuple of strings, e.g. ('users', 'maria')")
    for part in path:
        if not isinstance(part, str) or not part or _SEPARATOR in part:
            raise InvalidInput(f"namespace part {part!r}: a non-empty string without {_SEPARATOR!r}")
    return validate_namespace(_SEPARATOR.join(path))


def _value(episode: Episode) -> dict[str, Any]:
    value = {k: v for k, v in episode.metadata.items() if k not in _EPISODE_FIELDS}
    value.update(
        content=episode.content,
        speaker=episode.speaker,
        role=episode.role.value,
        session=episode.session_id,
        timestamp=episode.occurred_at.isoformat(),
    )
    return value


def _item(path: tuple[str, ...], episode: Episode, score: float | None = None) -> SearchItem:
    return SearchItem(
        namespace=path,
        key=episode.id,
        value=_value(episode),
        created_at=episode.ingested_at,
        updated_at=episode.ingested_at,
        score=score,
    )


class GraphmemStore(BaseStore):
    """A LangGraph store whose items are graphmem episodes and whose search recalls facts."""

    def __init__(self, memory: Memory, *, fact_k: int = 10) -> None:
        if not isinstance(memory, Memory):
            raise InvalidInput("GraphmemStore needs a graphmem.Memory")
        self.memory = memory
        self.fact_k = fact_k

    # --- the two primitives every BaseStore method goes through -----------------------------------

    def batch(self, ops: Iterable[Op]) -> list[Result]:
        return [self._one(op) for op in ops]

    async def abatch(self, ops: Iterable[Op]) -> list[Result]:
        return await asyncio.to_thread(self.batch, list(ops))

    def _one(self, op: Op) -> Result:
        if isinstance(op, GetOp):
            return self._get(op)
        if isinstance(op, PutOp):
            self._put(op)
            return None
        if isinstance(op, SearchOp):
            return self._search(op)
        if isinstance(op, ListNamespacesOp):
            raise NotImplementedError("GraphmemStore cannot list namespaces: graphmem keeps no list of them")
        raise InvalidInput(f"unknown store operation {type(op).__name__}")

    def _get(self, op: GetOp) -> Item | None:
        try:
            episode = self.memory.episode(op.key, namespace=to_namespace(op.namespace))
        except NotFound:
            return None
        item = _item(op.namespace, episode)
        return Item(
            namespace=item.namespace,
            key=item.key,
            value=item.value,
            created_at=item.created_at,
            updated_at=item.updated_at,
        )

    def _put(self, op: PutOp) -> None:
        ns = to_namespace(op.namespace)
        if op.value is not None and not isinstance(op.value, Mapping):
            raise InvalidInput("a stored value is a mapping with a 'content' text")
        content = op.value.get("content") if op.value is not None else None
        if op.value is not None and (not isinstance(content, str) or not content.strip()):
            raise InvalidInput("a stored value needs a non-empty 'content' text (what to remember)")
        if op.value is not None and op.value.get("timestamp") is not None:
            parse_timestamp(op.value["timestamp"])  # a bad value must fail before the old one is forgotten
        # A put replaces: the old episode (and the facts only it supported) goes first.
        with contextlib.suppress(NotFound):
            self.memory.forget(episode_id=op.key, namespace=ns)
        if op.value is None:
            return
        value = dict(op.value)
        metadata = {k: v for k, v in value.items() if k not in _EPISODE_FIELDS}
        self.memory.add(
            str(content),
            speaker=value.get("speaker"),
            role=value.get("role"),
            session=value.get("session"),
            timestamp=value.get("timestamp"),
            metadata=metadata or None,
            id=op.key,
            namespace=ns,
        )

    def _search(self, op: SearchOp) -> list[SearchItem]:
        ns = to_namespace(op.namespace_prefix)
        wanted = op.offset + op.limit
        if op.query:
            _, hits = recall(self.memory, op.query, namespace=ns, k=max(self.fact_k, wanted), episodes=wanted)
            items = [self._hit_item(op.namespace_prefix, h) for h in hits]
        else:
            items = self._episodes(op.namespace_prefix, ns)
        if op.filter:
            items = [i for i in items if all(i.value.get(k) == v for k, v in op.filter.items())]
        return items[op.offset : op.offset + op.limit]

    def _hit_item(self, path: tuple[str, ...], hit: MemoryHit) -> SearchItem:
        when = hit.metadata.get("occurred_at") or hit.metadata.get("valid_from")
        stamp = datetime.fromisoformat(when) if when else datetime.fromtimestamp(0).astimezone()
        return SearchItem(
            namespace=path,
            key=hit.id,
            value={"text": hit.text, **hit.metadata},
            created_at=stamp,
            updated_at=stamp,
            score=hit.score,
        )

    def _episodes(self, path: tuple[str, ...], ns: str) -> list[SearchItem]:
        items: list[SearchItem] = []
        sessions: list[SessionView] = []
        skip = 0
        while True:
            listed = self.memory.sessions(namespace=ns, skip=skip, limit=_PAGE)
            sessions += listed
            if len(listed) < _PAGE:
                break
            skip += _PAGE
        for session in sessions:
            skip = 0
            while True:
                page = self.memory.episodes(session=session.id, namespace=ns, skip=skip, limit=_PAGE)
                items += [_item(path, e) for e in page]
                if len(page) < _PAGE:
                    break
                skip += _PAGE
        return items
