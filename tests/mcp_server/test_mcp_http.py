"""MCP over streamable HTTP on a real `graphmem serve` process: the same keys and namespaces as REST.

Keys: one for namespace `maria` (read+write), one read-only for `maria`, one for `bob`. Checked: a
missing or unknown key is refused with the REST 401 before any MCP message is read; a key's sole
namespace is its default; another namespace and a missing scope are tool errors that change nothing;
REST keeps working beside /mcp.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from graphmem.model import entity_key

from .conftest import TOOLS, child_env, error_text, free_port, graphmem_command, ok

MARIA = "maria-key-0123456789abcdef0123456789"
READER = "maria-reader-0123456789abcdef012345"
BOB = "bob-key-0123456789abcdef0123456789ab"
WRITER = "maria-writer-0123456789abcdef012345"
KEYS = f"{MARIA}=maria:read+write;{READER}=maria:read;{BOB}=bob:read+write;{WRITER}=maria:write"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("mcp-http") / "memory"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = path.parent / "serve.log"  # a file, not a pipe: a chatty server must never block on a full pipe
    handle = log.open("w")
    command = graphmem_command("--path", str(path), "serve", "--port", str(port))
    process = subprocess.Popen(
        command, env=child_env(GRAPHMEM_API_KEYS=KEYS), stdout=subprocess.DEVNULL, stderr=handle
    )
    try:
        deadline = time.monotonic() + 240
        while True:
            if process.poll() is not None:
                pytest.fail(f"graphmem serve exited early: {log.read_text()}")
            try:
                if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("graphmem serve did not answer /v1/health within 240 s")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        handle.close()


def _client(url: str, key: str | None) -> Client:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    http = httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(240.0))
    return Client(streamable_http_client(f"{url}/mcp", http_client=http), read_timeout_seconds=240)


def _run(coro: Any) -> Any:
    return asyncio.run(asyncio.wait_for(coro, timeout=600))


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-configured-key-000000000000"},
        {"X-API-Key": "not-a-configured-key-000000000000"},
    ],
)
def test_no_or_unknown_key_is_refused_before_mcp(server: str, headers: dict[str, str]) -> None:
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    response = httpx.post(
        f"{server}/mcp",
        json=body,
        timeout=30,
        headers={**headers, "Accept": "application/json, text/event-stream"},
    )
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "unauthenticated"
    assert response.headers["www-authenticate"] == "Bearer"


def test_sdk_client_without_a_key_cannot_connect(server: str) -> None:
    async def connect() -> None:
        async with _client(server, None) as client:
            await client.list_tools()

    # The SDK reports the 401 as an MCPError ("Server returned an error response") inside task groups.
    with pytest.raises(BaseExceptionGroup) as caught:
        _run(connect())
    assert caught.group_contains(MCPError)


def test_tools_with_keys_and_namespaces(server: str) -> None:
    async def session() -> None:
        async with (
            _client(server, MARIA) as maria,
            _client(server, BOB) as bob,
            _client(server, READER) as reader,
        ):
            assert {t.name for t in (await maria.list_tools()).tools} == TOOLS
            # The key's one namespace is the default: no namespace argument needed.
            added = ok(
                await maria.call_tool(
                    "remember", {"content": "My sister Anna lives in Porto.", "speaker": "Maria", "id": "h1"}
                )
            )
            assert added["namespace"] == "maria" and added["episode_ids"] == ["h1"]
            ok(await bob.call_tool("remember", {"content": "I live in Oslo.", "speaker": "Bob", "id": "b1"}))
            found = ok(await maria.call_tool("recall", {"query": "Where does Maria's sister live?"}))
            assert "porto" in [entity_key(f["object"]) for f in found["facts"][:3]]
            assert all(f["subject"] != "Bob" for f in found["facts"])
            maria_counts = ok(await maria.call_tool("stats", {}))["counts"]

            # Cross-namespace: refused as a tool error naming the namespace; nothing is read or written.
            for name, args in [
                ("recall", {"query": "Where does Bob live?", "namespace": "bob"}),
                ("entity", {"name": "Bob", "namespace": "bob"}),
                ("remember", {"content": "Bob moved to Rome.", "namespace": "bob"}),
                ("forget", {"episode_id": "b1", "namespace": "bob"}),
            ]:
                message = error_text(await maria.call_tool(name, args))
                assert "may not use namespace 'bob'" in message, (name, message)
            bob_facts = ok(await bob.call_tool("facts", {"subject": "Bob"}))
            assert [entity_key(f["object"]) for f in bob_facts] == ["oslo"]
            message = error_text(await bob.call_tool("stats", {"namespace": "maria"}))
            assert "may not use namespace 'maria'" in message

            # A read-only key reads, and is refused every write.
            assert ok(await reader.call_tool("stats", {}))["counts"] == maria_counts
            for name, args in [
                ("remember", {"content": "I live in Rome.", "speaker": "Maria"}),
                ("forget", {"episode_id": "h1"}),
                ("start_session", {"session_id": "s9"}),
            ]:
                assert "lacks the 'write' scope" in error_text(await reader.call_tool(name, args)), name
            assert ok(await maria.call_tool("stats", {}))["counts"] == maria_counts

            profile = await maria.read_resource("graphmem://maria/entity/Anna")
            assert profile.contents[0].text.startswith("# Anna")  # type: ignore[union-attr]
            with pytest.raises(Exception, match="may not use namespace 'bob'"):
                await maria.read_resource("graphmem://bob/entity/Bob")

    _run(session())
    rest = httpx.get(f"{server}/v1/namespaces/maria/stats", headers={"X-API-Key": READER}, timeout=30)
    assert rest.status_code == 200 and rest.json()["counts"]["episodes"] == 1


def test_write_only_key_gets_ids_and_decisions_not_stored_values(server: str) -> None:
    """As in REST: remembering with a key that may not read returns no decision reason or fact text
    (they quote stored values, here the Porto of an earlier episode)."""

    async def session() -> None:
        async with _client(server, WRITER) as writer, _client(server, MARIA) as maria:
            added = ok(
                await writer.call_tool("remember", {"content": "Anna moved to Faro.", "speaker": "Maria"})
            )
            assert added["decisions"] and added["episode_ids"]
            for decision in added["decisions"]:
                assert set(decision) == {"episode_id", "fact_id", "rule", "flags"}
            assert "Porto" not in json.dumps(added)
            full = ok(
                await maria.call_tool("remember", {"content": "Anna moved to Braga.", "speaker": "Maria"})
            )
            assert any(d.get("reason") for d in full["decisions"])

    _run(session())
