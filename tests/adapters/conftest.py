"""A small real memory shared by the adapter tests (real Kuzu store, spaCy model and encoder)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graphmem import Memory

NS = "adapters"
CONVERSATION = [
    {"id": "t1", "session": "s1", "name": "Maria", "timestamp": "2023-03-01T10:00:00Z",
     "content": "I live in Paris."},
    {"id": "t2", "session": "s1", "name": "Maria", "timestamp": "2023-03-01T10:01:00Z",
     "content": "My sister Anna lives in Porto."},
    {"id": "t3", "session": "s1", "name": "Maria", "timestamp": "2023-03-01T10:03:00Z",
     "content": "Anna's husband Tom works at Siemens."},
    {"id": "t4", "session": "s2", "name": "Maria", "timestamp": "2024-02-10T09:00:00Z",
     "content": "I moved to Lisbon last month."},
]  # fmt: skip


@pytest.fixture(scope="module")
def memory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Memory]:
    path: Path = tmp_path_factory.mktemp("adapters") / "memory"
    with Memory(path=path, namespace=NS) as mem:
        mem.add_many(CONVERSATION)
        yield mem
