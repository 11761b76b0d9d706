"""Facts through the API: the current view, as-of, pagination by ``next`` links, slot history, and
undoing a reconciliation decision."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import ADMIN, BOB_RW, MARIA_RO, MARIA_RW, Api

from graphmem.api.pagination import MAX_SKIP

FACTS = "/v1/namespaces/maria/facts"


@pytest.fixture(scope="module", autouse=True)
def seeded(api: Api) -> dict[str, Any]:
    return api.seed("maria")


def _triples(rows: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(f["subject"], f["predicate"], f["object"]) for f in rows}


def test_current_facts(api: Api) -> None:
    response = api.get(FACTS, key=MARIA_RO)
    assert response.status_code == 200
    page = response.json()
    assert page["count"] == len(page["data"]) == 10 and page["next"] is None
    triples = _triples(page["data"])
    assert ("Maria", "lives_in", "Lisbon") in triples and ("Maria", "lives_in", "Paris") not in triples
    assert {f["status"] for f in page["data"]} == {"active"}


def test_filters(api: Api) -> None:
    maria = api.get(FACTS, key=MARIA_RO, params={"subject": "maria"}).json()["data"]  # any spelling
    assert {f["subject"] for f in maria} == {"Maria"} and len(maria) == 6
    likes = api.get(FACTS, key=MARIA_RO, params={"subject": "Maria", "predicate": "likes"}).json()["data"]
    assert {f["object"] for f in likes} == {"jazz", "hiking"}
    assert api.get(FACTS, key=MARIA_RO, params={"subject": "Nobody"}).json() == {
        "data": [],
        "count": 0,
        "next": None,
    }


def test_as_of_and_history(api: Api) -> None:
    old = api.get(
        FACTS,
        key=MARIA_RO,
        params={"subject": "Maria", "predicate": "lives_in", "as_of": "2023-06-01T00:00:00Z"},
    ).json()["data"]
    assert [(f["object"], f["status"]) for f in old] == [("Paris", "superseded")]
    assert old[0]["valid_to"].startswith("2024-02-01")
    now = api.get(
        FACTS, key=MARIA_RO, params={"subject": "Maria", "predicate": "lives_in", "include_history": True}
    ).json()["data"]
    assert [f["object"] for f in now] == ["Lisbon"]
    assert [h["object"] for h in now[0]["history"]] == ["Paris"]
    assert now[0]["summary"] == "Maria lives in Lisbon (since 2024-02; before: Paris)"


def test_pagination_follows_next_links_over_every_fact(api: Api) -> None:
    everything = api.get(FACTS, key=MARIA_RO, params={"limit": 500}).json()["data"]
    seen: list[str] = []
    url: str | None = FACTS + "?limit=3"
    pages = 0
    while url is not None:
        response = api.get(url, key=MARIA_RO)
        assert response.status_code == 200, response.text
        page = response.json()
        assert page["count"] == len(page["data"]) <= 3
        seen += [f["id"] for f in page["data"]]
        url = page["next"]
        pages += 1
    assert pages == 4  # 3 + 3 + 3 + 1
    assert seen == [f["id"] for f in everything] and len(set(seen)) == 10


def test_next_link_keeps_the_filters(api: Api) -> None:
    page = api.get(FACTS, key=MARIA_RO, params={"subject": "Maria", "limit": 4}).json()
    assert page["count"] == 4 and page["next"] is not None
    assert "subject=Maria" in page["next"] and "skip=4" in page["next"] and "limit=4" in page["next"]
    rest = api.get(page["next"], key=MARIA_RO).json()
    assert rest["count"] == 2 and rest["next"] is None
    assert {f["subject"] for f in rest["data"]} == {"Maria"}


def test_skip_past_the_end_is_an_empty_page(api: Api) -> None:
    for skip in (11, 1000, MAX_SKIP):  # MAX_SKIP is a real SKIP in the store: it must not crash it
        page = api.get(FACTS, key=MARIA_RO, params={"skip": skip, "limit": 500}).json()
        assert page == {"data": [], "count": 0, "next": None}
    too_deep = api.get(FACTS, key=MARIA_RO, params={"skip": MAX_SKIP + 1})
    assert too_deep.status_code == 422
    assert too_deep.json()["error"]["detail"][0]["loc"] == ["query", "skip"]


def test_history_of_a_slot(api: Api) -> None:
    response = api.get(
        "/v1/namespaces/maria/history", key=MARIA_RO, params={"subject": "Maria", "predicate": "lives_in"}
    )
    assert response.status_code == 200
    entries = response.json()["data"]
    assert [(e["fact"]["object"], e["fact"]["status"], e["rule"]) for e in entries] == [
        ("Paris", "superseded", "functional_newer"),
        ("Lisbon", "active", ""),
    ]
    assert entries[0]["superseded_by"] == entries[1]["fact"]["id"]
    assert "closed then" in entries[0]["reason"]
    by_id = api.get(
        "/v1/namespaces/maria/history", key=MARIA_RO, params={"fact_id": entries[1]["fact"]["id"]}
    ).json()["data"]
    assert by_id == entries
    first = api.get(
        "/v1/namespaces/maria/history",
        key=MARIA_RO,
        params={"subject": "Maria", "predicate": "lives_in", "limit": 1},
    ).json()
    assert first["count"] == 1 and first["next"] is not None


def test_history_errors(api: Api) -> None:
    response = api.get("/v1/namespaces/maria/history", key=MARIA_RO)
    assert response.status_code == 422
    assert "history needs subject" in response.json()["error"]["message"]
    response = api.get("/v1/namespaces/maria/history", key=MARIA_RO, params={"subject": "Nobody"})
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "no entity named 'Nobody' in namespace 'maria'"
    response = api.get("/v1/namespaces/maria/history", key=MARIA_RO, params={"fact_id": "f_missing"})
    assert response.status_code == 404


def test_undo_a_supersession(api: Api) -> None:
    history = api.get(
        "/v1/namespaces/maria/history", key=MARIA_RO, params={"subject": "Maria", "predicate": "lives_in"}
    ).json()["data"]
    paris = history[0]["fact"]["id"]
    assert api.post(f"{FACTS}/{paris}/undo", key=MARIA_RO).status_code == 403
    assert api.post(f"{FACTS}/{paris}/undo", key=BOB_RW).status_code == 403
    response = api.post(f"{FACTS}/{paris}/undo", key=MARIA_RW)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["fact_id"] == paris
    assert {(e["fact"]["object"], e["fact"]["status"]) for e in result["history"]} == {
        ("Paris", "active"),
        ("Lisbon", "retracted"),
    }
    current = api.get(FACTS, key=ADMIN, params={"subject": "Maria", "predicate": "lives_in"}).json()["data"]
    assert [f["object"] for f in current] == ["Paris"]


def test_undo_errors(api: Api) -> None:
    response = api.post(f"{FACTS}/f_missing/undo", key=MARIA_RW)
    assert response.status_code == 404
    jazz = api.get(FACTS, key=MARIA_RO, params={"subject": "Maria", "predicate": "likes"}).json()["data"][0]
    response = api.post(f"{FACTS}/{jazz['id']}/undo", key=MARIA_RW)
    assert response.status_code == 422
    assert "nothing to undo" in response.json()["error"]["message"]
