"""Errors: a GraphmemError prints `Error: <message>` on stderr and exits 1; usage errors exit 2.

None of these needs the extractor: they fail before (or without) writing anything.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from graphmem.cli import app, parse_param

from .conftest import Cli


def test_invalid_namespace_is_a_clean_error(cli: Cli) -> None:
    result = cli.runner.invoke(app, ["--path", str(cli.path), "-n", "bad/namespace", "stats"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: invalid namespace 'bad/namespace'")
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_debug_adds_the_traceback_and_leaves_logging_as_it_was(cli: Cli) -> None:
    logger = logging.getLogger("graphmem")
    level, handlers = logger.level, list(logger.handlers)
    result = cli.runner.invoke(app, ["--debug", "--path", str(cli.path), "-n", "bad/namespace", "stats"])
    assert result.exit_code == 1
    assert "Traceback" in result.stderr and "Error: invalid namespace" in result.stderr
    assert (logger.level, logger.handlers) == (level, handlers)


def test_usage_errors_exit_2(cli: Cli) -> None:
    assert cli("no-such-command").exit_code == 2
    assert cli("search").exit_code == 2  # missing QUERY
    assert cli("search", "x", "-k", "0").exit_code == 2
    bad_meta = cli("add", "hello", "--metadata", "{not json")
    assert bad_meta.exit_code == 2 and "--metadata" in bad_meta.output
    assert cli("add", "hello", "--metadata", "[1, 2]").exit_code == 2
    assert cli("cypher", "RETURN 1", "--param", "no-equals-sign").exit_code == 2
    assert cli("cypher").exit_code == 2  # neither QUERY nor --file
    assert cli("forget").exit_code == 2  # neither --episode nor --all
    assert cli("--backend", "sqlite", "stats").exit_code == 2
    assert cli("import", "x.jsonl", "--format", "csv").exit_code == 2


def test_read_only_cypher_refuses_writes(cli: Cli) -> None:
    result = cli("cypher", "CREATE (e:Entity {uid: 'x'}) RETURN e")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: read-only Cypher refused")


def test_malformed_cypher(cli: Cli) -> None:
    result = cli("cypher", "MATCH (e:Entity RETURN e")
    assert result.exit_code == 1 and result.stderr.startswith("Error: ")


def test_cypher_on_an_empty_store_prints_an_empty_json_list(cli: Cli) -> None:
    query = "MATCH (e:Entity) WHERE e.namespace = $ns RETURN e.name AS name"
    rows = cli.json("cypher", query, "-p", "ns=nobody")
    assert rows == []
    assert cli.json("cypher", "RETURN 1 + $x AS y", "-p", "x=41") == [{"y": 42}]


def test_history_needs_a_subject_or_fact(cli: Cli) -> None:
    result = cli("history")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: history needs subject=")


def test_unknown_entity_and_fact(cli: Cli) -> None:
    result = cli("entity", "Nobody")
    assert result.exit_code == 1 and result.stderr.startswith("Error: no entity 'Nobody'")
    result = cli("undo", "f_missing")
    assert result.exit_code == 1 and result.stderr.startswith("Error: no fact 'f_missing'")


def test_reading_an_empty_namespace_says_it_holds_no_data(cli: Cli) -> None:
    for args in (["--json", "facts", "--subject", "Nobody"], ["--jsonl", "facts"]):
        result = cli(*args)
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr.startswith(f"Error: namespace {cli.namespace!r} holds no data")


def test_import_errors_name_the_line(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"content": "fine"}\n{"content": broken}\n', encoding="utf-8")
    result = cli("import", str(bad))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "bad.jsonl:2: invalid JSON" in result.stderr
    missing = cli("import", str(tmp_path / "missing.jsonl"))
    assert missing.exit_code == 1 and "no such file" in missing.stderr


def test_stats_json_on_an_empty_namespace(cli: Cli) -> None:
    stats = cli.json("stats")
    assert stats["namespace"] == cli.namespace and stats["backend"] == "kuzu"
    assert stats["path"] == str(cli.path)
    assert stats["counts"]["episodes"] == 0 and stats["counts"]["facts"] == 0


def test_bench_option_errors(cli: Cli, tmp_path: Path) -> None:
    result = cli("bench", "ingest")
    assert result.exit_code == 2 and "needs 'data'" in result.output
    result = cli("bench", "ingest", "--data", str(tmp_path / "x.json"), "--set", "colour=red")
    assert result.exit_code == 2 and "does not take colour" in result.output
    result = cli("bench", "ingest", "--data", str(tmp_path / "missing.json"))
    assert result.exit_code == 1 and "no such file" in result.stderr


def test_parse_param() -> None:
    assert parse_param("k=5") == ("k", 5)
    assert parse_param("flag=true") == ("flag", True)
    assert parse_param("name=Maria") == ("name", "Maria")
    assert parse_param('name="42"') == ("name", "42")
    assert parse_param("since=2023-01-01") == ("since", "2023-01-01")
    assert parse_param("empty=") == ("empty", "")


def test_locked_store_says_who_holds_it(runner: CliRunner, tmp_path: Path) -> None:
    """A store held by another process (a running `graphmem serve`) gives a clear error, exit 1."""
    path = tmp_path / "locked"
    code = (
        "import sys\nfrom graphmem.store.kuzu import KuzuStore\n"
        f"s = KuzuStore({str(path)!r})\ns.open(dimension=384)\nprint('ready', flush=True)\nsys.stdin.read()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        result = runner.invoke(app, ["--path", str(path), "stats"])
        assert result.exit_code == 1
        assert result.stderr.startswith("Error: ") and "open in another process" in result.stderr
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
    after = runner.invoke(app, ["--path", str(path), "--json", "stats"])  # released: usable again
    assert json.loads(after.stdout)["counts"]["facts"] == 0
