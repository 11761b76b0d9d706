"""``notebooks/``: every notebook runs top to bottom on the embedded store, and is committed clean.

Each notebook is executed with nbclient in a fresh kernel of *this* interpreter (a kernelspec written to
a temporary folder points at ``sys.executable``, so neither a user-level ``python3`` kernelspec nor
another virtualenv can be picked up by accident). Any cell error fails the test with the cell's
traceback. The notebooks hold their own assertions on what they demonstrate, so a notebook that runs
but shows a wrong answer fails too.

The committed files must have no outputs and no execution counts (outputs are produced here, in a
temporary copy, never written back).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXPECTED = [
    "01_quickstart.ipynb",
    "02_multi_hop_retrieval.ipynb",
    "03_facts_over_time.ipynb",
    "04_cypher_exploration.ipynb",
    "05_rest_api.ipynb",
]
KERNEL_NAME = "graphmem-test-python"
CELL_TIMEOUT_S = 300
"""Per cell; the first cell that touches the memory loads spaCy and MiniLM (seconds, not minutes)."""


def test_the_five_notebooks_are_there() -> None:
    assert [path.name for path in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    assert set(nb.metadata) <= {"kernelspec", "language_info"}, "strip widget state and other metadata"
    assert nb.cells and nb.cells[0].cell_type == "markdown", "a notebook opens by saying what it shows"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: cell {cell.id} has outputs"
            assert cell.execution_count is None, f"{path.name}: cell {cell.id} has an execution count"
        assert not cell.metadata.get("execution"), f"{path.name}: cell {cell.id} has execution metadata"
    raw = json.loads(path.read_text())
    assert all("outputs" not in c or c["outputs"] == [] for c in raw["cells"])


@pytest.fixture(scope="module")
def kernel_specs(tmp_path_factory: pytest.TempPathFactory) -> KernelSpecManager:
    """A kernelspec for this interpreter only, in a private folder."""
    folder = tmp_path_factory.mktemp("kernels")
    spec = folder / KERNEL_NAME
    spec.mkdir()
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "graphmem tests",
                "language": "python",
                "env": {
                    "HF_HUB_OFFLINE": "1",
                    "TRANSFORMERS_OFFLINE": "1",
                    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
                },
            }
        )
    )
    return KernelSpecManager(kernel_dirs=[str(folder)], ensure_native_kernel=False)


def _kernel_env() -> dict[str, str]:
    """This process's environment without GRAPHMEM_* settings: the notebooks run on the embedded store
    even where the suite is pointed at Neo4j (GRAPHMEM_BACKEND / GRAPHMEM_NEO4J_URI)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHMEM_")}
    env["GRAPHMEM_THREADS"] = "1"
    return env


def _outputs_text(nb: nbformat.NotebookNode) -> str:
    texts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text", "") or json.dumps(output.get("data", {}))[:2000])
    return "\n".join(texts)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path: Path, kernel_specs: KernelSpecManager, tmp_path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    km = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=kernel_specs)
    client = NotebookClient(
        nb,
        km=km,
        timeout=CELL_TIMEOUT_S,
        allow_errors=False,
        record_timing=True,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    try:
        client.execute(env=_kernel_env())
    except CellExecutionError as error:  # the message holds the failing cell and its traceback
        pytest.fail(f"{path.name} failed:\n{error}")
    finally:  # nbclient leaves a kernel manager it was handed running: stop the kernel here
        if km.has_kernel:
            km.shutdown_kernel()  # graceful: the kernel runs its atexit hooks (notebook 5 stops its server)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code), "every code cell ran"
    errors = [o for cell in code for o in cell.outputs if o.output_type == "error"]
    assert not errors
    assert _outputs_text(nb).strip(), "a walkthrough shows something"
    # Executing must never write outputs back into the committed file.
    assert all(c.outputs == [] for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")


def test_readme_links_the_notebooks_and_the_docker_setup() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in EXPECTED:
        assert f"notebooks/{name}" in readme, f"README does not link notebooks/{name}"
    assert "docker/compose.yaml" in readme and "## Run on Neo4j" in readme
