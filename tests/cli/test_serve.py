"""`graphmem serve` runs the REST API over the store; while it runs the CLI says the store is taken,
and `--server URL` makes the same commands over HTTP with the same --json output.

The server is a real subprocess (uvicorn on `graphmem.api.app:create_app`), stopped at the end of the module.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from graphmem.cli import app
from graphmem.model import entity_key

from .conftest import CONVERSATION


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    path = tmp_path_factory.mktemp("served") / "memory"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = path.parent / "serve.log"  # a file, not a pipe: a chatty server must never block on a full pipe
    command = [sys.executable, "-m", "graphmem", "--path", str(path), "serve", "--port", str(port)]
    handle = log.open("w")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=handle)
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                pytest.fail(f"graphmem serve exited early: {log.read_text()}")
            try:
                if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("graphmem serve did not answer /v1/health within 180 s")
            time.sleep(0.5)
        yield url, path
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        handle.close()


def test_the_store_is_taken_while_the_server_runs(runner: CliRunner, server: tuple[str, Path]) -> None:
    _, path = server
    result = runner.invoke(app, ["--path", str(path), "stats"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "graphmem serve" in result.stderr


def test_commands_over_http(runner: CliRunner, server: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = server

    def remote(*args: str) -> object:
        result = runner.invoke(app, ["--server", url, "-n", "remote", "--json", *args])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    chat = tmp_path / "chat.jsonl"
    chat.write_text("".join(json.dumps(m) + "\n" for m in CONVERSATION), encoding="utf-8")
    [imported] = remote("import", str(chat))
    assert imported["namespace"] == "remote" and len(imported["episode_ids"]) == len(CONVERSATION)
    added = remote("add", "I love jazz.", "--speaker", "Maria", "--id", "r1")
    assert added["episode_ids"] == ["r1"]

    facts = remote("facts", "--subject", "Maria", "--predicate", "lives_in", "--history")
    assert [entity_key(f["object"]) for f in facts] == ["lisbon"]
    assert [entity_key(h["object"]) for h in facts[0]["history"]] == ["paris"]
    history = remote("history", "--subject", "Maria", "--predicate", "lives_in")
    assert [e["fact"]["status"] for e in history] == ["superseded", "active"]
    found = remote("search", "Where does Maria's sister live?")
    assert "porto" in [entity_key(f["object"]) for f in found["facts"][:3]]
    assert remote("explain", "Where does Maria's sister live?")["depth"] >= 2
    assert remote("entity", "Anna")["name"] == "Anna"
    assert remote("stats")["counts"]["episodes"] == len(CONVERSATION) + 1
    query = "MATCH (e:Episode) WHERE e.namespace = $ns RETURN count(*) AS n"
    rows = remote("cypher", query, "-p", "ns=remote")
    assert rows == [{"n": len(CONVERSATION) + 1}]
    assert remote("forget", "--episode", "r1")["episodes"] == 1

    missing = runner.invoke(app, ["--server", url, "-n", "remote", "entity", "Nobody"])
    assert missing.exit_code == 1 and missing.stderr.startswith("Error: no entity 'Nobody'")
    refused = runner.invoke(app, ["--server", url, "cypher", "CREATE (n:Entity {uid: 'x'})"])
    assert refused.exit_code == 1 and refused.stderr.startswith("Error: read-only Cypher refused")


def test_unreachable_server_is_a_clean_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--server", f"http://127.0.0.1:{_free_port()}", "stats"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot reach the graphmem server at")
