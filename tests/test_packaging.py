"""What a built wheel ships, checked against the source tree without building one.

An editable install (``make install``, CI's first install) imports straight from the source folders, so a
folder missing from ``pyproject.toml``'s package list or a data file missing from its package-data only
breaks a non-editable install: the Docker image, ``pip install graphmem``. ``.ci/run`` builds and
smoke-tests the real wheel; these checks say which folder or file is missing, in a second.
"""

from __future__ import annotations

import fnmatch
import os
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
IGNORED_DIRS = {"__pycache__"}
DOCUMENTATION = ("*.md",)
"""Files that document a folder for its readers in the repository; the wheel does not need them."""


def _package_folders() -> dict[str, Path]:
    """Every folder of the shipped trees by its dotted package name (``cypher/`` is ``graphmem.cypher``)."""
    # api/ ships as graphmem.api (graphmem/api is a committed link to it); other symlinked folders
    # (graphmem/cypher in a worktree, mapped by package-dir) are skipped in the walk
    roots = {"graphmem": ROOT / "graphmem", "graphmem.api": ROOT / "api"}
    roots.update({name: ROOT / folder for name, folder in SETUPTOOLS.get("package-dir", {}).items()})
    found: dict[str, Path] = {}
    for name, root in roots.items():
        for folder, dirs, _files in os.walk(root):
            here = Path(folder)
            dirs[:] = [d for d in dirs if d not in IGNORED_DIRS and not (here / d).is_symlink()]
            relative = here.relative_to(root)
            found[".".join((name, *relative.parts))] = here
    return found


def test_no_top_level_api_package_and_the_link_is_committed() -> None:
    """A top-level `api` in the wheel collides with any other project that ships one."""
    assert not any(p == "api" or p.startswith("api.") for p in SETUPTOOLS["packages"])
    link = ROOT / "graphmem" / "api"
    assert link.is_symlink() and link.resolve() == (ROOT / "api").resolve()


def test_every_folder_with_files_is_a_declared_package() -> None:
    declared = set(SETUPTOOLS["packages"])
    missing = sorted(
        name
        for name, folder in _package_folders().items()
        if name not in declared and any(f.is_file() for f in folder.iterdir())
    )
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"


def test_declared_packages_exist() -> None:
    folders = _package_folders()
    assert not set(SETUPTOOLS["packages"]) - set(folders)


def test_every_data_file_is_declared_package_data() -> None:
    package_data: dict[str, list[str]] = SETUPTOOLS.get("package-data", {})
    undeclared = []
    for name, folder in _package_folders().items():
        patterns = package_data.get(name, []) + package_data.get("*", [])
        for file in folder.iterdir():
            if not file.is_file() or file.suffix in {".py", ".pyc"}:
                continue
            if any(fnmatch.fnmatch(file.name, p) for p in DOCUMENTATION):
                continue
            if not any(fnmatch.fnmatch(file.name, p) for p in patterns):
                undeclared.append(str(file.relative_to(ROOT)))
    assert not undeclared, f"add to [tool.setuptools.package-data] in pyproject.toml: {undeclared}"


def test_license_is_an_spdx_expression_with_its_file() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert isinstance(project["license"], str), "a TOML table is deprecated (setuptools warns on every build)"
    for pattern in project["license-files"]:
        assert list(ROOT.glob(pattern)), pattern
