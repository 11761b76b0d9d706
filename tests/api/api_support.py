"""Shared helpers of the REST API tests: keys, and the real app over a real Memory on a tmp path.

Each test module serves its own store (see ``conftest.api``), so modules cannot see each other's data;
the models load once per process (graphmem caches them). Keys are configured inline, one per role the
tests need. This module has a unique name so test modules can import it whatever else pytest collects.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from graphmem import Memory
from graphmem.api.app import create_app
from graphmem.config import Settings

__all__ = [
    "ADMIN",
    "BOB_RW",
    "KEYS",
    "MARIA_ADMIN",
    "MARIA_RO",
    "MARIA_RW",
    "MARIA_WO",
    "SEED",
    "Api",
    "make_api",
]

ADMIN = "admin-key-0000000000000001"
MARIA_RW = "maria-rw-key-000000000001"
MARIA_RO = "maria-ro-key-000000000001"
MARIA_WO = "maria-wo-key-000000000001"
BOB_RW = "bob-rw-key-00000000000001"
MARIA_ADMIN = "maria-admin-key-000000001"
KEYS = ";".join(
    [
        f"{ADMIN}=*:admin",
        f"{MARIA_RW}=maria|shared:read+write",
        f"{MARIA_RO}=maria:read",
        f"{MARIA_WO}=maria:write",
        f"{BOB_RW}=bob|shared:read+write",
        f"{MARIA_ADMIN}=maria:read+write+admin",
    ]
)
SEED: list[dict[str, Any]] = [
    {
        "content": "I live in Paris. My sister Anna lives in Porto.",
        "speaker": "Maria",
        "timestamp": "2023-01-10T10:00:00Z",
        "id": "ep-1",
    },
    {
        "content": "I moved to Lisbon last month.",
        "speaker": "Maria",
        "timestamp": "2024-03-01T10:00:00Z",
        "id": "ep-2",
    },
    {
        "content": "I like jazz. I like hiking. I own a bicycle.",
        "speaker": "Maria",
        "timestamp": "2024-03-02T10:00:00Z",
        "id": "ep-3",
    },
    {
        "content": "Anna works at the University of Porto. Anna likes tea.",
        "speaker": "Maria",
        "timestamp": "2024-03-03T10:00:00Z",
        "id": "ep-4",
    },
    {
        "content": "My friend Tom works at Google.",
        "speaker": "Maria",
        "timestamp": "2024-03-04T10:00:00Z",
        "id": "ep-5",
    },
]
"""A small conversation: Maria moved from Paris to Lisbon (one supersession), ten current facts."""
MAX_BODY = 64_000
MAX_BATCH = 20


@dataclass
class Api:
    """A TestClient over the app, with the key to send as a keyword (responses are httpx-style)."""

    client: TestClient
    memory: Memory
    app: FastAPI

    def call(self, method: str, path: str, *, key: str | None = MARIA_RW, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", {}) or {})
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        return self.client.request(method, path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.call("POST", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.call("DELETE", path, **kwargs)

    def add(self, namespace: str, content: str, **fields: Any) -> dict[str, Any]:
        """Add one episode as an admin and return the AddResult JSON (fails the test on error)."""
        response = self.post(
            f"/v1/namespaces/{namespace}/episodes", key=ADMIN, json={"content": content, **fields}
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def seed(self, namespace: str) -> dict[str, Any]:
        """Add :data:`SEED` to ``namespace`` in one batch."""
        response = self.post(f"/v1/namespaces/{namespace}/episodes/batch", key=ADMIN, json={"items": SEED})
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body


def make_api(root: Path, *, warm_up: bool = True, **settings: Any) -> Generator[Api, None, None]:
    """Open a Memory on ``root`` and serve the app over it until the generator is closed."""
    options: dict[str, Any] = {
        "path": root / "db",
        "api_keys": KEYS,
        "api_max_body_bytes": MAX_BODY,
        "threads": 1,
        **settings,
    }
    memory = Memory(settings=Settings(**options))
    app = create_app(memory, max_batch_items=MAX_BATCH, warm_up=warm_up)
    try:
        with TestClient(app) as client:
            yield Api(client, memory, app)
    finally:
        memory.close()
