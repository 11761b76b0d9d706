"""Every command and bench subcommand is documented and answers --help (sqlite-utils' test_docs)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from graphmem.cli import BENCHMARKS, app

COMMANDS = [
    "demo",
    "add",
    "import",
    "search",
    "explain",
    "facts",
    "history",
    "entity",
    "cypher",
    "stats",
    "forget",
    "undo",
    "serve",
    "bench",
]


def _registered() -> set[str]:
    group = typer.main.get_group(app)
    return set(group.commands)


def test_every_issue_command_is_registered() -> None:
    assert set(COMMANDS) <= _registered()
    bench = typer.main.get_group(app).commands["bench"]
    assert set(BENCHMARKS) <= set(bench.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("args", [[c] for c in COMMANDS] + [["bench", b] for b in BENCHMARKS] + [[]])
def test_help(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(app, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    command = typer.main.get_command(app)
    for name in args:
        command = command.commands[name]  # type: ignore[attr-defined]
    assert command.help and command.help.strip(), f"{args} has no help text"


def test_commands_that_print_results_offer_json(runner: CliRunner) -> None:
    for name in [c for c in COMMANDS if c not in {"serve", "bench"}]:
        assert "--json" in runner.invoke(app, [name, "--help"]).output, name


def test_python_dash_m_graphmem() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "graphmem", "--help"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "graphmem" in result.stdout and "demo" in result.stdout


def test_no_arguments_shows_usage(runner: CliRunner) -> None:
    result = runner.invoke(app, [])
    assert result.exit_code in (0, 2)
    assert "Usage:" in result.output
