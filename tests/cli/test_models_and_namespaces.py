"""Models load only for the commands that need them, with a one-line notice; an empty namespace says so,
while an empty answer in a namespace with data is an empty list.

The lazy loading is checked in fresh ``python -m graphmem`` processes (in this test process the models
are already loaded and cached), on a store the module's CLI built.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from graphmem.cli import LOADING_NOTICE, app
from graphmem.embed import declared_dimension, default_model_path

from .conftest import Cli

ROOT = Path(__file__).resolve().parents[2]


def _graphmem(cli: Cli, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    argv = [sys.executable, "-m", "graphmem", "--path", str(cli.path), "-n", cli.namespace, *args]
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300, check=False)


def test_read_commands_load_no_model(built: Cli) -> None:
    checks = {
        "stats": lambda out: json.loads(out)["counts"]["episodes"] == 5,
        "cypher": lambda out: len(json.loads(out)) == 1,
        "facts": lambda out: any(f["object"] == "Lisbon" for f in json.loads(out)),
    }
    commands = {
        "stats": ["--json", "stats"],
        "cypher": ["--json", "cypher", "MATCH (e:Episode) RETURN count(e) AS n"],
        "facts": ["--json", "facts", "--subject", "Maria"],
    }
    for name, args in commands.items():
        result = _graphmem(built, *args)
        assert result.returncode == 0, result.stderr
        assert checks[name](result.stdout), result.stdout
        assert "loading" not in result.stderr, (name, result.stderr)


def test_search_says_once_that_it_loads_the_models(built: Cli) -> None:
    result = _graphmem(built, "--json", "search", "Where does Maria live?")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count(LOADING_NOTICE) == 1, result.stderr
    assert json.loads(result.stdout)["facts"], "stdout stays clean JSON"


def test_model_folder_declares_the_dimension_the_model_makes(built: Cli) -> None:
    from graphmem.embed import Encoder

    assert declared_dimension(default_model_path()) == Encoder().encode(["x"]).shape[1] == 384


def test_declared_dimension_of_unknown_or_broken_folders(tmp_path: Path) -> None:
    assert declared_dimension(tmp_path) is None  # no modules.json
    (tmp_path / "modules.json").write_text(
        json.dumps(
            [
                {"type": "sentence_transformers.models.Transformer", "path": ""},
                {"type": "sentence_transformers.models.Pooling", "path": "1_Pooling"},
                {"type": "sentence_transformers.models.Dense", "path": "2_Dense"},
            ]
        )
    )
    (tmp_path / "1_Pooling").mkdir()
    pooling = {
        "word_embedding_dimension": 384,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": True,
    }
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    assert declared_dimension(tmp_path) is None  # 2_Dense/config.json is missing: load and ask the model
    (tmp_path / "2_Dense").mkdir()
    (tmp_path / "2_Dense" / "config.json").write_text(json.dumps({"in_features": 768, "out_features": 256}))
    assert declared_dimension(tmp_path) == 256
    (tmp_path / "modules.json").write_text(json.dumps([{"type": "x.StaticEmbedding", "path": ""}]))
    assert declared_dimension(tmp_path) is None
    (tmp_path / "modules.json").write_text(json.dumps([{"type": "x.Pooling", "path": "1_Pooling"}]))
    assert declared_dimension(tmp_path) == 768  # two pooling modes concatenate


def test_empty_namespace_is_an_error_not_nothing_found(built: Cli) -> None:
    for args in (["search", "Where does Maria live?"], ["facts"], ["facts", "--subject", "Maria"]):
        result = built.runner.invoke(app, ["--path", str(built.path), "-n", "no-such-namespace", *args])
        assert result.exit_code == 1, (args, result.output)
        assert "namespace 'no-such-namespace' holds no data" in result.stderr
        assert result.stdout == ""
    history = built.runner.invoke(
        app, ["--path", str(built.path), "-n", "no-such-namespace", "history", "--subject", "Maria"]
    )
    assert history.exit_code == 1 and "in namespace 'no-such-namespace'" in history.stderr
    ok = built("search", "Where does Maria live?")
    assert ok.exit_code == 0 and "Lisbon" in ok.stdout


def test_empty_results_print_an_empty_json_list(built: Cli) -> None:
    assert built("--json", "facts", "--subject", "Nobody").stdout.strip() == "[]"
    assert built("facts", "--subject", "Nobody", "--json").stdout.strip() == "[]"
    assert built("--jsonl", "facts", "--predicate", "no_such_predicate").stdout == ""
