"""Backend fixtures for the store suite: every conformance test runs once per backend.

Kuzu always runs (a fresh directory per test). Neo4j runs against ``GRAPHMEM_NEO4J_URI`` when it is
set, else against a testcontainers ``neo4j:5.26`` when a Docker daemon answers; otherwise its cases
skip with one line saying why. A Neo4j server is shared by every test, so each test works in its own
randomly named namespaces and deletes them afterwards; tests never assume the server is empty.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from graphmem.store.base import GraphStore
from graphmem.store.kuzu import KuzuStore

__all__ = ["DIMENSION", "KNOWN_BUGS", "Backend"]

DIMENSION = 8
"""Small, so tests use hand-made vectors whose similarities are known exactly."""

NEO4J_IMAGE = "neo4j:5.26"
NO_NEO4J = "Neo4j backend: no GRAPHMEM_NEO4J_URI and no Docker daemon (testcontainers) on this machine"


@dataclass
class Backend:
    """One backend under test: the open store, how to open another handle on the same database,
    and unique namespaces (so tests sharing a Neo4j server never see each other's data)."""

    name: str
    store: GraphStore
    new_store: Callable[[], GraphStore]
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:10])
    namespaces: list[str] = field(default_factory=list)

    def ns(self, label: str) -> str:
        """The namespace this test calls ``label`` (unique on a shared server)."""
        name = f"t{self.tag}_{label}"
        if name not in self.namespaces:
            self.namespaces.append(name)
        return name


# --- known backend bugs -------------------------------------------------------------------------

KNOWN_BUGS: dict[str, str] = {}
"""Test id -> the backend bug that makes it fail. Entries become strict xfails: once the bug is fixed
the test passes, the xfail turns into a failure, and the entry must be deleted here."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if item.path.parent != here:
            continue  # this hook sees the whole session's items; only this folder's are ours
        reason = KNOWN_BUGS.get(item.name)
        if reason is not None:
            item.add_marker(pytest.mark.xfail(strict=True, reason=reason))


# --- Neo4j discovery ----------------------------------------------------------------------------


def _docker_answers(timeout_s: float = 2.0) -> bool:
    """``docker info`` exits 0 only when a daemon answers; the CLI alone is not enough."""
    if shutil.which("docker") is None:
        return False
    try:
        done = subprocess.run(["docker", "info"], capture_output=True, timeout=timeout_s, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[dict[str, Any]]:
    """Connection settings of a Neo4j server, or a skip with one line of reason."""
    try:
        import graphmem.store.neo4j  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"Neo4j backend: graphmem.store.neo4j cannot be imported ({exc})")
    uri = os.environ.get("GRAPHMEM_NEO4J_URI")
    if uri:
        yield {
            "uri": uri,
            "user": os.environ.get("GRAPHMEM_NEO4J_USER", "neo4j"),
            "password": os.environ.get("GRAPHMEM_NEO4J_PASSWORD", ""),
            "database": os.environ.get("GRAPHMEM_NEO4J_DATABASE") or None,
        }
        return
    if not _docker_answers():
        pytest.skip(NO_NEO4J)
    from testcontainers.community.neo4j import Neo4jContainer

    container = Neo4jContainer(NEO4J_IMAGE, password="graphmem-test")
    container.start()
    try:
        yield {
            "uri": container.get_connection_url(),
            "user": container.username,
            "password": container.password,
            "database": None,
        }
    finally:
        container.stop()


# --- the parametrised store ---------------------------------------------------------------------


def _kuzu(tmp_path: Path) -> Backend:
    path = tmp_path / "kuzu-store"

    def new_store() -> GraphStore:
        return KuzuStore(path, buffer_pool_mb=64)

    store = new_store()
    store.open(dimension=DIMENSION)
    return Backend("kuzu", store, new_store)


def _neo4j(request: pytest.FixtureRequest) -> Backend:
    server = request.getfixturevalue("neo4j_server")
    from graphmem.store.neo4j import Neo4jStore

    def new_store() -> GraphStore:
        return Neo4jStore(server["uri"], server["user"], server["password"], database=server["database"])

    store = new_store()
    store.open(dimension=DIMENSION)
    return Backend("neo4j", store, new_store)


@pytest.fixture(params=["kuzu", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """An open store of each backend, cleaned up after the test."""
    made = _kuzu(tmp_path) if request.param == "kuzu" else _neo4j(request)
    yield made
    if made.name == "neo4j":
        cleaner = made.new_store()
        cleaner.open(dimension=DIMENSION)
        try:
            for namespace in made.namespaces:
                cleaner.delete_namespace(namespace)
        finally:
            cleaner.close()
    made.store.close()


@pytest.fixture
def store(backend: Backend) -> GraphStore:
    return backend.store
