"""Property-based fuzzing of the whole OpenAPI schema with schemathesis, through the real app.

Every operation of the schema gets generated requests in both of schemathesis' modes: *positive*
(requests that fit the schema) and *negative* (requests that break it), sent with an admin key over
seeded data. The checks: no 5xx, every status code is one the operation documents, and responses
match their documented schema and content type. The run is bounded (``MAX_EXAMPLES`` per operation and
mode: about 830 requests over 18 operations, no deadline, derandomised so CI is repeatable) and takes
about half a minute on two cores once the models are loaded.

schemathesis' own pytest integration (``schemathesis.pytest.from_fixture``) fails on pytest 9
(``'Function' object has no attribute '_nodeid'``), so each operation is driven directly through
``APIOperation.as_strategy`` with hypothesis, one pytest case per operation and mode.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from api_support import ADMIN, KEYS, Api
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from graphmem import Memory
from graphmem.api.app import create_app
from graphmem.config import Settings

MAX_EXAMPLES = 25
HEADERS = {"Authorization": f"Bearer {ADMIN}", "X-API-Key": ADMIN}
"""Both key headers: schemathesis also generates the X-API-Key header parameter, and a different key
there would turn most requests into 401s (auth itself is tested in test_api_auth)."""
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _cases() -> list[tuple[str, str, GenerationMode]]:
    """(method, path, mode) for every operation of the schema, read from an app that is built but never
    started (no store is opened). An operation without parameters or body has no negative cases."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Memory(settings=Settings(path=Path(tmp) / "unused", api_keys=KEYS)))
        paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    cases: list[tuple[str, str, GenerationMode]] = []
    for path, ops in paths.items():
        for method, op in ops.items():
            cases.append((method.upper(), path, GenerationMode.POSITIVE))
            if op.get("parameters") or op.get("requestBody"):
                cases.append((method.upper(), path, GenerationMode.NEGATIVE))
    return cases


@pytest.fixture(scope="module")
def api_schema(api: Api) -> Any:
    api.seed("maria")
    return schemathesis.openapi.from_asgi("/openapi.json", api.app)


@pytest.mark.parametrize("method, path, mode", _cases(), ids=lambda v: str(v))
def test_fuzz(api_schema: Any, method: str, path: str, mode: GenerationMode) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(headers=HEADERS, checks=CHECKS)

    run()
