"""Search and explain through the API, over a small real conversation (spaCy + encoder + Kuzu)."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import ADMIN, BOB_RW, MARIA_RO, MARIA_WO, Api


@pytest.fixture(scope="module", autouse=True)
def seeded(api: Api) -> dict[str, Any]:
    return api.seed("maria")


def test_post_search_answers_from_memory(api: Api) -> None:
    response = api.post(
        "/v1/namespaces/maria/search", key=MARIA_RO, json={"query": "Where does Maria live?", "k": 5}
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["query"] == "Where does Maria live?" and result["namespace"] == "maria"
    top = result["facts"][0]
    assert (top["subject"], top["predicate"], top["object"]) == ("Maria", "lives_in", "Lisbon")
    assert top["status"] == "active"
    assert top["history"] == ["Paris"] and top["episodes"] == ["ep-2"]
    assert len(result["facts"]) <= 5
    assert result["plan"]["namespace"] == "maria"


def test_get_search_is_the_same_as_post(api: Api) -> None:
    posted = api.post(
        "/v1/namespaces/maria/search", key=MARIA_RO, json={"query": "Where does Maria's sister live?", "k": 3}
    ).json()
    got = api.get(
        "/v1/namespaces/maria/search", key=MARIA_RO, params={"q": "Where does Maria's sister live?", "k": 3}
    ).json()
    assert [f["id"] for f in got["facts"]] == [f["id"] for f in posted["facts"]]
    triples = {(f["subject"], f["predicate"], f["object"]) for f in got["facts"]}
    assert ("Anna", "lives_in", "Porto") in triples


def test_search_as_of_sees_the_old_value(api: Api) -> None:
    result = api.post(
        "/v1/namespaces/maria/search",
        key=MARIA_RO,
        json={"query": "Where did Maria live?", "as_of": "2023-06-01T00:00:00Z"},
    ).json()
    lives = [f for f in result["facts"] if f["predicate"] == "lives_in" and f["subject"] == "Maria"]
    assert lives and lives[0]["object"] == "Paris"
    assert result["as_of"].startswith("2023-06-01T00:00:00")


def test_search_is_scoped_to_the_namespace(api: Api) -> None:
    response = api.get("/v1/namespaces/bob/search", key=BOB_RW, params={"q": "Where does Maria live?"})
    assert response.status_code == 200
    assert response.json()["facts"] == [] and response.json()["episodes"] == []


@pytest.mark.parametrize(
    "body, where",
    [
        ({"query": ""}, "body.query"),
        ({"query": "x" * 4001}, "body.query"),
        ({"query": "where?", "k": 0}, "body.k"),
        ({"query": "where?", "k": 201}, "body.k"),
        ({"query": "where?", "as_of": "whenever"}, "body.as_of"),
        ({"q": "where?"}, "body.query"),
    ],
)
def test_bad_search_requests_are_422(api: Api, body: dict[str, Any], where: str) -> None:
    response = api.post("/v1/namespaces/maria/search", key=MARIA_RO, json=body)
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith(where)


def test_blank_query_is_refused_by_the_service_layer(api: Api) -> None:
    response = api.get("/v1/namespaces/maria/search", key=MARIA_RO, params={"q": "   "})
    assert response.status_code == 422
    assert response.json()["error"] == {"type": "invalid_input", "message": "query is empty"}


def test_explain_post_and_get(api: Api) -> None:
    query = "Where does Maria's sister live?"
    posted = api.post("/v1/namespaces/maria/explain", key=MARIA_RO, json={"query": query})
    assert posted.status_code == 200, posted.text
    plan = posted.json()
    assert plan["query"] == query and plan["namespace"] == "maria"
    assert "maria" in {m["key"] for m in plan["analysis"]["mentions"]}
    assert plan["depth"] >= 2 and plan["reasons"]
    got = api.get("/v1/namespaces/maria/explain", key=MARIA_RO, params={"q": query}).json()
    assert got["depth"] == plan["depth"] and got["analysis"] == plan["analysis"]


def test_explain_as_of_sets_the_time_filter(api: Api) -> None:
    plan = api.post(
        "/v1/namespaces/maria/explain",
        key=ADMIN,
        json={"query": "Where does Maria live?", "as_of": "2023-06-01T00:00:00"},
    ).json()
    assert plan["as_of"].startswith("2023-06-01T00:00:00")


def test_search_needs_read_scope(api: Api) -> None:
    response = api.post("/v1/namespaces/maria/search", key=MARIA_WO, json={"query": "Where does Maria live?"})
    assert response.status_code == 403
