"""Tenancy through the real app: a namespace-bound key (even with ``admin``) reads nothing of another
namespace, whichever route, id or question it uses; write-only keys get ids and decisions, not values.

The probes take namespace B's real ids (episodes, facts, entities) and names and use them through A's
paths, search A for B's words, and read A's facts as of a time and A's history by B's names and ids.
A leak is any of B's marker words or ids in a response to A, or any change to B.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from api_support import ADMIN, MARIA_ADMIN, MARIA_RW, MARIA_WO, Api

BOB_WORDS = ("Zebediah", "Zanzibar", "Zyxcorp", "Quokkas")
BOB_SEED = [
    {
        "content": "I live in Zanzibar. My brother Zebediah works at Zyxcorp.",
        "speaker": "Bob",
        "timestamp": "2023-01-10T10:00:00Z",
        "id": "bob-ep-1",
    },
    {
        "content": "I moved to Nairobi. Zebediah likes Quokkas.",
        "speaker": "Bob",
        "timestamp": "2024-03-01T10:00:00Z",
        "id": "bob-ep-2",
    },
]


@pytest.fixture(scope="module")
def bob(api: Api) -> dict[str, Any]:
    """Seed both namespaces; return B's ids as an admin sees them."""
    api.seed("maria")
    added = api.post("/v1/namespaces/bob/episodes/batch", key=ADMIN, json={"items": BOB_SEED})
    assert added.status_code == 201, added.text
    facts = api.get("/v1/namespaces/bob/facts", key=ADMIN, params={"limit": 500}).json()["data"]
    history = api.get("/v1/namespaces/bob/history", key=ADMIN, params={"subject": "Bob"}).json()["data"]
    fact_ids = sorted({f["id"] for f in facts} | {h["fact"]["id"] for h in history})
    entity_ids = sorted({f["subject_id"] for f in facts} | {f["object_id"] for f in facts if f["object_id"]})
    texts = [f["text"] for f in facts] + [h["fact"]["text"] for h in history]
    assert fact_ids and entity_ids and any("Zanzibar" in t for t in texts)
    return {
        "facts": fact_ids,
        "entities": entity_ids,
        "episodes": ["bob-ep-1", "bob-ep-2"],
        "snapshot": _bob_snapshot(api),
    }


def _bob_snapshot(api: Api) -> Any:
    counts = api.get("/v1/namespaces/bob/stats", key=ADMIN).json()["counts"]
    facts = api.get("/v1/namespaces/bob/facts", key=ADMIN, params={"limit": 500}).json()["data"]
    return counts, sorted((f["id"], f["status"]) for f in facts)


NS = "/v1/namespaces/{namespace}"


