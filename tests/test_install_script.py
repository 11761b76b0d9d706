"""``scripts/install-pinned-wheels.sh`` on a machine where the CPU wheel of torch cannot be had.

Real pip, offline: no index, no wheel folder, and a PyTorch CPU index that does not answer. The script
must try the configured sources, then the CPU index, then stop with the options and install nothing
(never the CUDA build). The success paths need the 190 MB wheel and were run by hand (a local wheel
folder, a ``file://`` CPU index, a torch already in the venv); see the install notes in the README.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "install-pinned-wheels.sh"


def test_without_any_source_of_the_wheel_it_stops_with_the_options(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    pip = tmp_path / "pip"  # the test runner's pip, installing into the new venv
    pip.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pip --python "{venv}/bin/python" "$@"\n')
    pip.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k != "PYTHONPATH"}
    env.update(
        PIP_CONFIG_FILE=os.devnull,
        PIP_NO_INDEX="1",  # offline: nothing configured, and the CPU index below does not exist
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        TORCH_INDEX_URL=(tmp_path / "no-such-index").as_uri(),
    )
    done = subprocess.run(
        ["sh", str(SCRIPT), str(pip)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 1, done.stderr
    assert "fetching the CPU wheel" in done.stderr and "no-such-index" in done.stderr
    assert "Nothing else was installed. Options:" in done.stderr
    assert "TORCH_INDEX_URL" in done.stderr and "PIP_FIND_LINKS" in done.stderr
    listed = subprocess.run([str(pip), "list", "--format=freeze"], env=env, capture_output=True, text=True)
    assert not [line for line in listed.stdout.splitlines() if line.split("==")[0].lower() != "pip"]
