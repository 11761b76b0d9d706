"""Stats and namespace deletion through the API (admin for deleting and for store-wide counts)."""

from __future__ import annotations

import pytest
from api_support import ADMIN, BOB_RW, MARIA_RO, MARIA_RW, Api


@pytest.fixture(scope="module", autouse=True)
def seeded(api: Api) -> None:
    api.seed("maria")
    api.seed("shared")


def test_namespace_stats(api: Api) -> None:
    response = api.get("/v1/namespaces/maria/stats", key=MARIA_RO)
    assert response.status_code == 200
    stats = response.json()
    assert stats["namespace"] == "maria" and stats["backend"] == "kuzu"
    counts = stats["counts"]
    assert (counts["episodes"], counts["facts"], counts["SUPERSEDES"]) == (5, 11, 1)
    empty = api.get("/v1/namespaces/bob/stats", key=BOB_RW).json()["counts"]
    assert empty["episodes"] == empty["facts"] == empty["entities"] == 0


def test_store_stats_is_admin_only(api: Api) -> None:
    assert api.get("/v1/stats", key=MARIA_RW).status_code == 403
    response = api.get("/v1/stats", key=ADMIN)
    assert response.status_code == 200
    stats = response.json()
    assert stats["namespace"] is None
    assert stats["counts"]["episodes"] >= 10  # maria + shared


def test_delete_namespace(api: Api) -> None:
    assert api.delete("/v1/namespaces/shared", key=MARIA_RW).status_code == 403  # write is not admin
    assert api.get("/v1/namespaces/shared/stats", key=ADMIN).json()["counts"]["episodes"] == 5
    response = api.delete("/v1/namespaces/shared", key=ADMIN)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["namespace"] == "shared" and result["episode_id"] is None
    assert result["deleted"]["episodes"] == 5 and result["deleted"]["facts"] == 11
    counts = api.get("/v1/namespaces/shared/stats", key=ADMIN).json()["counts"]
    assert all(value == 0 for value in counts.values()), counts
    assert api.get("/v1/namespaces/maria/stats", key=ADMIN).json()["counts"]["episodes"] == 5  # untouched
    again = api.delete("/v1/namespaces/shared", key=ADMIN)
    assert again.status_code == 200 and sum(again.json()["deleted"].values()) == 0
