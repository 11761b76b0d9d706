"""Shared pieces of the MCP tests: the demo memory on disk, and how to run graphmem as a subprocess.

The servers under test are real processes (``python -m graphmem ... mcp`` / ``... serve``) talked to
by the MCP SDK's own client, so these tests cover what an MCP client really sees: tool schemas, the
JSON results, tool errors, and HTTP status codes of the key check.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import Any

import pytest

from graphmem import Memory
from graphmem.demo import DEMO_NAMESPACE, load_conversation

pytest.importorskip("mcp", reason="the MCP tests need the mcp extra: pip install 'graphmem[mcp]'")

from mcp.types import CallToolResult

REPO = Path(__file__).resolve().parents[2]

TOOLS = {
    "remember",
    "recall",
    "facts",
    "history",
    "entity",
    "explain",
    "forget",
    "feedback",
    "start_session",
    "end_session",
    "add_insight",
    "stats",
}


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a graphmem subprocess: this checkout first on the path, offline models,
    the test run's GRAPHMEM_* settings (threads, model paths), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k.startswith(("GRAPHMEM_", "HF_", "OMP_", "TOKENIZERS_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])
    env["HF_HUB_OFFLINE"] = "1"
    env.update(extra)
    return env


def graphmem_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "graphmem", *args]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ok(result: CallToolResult) -> Any:
    """The structured result of a tool call that must have succeeded (lists come as ``{"result": [...]}``)."""
    assert not result.is_error, result.content
    data = result.structured_content
    assert data is not None
    return data["result"] if set(data) == {"result"} else data


def error_text(result: CallToolResult) -> str:
    assert result.is_error, result.structured_content
    return " ".join(getattr(c, "text", "") for c in result.content)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `graphmem demo` memory (the sample conversation of graphmem/data), built and closed."""
    path = tmp_path_factory.mktemp("mcp") / "memory"
    messages = load_conversation()["messages"]
    with Memory(path=path, namespace=DEMO_NAMESPACE) as mem:
        mem.add_many(messages, batch_size=len(messages))
    return path