def _probes(bob: dict[str, Any]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Every namespaced operation, with the requests that try to reach B through A."""
    fact, entity, episode = bob["facts"], bob["entities"], bob["episodes"]
    as_of = "2023-06-01T00:00:00Z"
    return {
        # Writes reuse B's episode ids (B's words written into A would be A's own data).
        ("POST", f"{NS}/episodes"): [
            {"json": {"content": "I like tea.", "speaker": "Maria", "id": e}} for e in episode
        ],
        ("POST", f"{NS}/episodes/batch"): [
            {"json": {"items": [{"content": "I like rain.", "id": e} for e in episode]}}
        ],
        ("DELETE", f"{NS}/episodes/{{episode_id}}"): [{"episode_id": e} for e in episode],
        ("POST", f"{NS}/search"): [
            {"json": {"query": q}}
            for q in ("Where does Zebediah work?", "Zanzibar Zyxcorp Quokkas", *fact[:3])
        ]
        + [{"json": {"query": "Where does Zebediah live?", "as_of": as_of}}],
        ("GET", f"{NS}/search"): [
            {"params": {"q": "Zebediah Zanzibar", "as_of": as_of}},
            {"params": {"q": "Who likes Quokkas?"}},
        ],
        ("POST", f"{NS}/explain"): [{"json": {"query": "Where does Zebediah live?"}}],
        ("GET", f"{NS}/explain"): [{"params": {"q": "Zebediah"}}],
        ("GET", f"{NS}/facts"): [
            {"params": {"subject": s, **extra}}
            for s in ("Zebediah", "Bob", *entity[:2])
            for extra in ({}, {"as_of": as_of}, {"include_history": True})
        ],
        ("GET", f"{NS}/history"): [{"params": {"subject": "Zebediah"}}, {"params": {"subject": "Bob"}}]
        + [{"params": {"fact_id": f}} for f in fact],
        ("POST", f"{NS}/facts/{{fact_id}}/undo"): [{"fact_id": f} for f in fact],
        ("GET", f"{NS}/entities/{{name_or_id}}"): [
            {"name_or_id": n} for n in ("Zebediah", "Zanzibar", *entity)
        ],
        ("GET", f"{NS}/entities/{{name_or_id}}/neighbors"): [
            {"name_or_id": n, "params": {"depth": 3, "as_of": as_of}} for n in ("Zebediah", *entity)
        ],
        ("GET", f"{NS}/graph"): [{"params": {"entity": n, "depth": 3}} for n in ("Zebediah", *entity)],
        ("GET", f"{NS}/stats"): [{}],
        ("DELETE", NS): [],  # deleting A's namespace cannot address B; covered by the auth tests
    }


def test_probe_table_covers_every_namespaced_route(api: Api, bob: dict[str, Any]) -> None:
    schema = api.client.get("/openapi.json").json()
    namespaced = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops if "{namespace}" in p}
    assert namespaced == set(_probes(bob))


def test_no_route_of_a_reaches_b(api: Api, bob: dict[str, Any]) -> None:
    leaks: list[str] = []
    sent = 0
    for (method, path), requests in _probes(bob).items():
        for probe in requests:
            probe = dict(probe)
            in_path = {k: probe.pop(k, "") for k in ("episode_id", "fact_id", "name_or_id")}
            url = path.format(namespace="maria", **in_path)
            response = api.call(method, url, key=MARIA_ADMIN, **probe)
            sent += 1
            assert response.status_code < 500, (method, url, response.text)
            text = response.text
            found = [w for w in (*BOB_WORDS, *bob["facts"], *bob["entities"]) if w in text]
            # A's own echo of the question (plan, query) is not a leak; stored values and ids are.
            echoed = json.dumps([probe.get("json"), probe.get("params"), in_path])
            found = [w for w in found if w not in echoed]
            if found:
                leaks.append(f"{method} {url}: {found}")
    assert sent >= 40
    assert leaks == [], "\n".join(leaks)
    assert _bob_snapshot(api) == bob["snapshot"]


def test_namespace_admin_cannot_run_raw_cypher(api: Api, bob: dict[str, Any]) -> None:
    query = {"query": "MATCH (e:Episode) WHERE e.namespace = 'bob' RETURN e.content AS c"}
    refused = api.post("/v1/cypher", key=MARIA_ADMIN, json=query)
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["type"] == "forbidden" and "store-wide admin key" in error["message"]
    assert "Zanzibar" not in refused.text
    allowed = api.post("/v1/cypher", key=ADMIN, json=query)
    assert allowed.status_code == 200 and "Zanzibar" in allowed.text


def test_store_stats_of_a_namespace_admin_cover_its_namespaces_only(api: Api, bob: dict[str, Any]) -> None:
    mine = api.get("/v1/stats", key=MARIA_ADMIN).json()
    maria = api.get("/v1/namespaces/maria/stats", key=ADMIN).json()["counts"]
    everything = api.get("/v1/stats", key=ADMIN).json()
    assert mine["counts"] == maria and mine["namespaces"] == ["maria"] and mine["path"] is None
    assert everything["counts"]["episodes"] > maria["episodes"] and everything["path"]


def test_write_only_key_gets_ids_and_decisions_not_values(api: Api, bob: dict[str, Any]) -> None:
    # Maria lives in Lisbon (seeded): a write-only key's move supersedes it without learning it.
    one = api.post(
        "/v1/namespaces/maria/episodes",
        key=MARIA_WO,
        json={"content": "I moved to Madrid.", "speaker": "Maria", "timestamp": "2025-01-01T00:00:00Z"},
    )
    many = api.post(
        "/v1/namespaces/maria/episodes/batch",
        key=MARIA_WO,
        json={
            "items": [
                {"content": "I live in Rome now.", "speaker": "Maria", "timestamp": "2025-06-01T00:00:00Z"}
            ]
        },
    )
    for response in (one, many):
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["decisions"] and body["episode_ids"]
        for decision in body["decisions"]:
            assert set(decision) == {"episode_id", "fact_id", "rule", "flags"}
        assert "Lisbon" not in response.text
    closed = [d["fact_id"] for d in one.json()["decisions"] if d["fact_id"]]
    undo = api.post(f"/v1/namespaces/maria/facts/{closed[0]}/undo", key=MARIA_WO)
    if undo.status_code == 200:
        body = undo.json()
        assert body["redacted"] is True and body["history"] == [] and body["statuses"]
        assert "Lisbon" not in undo.text and "Madrid" not in undo.text
    else:
        assert undo.status_code in (404, 409, 422), undo.text
    full = api.post(
        "/v1/namespaces/maria/episodes",
        key=MARIA_RW,
        json={"content": "I moved to Oslo.", "speaker": "Maria", "timestamp": "2026-01-01T00:00:00Z"},
    )
    assert any(d.get("reason") for d in full.json()["decisions"])  # readers still get reasons
