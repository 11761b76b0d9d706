"""The README is what a newcomer runs first: its SDK examples run and print what their comments promise,
and it stands alone (no pointers to files a user of the repository does not have).

Convention checked here: in the README's Python blocks, a ``print(...)`` line ending in a quoted comment
(``# "Maria lives in Lisbon ..."``) promises that exact output line.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from graphmem import Memory
from graphmem.errors import InvalidInput

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
USER_CREATED = {"docker/.env"}
"""Files the README tells the user to create (``cp docker/.env.example docker/.env``)."""
PROMISE = re.compile(r'^\s*print\(.*\)\s+# "(?P<out>.+)"\s*$')


def _python_block(after_heading: str) -> str:
    """The first ```python block after a heading line."""
    start = README.index(after_heading)
    match = re.search(r"```python\n(?P<code>.*?)```", README[start:], re.S)
    assert match, f"no python block after {after_heading!r}"
    return match.group("code")


def _run(code: str, scope: dict[str, object]) -> list[str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), scope)
    return out.getvalue().splitlines()


def _check_promises(code: str, printed: list[str]) -> int:
    promises = [m.group("out") for line in code.splitlines() if (m := PROMISE.match(line))]
    for promise in promises:
        assert promise in printed, f"README promises {promise!r}; printed: {printed}"
    return len(promises)


def test_sdk_examples_print_what_they_promise(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    quickstart = _python_block("## Python SDK")
    printed = _run(quickstart, {})
    assert _check_promises(quickstart, printed) >= 3
    plan = printed[printed.index("Maria -sister-> Anna -lives_in-> Porto") + 1 :]
    assert plan[0].startswith("Plan for") and any("because" in line for line in plan), "explain prints a tree"

    with Memory(path="./my-memory") as mem:
        lisbon = mem.facts(namespace="maria", subject="Maria", predicate="lives_in")[0]
        with pytest.raises(InvalidInput) as wrong_id:  # the newer fact: the error names the one to pass
            mem.undo_reconcile(lisbon.id, namespace="maria")
        paris = mem.history(namespace="maria", subject="Maria", predicate="lives_in")[0].fact
        assert paris.object == "Paris" and paris.id in str(wrong_id.value)

        history = _python_block("### Facts that change")
        printed = _run(history, {"mem": mem})
        assert printed[0].startswith("Paris superseded") and printed[1].startswith("Lisbon active")
        current = mem.facts(namespace="maria", subject="Maria", predicate="lives_in")
        assert [f.object for f in current] == ["Paris"], "the undo in the README reopened Paris"


def test_readme_stands_alone() -> None:
    assert "../" not in README, "points outside the repository"
    assert "DESIGN" not in README, "DESIGN.md is not in the repository"
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if "://" not in target:
            assert (ROOT / target).exists(), f"README links to {target}, which does not exist"
    for path in re.findall(r"`((?:scripts|\.ci|cypher|docker|notebooks|tests)/[^`\s]+)`", README):
        if path not in USER_CREATED and "<" not in path:
            assert (ROOT / path).exists(), f"README names {path}, which does not exist"
