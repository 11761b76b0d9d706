"""The ``api`` fixture: one real app and store per test module (see ``api_support``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_support import Api, make_api


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    yield from make_api(tmp_path_factory.mktemp("api"))
