"""The /mcp mount of the API app, in-process: the key check runs before MCP, and with no key
configured (open access) only loopback Host names are served (DNS-rebinding guard).

The tools themselves are tested end to end against a real server in ``tests/mcp_server/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

pytest.importorskip("mcp", reason="the MCP endpoint needs the mcp extra: pip install 'graphmem[mcp]'")

from graphmem import Memory
from graphmem.api.app import create_app
from graphmem.config import Settings

INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {},
               "clientInfo": {"name": "test", "version": "0"}},
}  # fmt: skip
HEADERS = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2025-06-18"}
KEY = "mcp-test-key-0123456789abcdef"


def _app(tmp_path: Path, keys: str | None) -> TestClient:
    settings = (
        Settings(path=tmp_path / "memory", api_keys=keys) if keys else Settings(path=tmp_path / "memory")
    )
    return TestClient(create_app(Memory(settings=settings), warm_up=False), base_url="http://127.0.0.1:8000")


def test_open_access_serves_loopback_hosts_only(tmp_path: Path) -> None:
    with _app(tmp_path, None) as client:
        ok = client.post("/mcp", json=INIT, headers=HEADERS)
        assert ok.status_code == 200, ok.text
        for host in ("evil.example", "evil.example:8000", "192.0.2.1:8000"):
            refused = client.post("/mcp", json=INIT, headers={**HEADERS, "Host": host})
            assert refused.status_code in (403, 421), (host, refused.status_code)


def test_keys_are_checked_before_mcp_and_any_host_is_served(tmp_path: Path) -> None:
    with _app(tmp_path, f"{KEY}=maria:read") as client:
        missing = client.post("/mcp", json=INIT, headers=HEADERS)
        assert missing.status_code == 401 and missing.json()["error"]["type"] == "unauthenticated"
        both = client.post(
            "/mcp",
            json=INIT,
            headers={**HEADERS, "Authorization": f"Bearer {KEY}", "X-API-Key": "another-key-0123456789"},
        )
        assert both.status_code == 401  # the REST rule: two different keys are refused
        served = client.post(
            "/mcp", json=INIT, headers={**HEADERS, "X-API-Key": KEY, "Host": "memory.example"}
        )
        assert served.status_code == 200, served.text
