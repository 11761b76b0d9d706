"""Neo4j's own parser checks every Neo4j Cypher file graphmem ships, offline.

No Neo4j server runs on these machines, so the Neo4j queries are never executed here; instead
``cypher_check/check.mjs`` feeds each statement to ``@neo4j-cypher/language-support`` (Neo4j's
Cypher grammar plus its semantic analysis compiled to JavaScript, with the procedure and function
signatures of a real server) in one node process. The package is pinned exactly to 2.0.0-next.20:
the newest release (next.38) declares node >= 24.11.1 while these machines have node 20, and next.20
is the newest that declares node 18+.

``npm ci`` installs the pinned tree once per session (skipped when ``node_modules`` already matches
the committed lock file); without node or npm the tests skip with one line saying so.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from graphmem.store.queries import QueryBook

CHECK_DIR = Path(__file__).parent / "cypher_check"
ROOT = Path(__file__).resolve().parents[2]
NEO4J_DIR = ROOT / "cypher" / "neo4j"
COMMON_DIR = ROOT / "cypher" / "common"  # spelled the same in both dialects: Neo4j runs these too
EXAMPLES_DIR = ROOT / "cypher" / "examples" / "neo4j"

Report = dict[str, Any]
Checker = Callable[[Sequence[Path]], Report]


def _lock_is_installed() -> bool:
    """node_modules holds exactly the versions of the committed lock file (npm's hidden lock agrees)."""
    hidden = CHECK_DIR / "node_modules" / ".package-lock.json"
    if not hidden.is_file():
        return False
    wanted = json.loads((CHECK_DIR / "package-lock.json").read_text())["packages"]
    present = json.loads(hidden.read_text())["packages"]
    return all(
        present.get(path, {}).get("version") == entry.get("version") for path, entry in wanted.items() if path
    )


@pytest.fixture(scope="session")
def check_cypher() -> Checker:
    """Run check.mjs over some files or folders in one node process and return its JSON report."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("Cypher syntax check: node and npm are needed (node 20+), and one is not on PATH")
    if not _lock_is_installed():
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--prefer-offline"],
            cwd=CHECK_DIR,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(f"npm ci in {CHECK_DIR} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")

    def run(paths: Sequence[Path]) -> Report:
        done = subprocess.run(
            [node, "check.mjs", *map(str, paths)],
            cwd=CHECK_DIR,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if done.returncode not in (0, 1):
            pytest.fail(f"check.mjs crashed (exit {done.returncode}):\n{done.stderr[-3000:]}")
        report: Report = json.loads(done.stdout)
        report["exit"] = done.returncode
        return report

    return run


def _render(diagnostics: list[dict[str, Any]]) -> str:
    lines = []
    for d in diagnostics:
        path = Path(d["file"])
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        lines.append(f"{shown}:{d['line']}:{d['column']}: {d['severity']}: {d['message']}")
    return "\n".join(lines)


def test_every_neo4j_cypher_file_passes_neo4js_parser(check_cypher: Checker) -> None:
    folders = [f for f in (NEO4J_DIR, COMMON_DIR, EXAMPLES_DIR) if f.is_dir()]
    files = sorted(p for folder in folders for p in folder.glob("*.cypher"))
    assert len(files) >= 60, f"expected the Neo4j query files under {NEO4J_DIR}, found {len(files)}"
    report = check_cypher(folders)

    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert not errors, "Neo4j's parser rejects:\n" + _render(errors)
    # graphmem's own queries are also free of warnings (deprecations, accidental cartesian products)
    ours = [d for d in report["diagnostics"] if Path(d["file"]).parent in (NEO4J_DIR, COMMON_DIR)]
    assert not ours, "Neo4j's parser warns about:\n" + _render(ours)
    assert report["exit"] == 0
    assert report["files"] == len(files)
    # the checker split each file into the same statements the backend will send
    book = QueryBook("neo4j")
    for path in [*NEO4J_DIR.glob("*.cypher"), *COMMON_DIR.glob("*.cypher")]:
        assert report["per_file"][str(path)] == len(book[path.stem].statements), path.name


PLANTED = {
    "syntax.cypher": (
        "// a comment line first, so the position is checked too\nMATCH (n RETURN n\n",
        2,
        "Invalid input 'RETURN'",
    ),
    "undefined_variable.cypher": ("MATCH (n:Fact) RETURN m.id AS id\n", 1, "Variable `m` not defined"),
    "unknown_procedure.cypher": (
        "CALL db.index.vector.queryNode('x', 3, $v) YIELD node RETURN node\n",
        1,
        "Procedure db.index.vector.queryNode is not present",
    ),
    "wrong_yield.cypher": (
        "CALL db.index.fulltext.queryNodes('x', $q) YIELD nodes RETURN nodes\n",
        1,
        "Unknown procedure output: `nodes`",
    ),
    "apoc.cypher": ("MATCH (n:Entity) RETURN apoc.text.join(n.aliases, ',') AS a\n", 1, "APOC and GDS"),
    "two_statements.cypher": (
        "MATCH (n) RETURN n; MATCH (m) DETACH DELETE m\n",
        1,
        "2 statements in one chunk",
    ),
    "second_chunk.cypher": (
        "MATCH (n:Fact) RETURN n.id AS id\n;\n\nMATCH (n:Fact RETURN n\n",
        4,
        "Invalid input",
    ),
}


def test_planted_errors_are_caught(check_cypher: Checker, tmp_path: Path) -> None:
    """The check is not vacuous: each kind of mistake it claims to catch is reported where it is."""
    for name, (text, _, _) in PLANTED.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    good = tmp_path / "good.cypher"
    good.write_text("// fine\nMATCH (f:Fact {uid: $uid})\nRETURN f.id AS id, labels(f)[0] AS kind\n", "utf-8")
    report = check_cypher([tmp_path])

    assert report["exit"] == 1
    assert report["files"] == len(PLANTED) + 1
    by_file: dict[str, list[dict[str, Any]]] = {}
    for d in report["diagnostics"]:
        by_file.setdefault(Path(d["file"]).name, []).append(d)
    assert "good.cypher" not in by_file, _render(by_file["good.cypher"])
    for name, (_, line, message) in PLANTED.items():
        found = [d for d in by_file.get(name, []) if d["severity"] == "error" and message in d["message"]]
        got = _render(by_file.get(name, []))
        assert found, f"{name}: expected an error containing {message!r}, got:\n{got}"
        assert found[0]["line"] == line, _render(found)
