"""CLI tests drive ``graphmem`` in-process with Typer's CliRunner against a real embedded store.

The spaCy model and the encoder load once per test session (they are cached per process); each
module shares one store, built through the CLI itself (``graphmem import``), so the tests also
exercise the path a user takes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from graphmem.cli import app

CONVERSATION = [
    {
        "id": "t1",
        "session": "s1",
        "name": "Maria",
        "timestamp": "2023-03-01T10:00:00Z",
        "content": "I live in Paris.",
    },
    {
        "id": "t2",
        "session": "s1",
        "name": "Maria",
        "timestamp": "2023-03-01T10:01:00Z",
        "content": "My sister Anna lives in Porto.",
    },
    {
        "id": "t3",
        "session": "s1",
        "role": "assistant",
        "timestamp": "2023-03-01T10:02:00Z",
        "content": "That is lovely.",
    },
    {
        "id": "t4",
        "session": "s1",
        "name": "Maria",
        "timestamp": "2023-03-01T10:03:00Z",
        "content": "Anna's husband Tom works at Siemens.",
    },
    {
        "id": "t5",
        "session": "s2",
        "name": "Maria",
        "timestamp": "2024-02-10T09:00:00Z",
        "content": "I moved to Lisbon last month.",
    },
]


@dataclass
class Cli:
    """Runs ``graphmem --path <store> -n <namespace> ...`` and parses --json output."""

    runner: CliRunner
    path: Path
    namespace: str = "clitest"

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return self.runner.invoke(app, ["--path", str(self.path), "-n", self.namespace, *args], input=input)

    def json(self, *args: str) -> Any:
        """``graphmem ... --json <command> ...``: must succeed and print one JSON document."""
        result = self("--json", *args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture(scope="session")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def conversation_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("conversation") / "chat.jsonl"
    path.write_text("".join(json.dumps(m) + "\n" for m in CONVERSATION), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cli(runner: CliRunner, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """A CLI bound to a fresh, empty store for the module."""
    return Cli(runner, tmp_path_factory.mktemp("store") / "memory")


@pytest.fixture(scope="module")
def built(cli: Cli, conversation_file: Path) -> Iterator[Cli]:
    """The module's store with the test conversation imported through ``graphmem import``."""
    result = cli("--json", "import", str(conversation_file))
    assert result.exit_code == 0, result.output
    yield cli
