"""Smoke test of a built wheel installed non-editably (run by .ci/run in a second venv, outside the repo).

An editable install imports from the source tree, which hides a package or data file the wheel forgot.
This imports graphmem and the REST app from the installed wheel (and checks they come from there), runs
one add + search on an embedded store (which reads the shipped Cypher files) and ``graphmem --help``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path


def main() -> None:
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # nothing of the repository on sys.path; the app's default store lands here
        check(site, Path(tmp))


def check(site: Path, tmp: Path) -> None:
    import importlib.util

    import graphmem
    import graphmem.api.app
    from graphmem import Memory

    # the REST app ships inside the graphmem namespace: a top-level `api` would collide with other projects
    assert importlib.util.find_spec("api") is None, "the wheel installs a top-level package named `api`"
    for module in (graphmem, graphmem.api.app):
        where = Path(module.__file__ or "").resolve()
        assert site in where.parents, f"{module.__name__} imported from {where}, not the wheel in {site}"
    app = graphmem.api.app.create_app()

    from fastapi.testclient import TestClient  # the graph page and its vendored scripts are in the wheel

    for url in ("/ui/", "/ui/static/app.js", "/ui/static/vendor/cytoscape/cytoscape.min.js", "/docs"):
        assert TestClient(app).get(url).status_code == 200, url

    with Memory(path=tmp / "store") as mem:
        mem.add("I live in Lisbon.", speaker="Maria", namespace="smoke", timestamp="2024-03-01T10:00:00Z")
        facts = mem.search("Where does Maria live?", namespace="smoke").facts
        assert facts and facts[0].object == "Lisbon", facts

    script = Path(sys.executable).parent / "graphmem"
    out = subprocess.run([str(script), "--help"], check=True, capture_output=True, text=True).stdout
    assert "search" in out, out
    print(f"wheel smoke test passed: graphmem {graphmem.__file__}")


if __name__ == "__main__":
    main()
