"""``graphmem --server URL ...``: the ``Memory`` calls the CLI makes, over a running ``graphmem serve``.

A running server owns the embedded store (Kuzu allows one process) and keeps the models loaded, so
repeated CLI calls go through it instead of opening the store and loading spaCy and MiniLM each time.
Responses are validated into the SDK's own pydantic types, so the CLI renders them the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from graphmem.config import get_settings
from graphmem.errors import (
    GraphmemError,
    InvalidInput,
    NamespaceForbidden,
    NotFound,
    QueryError,
    ReadOnlyViolation,
    StoreUnavailable,
    WriteConflict,
)
from graphmem.memory import validate_namespace

if TYPE_CHECKING:
    import httpx

    from graphmem.retrieve.plan import Plan
    from graphmem.retrieve.results import SearchResult
    from graphmem.views import AddResult, EntityView, FactView, HistoryEntry, Stats

__all__ = ["RemoteMemory"]

_REMOTE_ERRORS: dict[str, type[GraphmemError]] = {
    "invalid_input": InvalidInput,
    "not_found": NotFound,
    "namespace_forbidden": NamespaceForbidden,
    "read_only_violation": ReadOnlyViolation,
    "query_error": QueryError,
    "unavailable": StoreUnavailable,
    "write_conflict": WriteConflict,
}
_BATCH_ITEMS = 500
"""Items per ``episodes/batch`` request (the server caps a request at 1000 by default)."""


class RemoteMemory:
    """The ``Memory`` methods the CLI calls, made against a running ``graphmem serve`` (REST ``/v1``).

    A running server owns the embedded store, so this is how the CLI reaches it. Responses are
    validated into the same pydantic types the SDK returns, so rendering and ``--json`` are identical;
    the server's ``{"error": {"type", "message"}}`` becomes the matching ``GraphmemError``.
    """

    def __init__(
        self, url: str, api_key: str | None, *, namespace: str | None, client: httpx.Client | None = None
    ) -> None:
        """``client``: send through this one, not a new ``httpx.Client`` (tests pass the app's TestClient)."""
        try:
            import httpx
        except ImportError as exc:  # pragma: no cover - httpx ships with the api extra
            raise InvalidInput("--server needs httpx: pip install 'graphmem[api]'") from exc
        self.url = url.rstrip("/")
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        if client is None:
            client = httpx.Client(base_url=self.url + "/v1", headers=headers, timeout=120.0)
        else:
            client.base_url = self.url + "/v1"
            client.headers.update(headers)
        self._client = client
        self._httpx = httpx
        self.default_namespace = validate_namespace(namespace or get_settings().namespace)

    def __enter__(self) -> RemoteMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self._client.request(method, path, **kwargs)
        except self._httpx.HTTPError as exc:
            raise StoreUnavailable(f"cannot reach the graphmem server at {self.url}: {exc}") from exc
        try:
            body = response.json() if response.content else None
        except ValueError:  # not JSON: not a graphmem server (a proxy page, another service)
            body = None
        if response.is_error:
            error = body.get("error", {}) if isinstance(body, dict) else {}
            kind = _REMOTE_ERRORS.get(str(error.get("type")), GraphmemError)
            raise kind(str(error.get("message") or f"HTTP {response.status_code} from {self.url}"))
        if body is None and method != "DELETE":
            raise StoreUnavailable(f"{self.url} did not answer with JSON; is it a graphmem server?")
        return body

    def _ns(self, namespace: str | None = None) -> str:
        return f"/namespaces/{validate_namespace(namespace or self.default_namespace)}"

    def _pages(self, path: str, params: dict[str, Any], limit: int | None = None) -> list[Any]:
        """Follow ``next`` links until ``limit`` items (or the end)."""
        body = self._call("GET", path, params={k: v for k, v in params.items() if v is not None})
        items: list[Any] = list(body["data"])
        while body.get("next") and (limit is None or len(items) < limit):
            body = self._call("GET", body["next"].removeprefix("/v1"))
            items.extend(body["data"])
        return items[:limit] if limit is not None else items

    def add(
        self,
        content: str | Mapping[str, Any],
        *,
        speaker: str | None = None,
        role: str | None = None,
        session: str | None = None,
        timestamp: datetime | str | None = None,
        namespace: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        id: str | None = None,
        source: str | None = None,
        trust: str | None = None,
    ) -> AddResult:
        from graphmem.views import AddResult

        payload = _episode_in(content if isinstance(content, Mapping) else {"content": content})
        given = {
            "speaker": speaker,
            "role": role,
            "session": session,
            "timestamp": _when(timestamp),
            "metadata": dict(metadata) if metadata is not None else None,
            "id": id,
            "source": source,
            "trust": trust,
        }
        payload.update({k: v for k, v in given.items() if v is not None})
        return AddResult.model_validate(self._call("POST", f"{self._ns(namespace)}/episodes", json=payload))

    def add_many(
        self,
        items: Iterable[str | Mapping[str, Any]],
        *,
        namespace: str | None = None,
        batch_size: int | None = None,
        progress: bool = False,
    ) -> AddResult:
        from tqdm import tqdm

        from graphmem.views import AddResult

        ns = namespace or self.default_namespace
        episodes = [_episode_in({"content": item} if isinstance(item, str) else item) for item in items]
        total = AddResult(namespace=ns)
        with tqdm(total=len(episodes), unit="turn", desc=f"import {ns}", disable=not progress) as bar:
            for start in range(0, len(episodes), _BATCH_ITEMS):
                chunk = episodes[start : start + _BATCH_ITEMS]
                body = self._call(
                    "POST", f"{self._ns(ns)}/episodes/batch", json={"items": chunk, "batch_size": batch_size}
                )
                part = AddResult.model_validate(body)
                for name in ("episode_ids", "skipped_episode_ids", "decisions"):
                    getattr(total, name).extend(getattr(part, name))
                for name in ("facts_added", "facts_reinforced", "facts_closed", "entities_added"):
                    setattr(total, name, getattr(total, name) + getattr(part, name))
                for key, value in part.timings_ms.items():
                    total.timings_ms[key] = total.timings_ms.get(key, 0.0) + value
                bar.update(len(chunk))
        return total

    def search(
        self,
        query: str,
        *,
        namespace: str | None = None,
        k: int = 10,
        as_of: datetime | str | None = None,
        include_quarantined: bool = False,
    ) -> SearchResult:
        from graphmem.retrieve.results import SearchResult

        payload = {"query": query, "k": k, "as_of": _when(as_of), "include_quarantined": include_quarantined}
        return SearchResult.model_validate(self._call("POST", f"{self._ns(namespace)}/search", json=payload))

    def explain(
        self, query: str, *, namespace: str | None = None, as_of: datetime | str | None = None
    ) -> Plan:
        from graphmem.retrieve.plan import Plan

        payload = {"query": query, "as_of": _when(as_of)}
        return Plan.model_validate(self._call("POST", f"{self._ns(namespace)}/explain", json=payload))

    def facts(
        self,
        *,
        namespace: str | None = None,
        subject: str | None = None,
        predicate: str | None = None,
        as_of: datetime | str | None = None,
        include_history: bool = False,
        skip: int = 0,
        limit: int = 100,
    ) -> list[FactView]:
        from graphmem.views import FactView

        params = {
            "subject": subject,
            "predicate": predicate,
            "as_of": _when(as_of),
            "skip": skip,
            "include_history": str(include_history).lower(),
            "limit": min(limit, 100),
        }
        rows = self._pages(f"{self._ns(namespace)}/facts", params, limit)
        return [FactView.model_validate(r) for r in rows]

    def history(
        self,
        *,
        namespace: str | None = None,
        subject: str | None = None,
        predicate: str | None = None,
        fact_id: str | None = None,
    ) -> list[HistoryEntry]:
        from graphmem.views import HistoryEntry

        params = {"subject": subject, "predicate": predicate, "fact_id": fact_id}
        rows = self._pages(f"{self._ns(namespace)}/history", params)
        return [HistoryEntry.model_validate(r) for r in rows]

    def entity(self, name_or_id: str, *, namespace: str | None = None) -> EntityView:
        from urllib.parse import quote

        from graphmem.views import EntityView

        path = f"{self._ns(namespace)}/entities/{quote(name_or_id, safe='')}"
        return EntityView.model_validate(self._call("GET", path))

    def cypher(
        self, query: str, params: Mapping[str, Any] | None = None, *, limit: int | None = None
    ) -> list[dict[str, Any]]:
        payload = {"query": query, "params": dict(params or {}), "limit": limit}
        body = self._call("POST", "/cypher", json=payload)
        return list(body["rows"])

    def stats(self, *, namespace: str | None = None, all_namespaces: bool = False) -> Stats:
        from graphmem.views import Stats

        path = "/stats" if all_namespaces else f"{self._ns(namespace)}/stats"
        return Stats.model_validate(self._call("GET", path))

    def forget(
        self, *, namespace: str | None = None, episode_id: str | None = None, everything: bool = False
    ) -> dict[str, int]:
        from urllib.parse import quote

        ns = self._ns(namespace)
        path = f"{ns}/episodes/{quote(episode_id, safe='')}" if episode_id else ns
        if not episode_id and not everything:
            raise InvalidInput("forget needs episode_id=... or everything=True")
        return dict(self._call("DELETE", path)["deleted"])

    def undo_reconcile(self, fact_id: str, *, namespace: str | None = None) -> list[HistoryEntry]:
        from urllib.parse import quote

        from graphmem.views import HistoryEntry

        body = self._call("POST", f"{self._ns(namespace)}/facts/{quote(fact_id, safe='')}/undo")
        return [HistoryEntry.model_validate(e) for e in body["history"]]


def _when(value: datetime | str | None) -> str | None:
    """A time as the REST API takes it (ISO 8601 text); Memory accepts datetimes, so the client does too."""
    return value.isoformat() if isinstance(value, datetime) else value


def _episode_in(item: Mapping[str, Any]) -> dict[str, Any]:
    """An importer message in the REST ``EpisodeIn`` shape (``name``/``text`` are SDK spellings)."""
    out = {
        "content": item.get("content", item.get("text")),
        "speaker": item.get("speaker", item.get("name")),
        "role": item.get("role"),
        "session": item.get("session"),
        "timestamp": item.get("timestamp"),
        "metadata": item.get("metadata"),
        "id": item.get("id"),
        "source": item.get("source"),
        "trust": item.get("trust"),
    }
    return {k: v for k, v in out.items() if v is not None}
