"""Episodes through the API: add one, add a batch, idempotency, validation (422), the batch cap,
all-or-nothing batches, and deleting an episode with the facts only it evidenced."""

from __future__ import annotations

import json
from typing import Any

import pytest
from api_support import ADMIN, BOB_RW, MARIA_RO, MARIA_RW, MARIA_WO, MAX_BATCH, Api

EPISODES = "/v1/namespaces/{ns}/episodes"


def _facts(api: Api, ns: str, **params: Any) -> list[dict[str, Any]]:
    response = api.get(f"/v1/namespaces/{ns}/facts", key=ADMIN, params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def _episode(api: Api, ns: str, episode_id: str) -> dict[str, Any] | None:
    query = (
        "MATCH (e:Episode) WHERE e.namespace = $ns AND e.id = $id RETURN e.speaker AS speaker, "
        "e.role AS role, e.session_id AS session, e.metadata AS metadata, e.occurred_at AS at, "
        "e.content AS content"
    )
    rows = api.post("/v1/cypher", key=ADMIN, json={"query": query, "params": {"ns": ns, "id": episode_id}})
    assert rows.status_code == 200, rows.text
    found: list[dict[str, Any]] = rows.json()["rows"]
    return found[0] if found else None


def _counts(api: Api, ns: str) -> dict[str, int]:
    counts: dict[str, int] = api.get(f"/v1/namespaces/{ns}/stats", key=ADMIN).json()["counts"]
    return counts


def test_add_one_episode(api: Api) -> None:
    body = {
        "content": "I live in Paris.",
        "speaker": "Maria",
        "role": "user",
        "session": "chat-1",
        "timestamp": "2023-05-01T12:00:00+02:00",
        "metadata": {"channel": "web", "n": [1, 2]},
        "id": "one-1",
    }
    response = api.post(EPISODES.format(ns="maria"), key=MARIA_WO, json=body)  # write-only key suffices
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["namespace"] == "maria" and result["episode_ids"] == ["one-1"]
    assert result["facts_added"] == 1 and result["skipped_episode_ids"] == []
    # A write-only key gets ids and rules, not the rendered fact or the reason (they quote stored values).
    assert [set(d) for d in result["decisions"]] == [{"episode_id", "fact_id", "rule", "flags"}]
    assert result["decisions"][0]["fact_id"] and result["decisions"][0]["episode_id"] == "one-1"
    stored = _episode(api, "maria", "one-1")
    assert stored is not None
    assert (stored["speaker"], stored["role"], stored["session"]) == ("Maria", "user", "chat-1")
    assert json.loads(stored["metadata"]) == {"channel": "web", "n": [1, 2]}
    assert stored["at"].startswith("2023-05-01T10:00:00")  # +02:00 normalised to UTC
    lives = _facts(api, "maria", subject="Maria", predicate="lives_in")
    assert [(f["object"], f["status"], f["episodes"]) for f in lives] == [("Paris", "active", ["one-1"])]


def test_adding_the_same_id_again_changes_nothing(api: Api) -> None:
    body = {"content": "I own a red kayak.", "speaker": "Maria", "id": "same-1"}
    first = api.post(EPISODES.format(ns="maria"), json=body)
    before = _counts(api, "maria")
    again = api.post(EPISODES.format(ns="maria"), json=body)
    assert first.status_code == again.status_code == 201
    assert again.json()["episode_ids"] == [] and again.json()["skipped_episode_ids"] == ["same-1"]
    assert again.json()["facts_added"] == 0
    assert _counts(api, "maria") == before


def test_defaults_when_only_content_is_given(api: Api) -> None:
    response = api.post(EPISODES.format(ns="defaults"), key=ADMIN, json={"content": "I like green tea."})
    assert response.status_code == 201
    [episode_id] = response.json()["episode_ids"]
    stored = _episode(api, "defaults", episode_id)
    assert stored is not None
    assert (stored["role"], stored["session"], json.loads(stored["metadata"])) == ("user", "default", {})
    facts = _facts(api, "defaults")
    assert [(f["predicate"], f["object"]) for f in facts] == [("likes", "green tea")]


def test_add_a_batch(api: Api) -> None:
    items = [
        {
            "content": "My brother Leo lives in Madrid.",
            "speaker": "Bob",
            "timestamp": "2024-01-01T09:00:00Z",
            "id": "b-1",
        },
        {
            "content": "Leo works at Telefonica.",
            "speaker": "Bob",
            "timestamp": "2024-01-01T09:01:00Z",
            "id": "b-2",
        },
        {"content": "I play chess.", "speaker": "Bob", "timestamp": "2024-01-01T09:02:00Z", "id": "b-3"},
    ]
    batch = {"items": items, "batch_size": 2}
    response = api.post(EPISODES.format(ns="bob") + "/batch", key=BOB_RW, json=batch)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["episode_ids"] == ["b-1", "b-2", "b-3"]
    assert result["facts_added"] == len(_facts(api, "bob")) >= 3
    objects = {(f["subject"], f["predicate"], f["object"]) for f in _facts(api, "bob")}
    assert ("Leo", "lives_in", "Madrid") in objects and ("Leo", "works_at", "Telefonica") in objects
    assert _facts(api, "maria", subject="Leo") == []  # another namespace sees none of it


def test_batch_over_the_configured_cap_is_422(api: Api) -> None:
    items = [{"content": f"I visited town number {i}."} for i in range(MAX_BATCH + 1)]
    response = api.post(EPISODES.format(ns="maria") + "/batch", json={"items": items})
    assert response.status_code == 422
    message = f"a batch holds at most {MAX_BATCH} items, got {MAX_BATCH + 1}; split it"
    assert response.json()["error"] == {"type": "invalid_input", "message": message}


def test_batch_with_one_bad_item_writes_nothing(api: Api) -> None:
    before = _counts(api, "maria")
    items = [{"content": "I live in Oslo.", "speaker": "Maria"}, {"content": "   ", "speaker": "Maria"}]
    response = api.post(EPISODES.format(ns="maria") + "/batch", json={"items": items})
    assert response.status_code == 422
    assert response.json()["error"] == {"type": "invalid_input", "message": "item 1: content is empty"}
    assert _counts(api, "maria") == before


def test_empty_batch_is_422(api: Api) -> None:
    response = api.post(EPISODES.format(ns="maria") + "/batch", json={"items": []})
    assert response.status_code == 422
    assert response.json()["error"]["detail"][0]["loc"] == ["body", "items"]


@pytest.mark.parametrize(
    "body, where",
    [
        ({}, "body.content"),
        ({"content": ""}, "body.content"),
        ({"content": "hi", "colour": "red"}, "body.colour"),
        ({"content": "hi", "role": "overlord"}, "body.role"),
        ({"content": "hi", "timestamp": "yesterday-ish"}, "body.timestamp"),
        ({"content": "hi", "timestamp": "0001-01-01T00:00:00+01:00"}, "body.timestamp"),
        ({"content": "hi", "id": "a/b"}, "body.id"),
        ({"content": "hi", "session": ""}, "body.session"),
        ({"content": "hi", "metadata": [1, 2]}, "body.metadata"),
        ({"content": "hi", "speaker": ""}, "body.speaker"),
        ({"content": 42}, "body.content"),
        ([{"content": "a list, not an object"}], "body"),
    ],
)
def test_invalid_episode_bodies_are_422(api: Api, body: Any, where: str) -> None:
    response = api.post(EPISODES.format(ns="maria"), json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["message"].startswith(where + ":")


@pytest.mark.parametrize(
    "body, message",
    [
        ({"content": "   "}, "content is empty"),
        ({"content": "x" * 20_001}, "content is 20001 characters, more than the maximum of 20000"),
        ({"content": "hi", "speaker": "   "}, "speaker must be a non-empty string"),
    ],
)
def test_service_layer_refusals_are_422(api: Api, body: dict[str, Any], message: str) -> None:
    before = _counts(api, "maria")
    response = api.post(EPISODES.format(ns="maria"), json=body)
    assert response.status_code == 422
    assert response.json()["error"]["type"] == "invalid_input"
    assert message in response.json()["error"]["message"]
    assert _counts(api, "maria") == before


def test_delete_an_episode(api: Api) -> None:
    api.post(
        EPISODES.format(ns="del"),
        key=ADMIN,
        json={"content": "I live in Berlin. I like opera.", "speaker": "Ada", "id": "d-1"},
    )
    api.post(
        EPISODES.format(ns="del"), key=ADMIN, json={"content": "I like opera.", "speaker": "Ada", "id": "d-2"}
    )
    assert {f["object"] for f in _facts(api, "del")} == {"Berlin", "opera"}
    response = api.delete("/v1/namespaces/del/episodes/d-1", key=ADMIN)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["namespace"] == "del" and result["episode_id"] == "d-1"
    assert result["deleted"]["episodes"] == 1 and result["deleted"]["facts"] == 1  # opera is kept by d-2
    assert {f["object"] for f in _facts(api, "del")} == {"opera"}
    assert _episode(api, "del", "d-1") is None
    again = api.delete("/v1/namespaces/del/episodes/d-1", key=ADMIN)
    assert again.status_code == 404
    assert again.json()["error"]["type"] == "not_found"


def test_delete_needs_write_scope_and_the_namespace(api: Api) -> None:
    api.post(
        EPISODES.format(ns="maria"), json={"content": "I like sailing.", "speaker": "Maria", "id": "keep-1"}
    )
    assert api.delete("/v1/namespaces/maria/episodes/keep-1", key=MARIA_RO).status_code == 403
    assert api.delete("/v1/namespaces/maria/episodes/keep-1", key=BOB_RW).status_code == 403
    assert _episode(api, "maria", "keep-1") is not None
    assert api.delete("/v1/namespaces/maria/episodes/keep-1", key=MARIA_RW).status_code == 200
