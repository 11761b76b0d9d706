"""One API, three ways in: ``Memory``, ``AsyncMemory`` and the HTTP client agree on names and defaults.

mypy proves ``Memory`` and ``RemoteMemory`` satisfy :class:`graphmem.protocol.MemoryAPI`; these tests check
the run-time signatures too (defaults are invisible to a Protocol check) and that the HTTP client's
``namespace=`` really reaches another namespace through the real app.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from api_support import ADMIN, Api
from fastapi.testclient import TestClient

from graphmem import AsyncMemory, Memory
from graphmem.protocol import MemoryAPI
from graphmem.remote import RemoteMemory

PROTOCOL_METHODS = sorted(
    name for name, _ in inspect.getmembers(MemoryAPI, inspect.isfunction) if not name.startswith("_")
)
MEMORY_ONLY_PARAMETERS = {
    "add": {"attachments"},  # media captions: the REST EpisodeIn (api/schemas.py) has no such field yet
    "search": {"now"},  # the question's "now" for relative dates; the REST API dates questions itself
    "explain": {"now"},
    "cypher": {"read_only"},  # the server runs read-only Cypher only
}
"""Parameters ``Memory`` has that the REST API (so the HTTP client and the Protocol) does not carry."""


def _params(function: Callable[..., object]) -> list[inspect.Parameter]:
    return [p for p in inspect.signature(function).parameters.values() if p.name != "self"]


def _shape(params: list[inspect.Parameter]) -> list[tuple[str, object, object, object]]:
    return [(p.name, p.kind, p.default, p.annotation) for p in params]


def test_the_protocol_covers_the_calls_the_client_makes() -> None:
    client = {n for n, _ in inspect.getmembers(RemoteMemory, inspect.isfunction) if not n.startswith("_")}
    assert set(PROTOCOL_METHODS) == client
    assert {"add", "search", "facts", "entity", "cypher", "forget"} <= set(PROTOCOL_METHODS)


@pytest.mark.parametrize("name", PROTOCOL_METHODS)
def test_the_http_client_has_the_protocols_signature(name: str) -> None:
    protocol = inspect.signature(getattr(MemoryAPI, name))
    client = inspect.signature(getattr(RemoteMemory, name))
    assert _shape(_params(getattr(RemoteMemory, name))) == _shape(_params(getattr(MemoryAPI, name)))
    assert client.return_annotation == protocol.return_annotation


@pytest.mark.parametrize("name", PROTOCOL_METHODS)
def test_memory_has_the_protocols_parameters_plus_only_the_listed_extras(name: str) -> None:
    memory = _params(getattr(Memory, name))
    shared = {p.name for p in _params(getattr(MemoryAPI, name))}
    extras = {p.name for p in memory} - shared
    assert extras == MEMORY_ONLY_PARAMETERS.get(name, set())
    in_memory = [p for p in memory if p.name in shared]
    assert _shape(in_memory) == _shape(_params(getattr(MemoryAPI, name)))
    assert all(p.default is not inspect.Parameter.empty for p in memory if p.name in extras)


def test_every_memory_method_has_an_async_twin_with_its_signature() -> None:
    public = {
        name
        for name, _ in inspect.getmembers(Memory, inspect.isfunction)
        if not name.startswith("_") and name not in {"open", "close"}
    }
    for name in sorted(public):
        twin = getattr(AsyncMemory, name, None)
        assert twin is not None, f"AsyncMemory has no {name}"
        assert inspect.iscoroutinefunction(twin), name
        assert twin.__wrapped__ is getattr(Memory, name), f"AsyncMemory.{name} wraps another method"
        assert inspect.signature(twin) == inspect.signature(getattr(Memory, name))


def test_the_http_client_reaches_the_namespace_it_is_given(api: Api) -> None:
    client = TestClient(api.app)
    with RemoteMemory("http://testserver", ADMIN, namespace="parity-default", client=client) as remote:
        told = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
        added = remote.add("I live in Oslo.", speaker="Kari", namespace="parity-other", timestamp=told)
        assert added.namespace == "parity-other"

        assert [f.object for f in remote.facts(namespace="parity-other", subject="Kari")] == ["Oslo"]
        assert remote.facts(subject="Kari") == []  # the client's default namespace holds nothing
        assert remote.facts(namespace="parity-other") == api.memory.facts(namespace="parity-other")

        hits = remote.search("Where does Kari live?", namespace="parity-other", as_of=told)
        assert "Oslo" in {f.object for f in hits.facts}
        assert remote.search("Where does Kari live?").facts == []
        assert (
            remote.stats(namespace="parity-other").counts == api.memory.stats(namespace="parity-other").counts
        )


def test_async_memory_takes_memorys_constructor_parameters() -> None:
    assert _shape(_params(AsyncMemory.__init__)) == _shape(_params(Memory.__init__))
