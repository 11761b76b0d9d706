"""``POST /v1/cypher``: reads work for admin keys; writes, schema changes, admin procedures and
smuggled second statements are refused with a clear body and change nothing; other keys get 403."""

from __future__ import annotations

import json
from typing import Any

import pytest
from api_support import ADMIN, BOB_RW, MARIA_RO, MARIA_RW, Api


@pytest.fixture(scope="module", autouse=True)
def seeded(api: Api) -> dict[str, Any]:
    return api.seed("maria")


def _cypher(api: Api, query: str, key: str = ADMIN, **extra: Any) -> Any:
    return api.post("/v1/cypher", key=key, json={"query": query, **extra})


def _snapshot(api: Api) -> tuple[Any, ...]:
    stats = api.get("/v1/stats", key=ADMIN).json()["counts"]
    names = _cypher(api, "MATCH (e:Entity) RETURN e.name AS name, e.summary AS summary ORDER BY name").json()
    tables = _cypher(api, "CALL show_tables() RETURN name ORDER BY name").json()
    return stats, names["rows"], tables["rows"]


def test_reads_work(api: Api) -> None:
    response = _cypher(
        api,
        "MATCH (e:Entity) WHERE e.namespace = $ns RETURN e.name AS name ORDER BY name",
        params={"ns": "maria"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    names = [row["name"] for row in body["rows"]]
    assert body["count"] == len(names) and {"Maria", "Anna", "Lisbon", "Paris", "Tom"} <= set(names)
    facts = _cypher(
        api, "MATCH (f:Fact) WHERE f.namespace = $ns RETURN count(f) AS n", params={"ns": "maria"}
    )
    assert facts.json()["rows"] == [{"n": 11}]
    path = _cypher(
        api,
        "MATCH (a:Entity)-[r:RELATES]->(b:Entity) WHERE a.name = 'Maria' AND r.predicate = "
        "'sister' RETURN b.name AS sister",
    )
    assert path.json()["rows"] == [{"sister": "Anna"}]


def test_nodes_come_back_as_objects_without_embeddings(api: Api) -> None:
    rows = _cypher(api, "MATCH (e:Episode) WHERE e.id = 'ep-2' RETURN e").json()["rows"]
    assert len(rows) == 1
    episode = rows[0]["e"]
    assert episode["content"] == "I moved to Lisbon last month." and "embedding" not in episode


def test_limit_caps_rows(api: Api) -> None:
    body = _cypher(api, "MATCH (e:Entity) RETURN e.name AS name", limit=2).json()
    assert body["count"] == 2 and len(body["rows"]) == 2


def test_keywords_inside_strings_comments_and_properties_are_fine(api: Api) -> None:
    for query in [
        "MATCH (e:Entity) WHERE e.name <> 'DELETE it; DROP TABLE Entity' RETURN count(e) AS n",
        "MATCH (e:Entity) // CREATE (x)\nRETURN count(e) AS n",
        "MATCH (e:Entity) /* SET e.name = 'x' */ RETURN count(e) AS n;",
        "RETURN 'CREATE' AS word, \"MERGE\" AS other",
        "CALL show_tables() RETURN *",
    ]:
        response = _cypher(api, query)
        assert response.status_code == 200, (query, response.text)


REFUSED = [
    "CREATE (n:Entity {uid: 'x/evil', id: 'evil', namespace: 'x', name: 'evil', key: 'evil'})",
    "MATCH (n) DETACH DELETE n",
    "match (n) detach delete n",
    "MATCH (n:Entity) DELETE n",
    "MATCH (n:Entity) SET n.name = 'pwned'",
    "MATCH (n:Entity) WITH n SET n.summary = 'pwned' RETURN n",
    "MERGE (n:Entity {uid: 'x/evil'})",
    "MATCH (n:Entity) REMOVE n.summary",
    "UNWIND [1, 2] AS x CREATE (:Session {uid: 'x/' + toString(x)})",
    "MATCH (n:Entity) /* sneaky */ DETACH /* more */ DELETE n",
    "MATCH (n) RETURN n; MATCH (m) DETACH DELETE m",
    "MATCH (n) RETURN count(n) AS n; DROP TABLE Entity",
    "CALL { CREATE (n:Session {uid: 'x/y'}) } RETURN 1",
    "FOREACH (x IN [1] | CREATE (:Session {uid: 'x/z'}))",
    "DROP TABLE Entity",
    "ALTER TABLE Entity ADD evil STRING",
    "CREATE NODE TABLE Evil(id STRING, PRIMARY KEY(id))",
    "COPY Entity FROM '/tmp/evil.csv'",
    "LOAD FROM '/etc/passwd' RETURN *",
    "INSTALL httpfs",
    "LOAD EXTENSION httpfs",
    "ATTACH '/tmp/other-db' AS other (dbtype kuzu)",
    "EXPORT DATABASE '/tmp/graphmem-dump'",
    "IMPORT DATABASE '/tmp/graphmem-dump'",
    "CHECKPOINT",
    "BEGIN TRANSACTION",
    "CALL threads=4",
    "CALL CREATE_FTS_INDEX('Entity', 'evil_index', ['name'])",
    "CALL DROP_FTS_INDEX('Fact', 'fact_text')",
    "CALL db.createLabel('Evil')",
    "CALL dbms.security.createUser('evil', 'pw', false)",
    "USE other MATCH (n) RETURN n",
]


def test_at_least_twenty_write_and_admin_statements_are_refused_and_change_nothing(api: Api) -> None:
    assert len(REFUSED) >= 20
    before = _snapshot(api)
    for query in REFUSED:
        response = _cypher(api, query)
        assert response.status_code == 403, (query, response.status_code, response.text)
        error = response.json()["error"]
        assert error["type"] == "read_only_violation", (query, error)
        assert error["message"].startswith("read-only Cypher"), (query, error)
    assert _snapshot(api) == before
    rows = _cypher(api, "MATCH (e:Entity) WHERE e.name = 'pwned' OR e.id = 'evil' RETURN e").json()["rows"]
    assert rows == []


@pytest.mark.parametrize("key", [MARIA_RW, MARIA_RO, BOB_RW])
def test_non_admin_keys_cannot_run_cypher_even_reads(api: Api, key: str) -> None:
    for query in ("MATCH (e:Entity) RETURN e.name AS name", "MATCH (n) DETACH DELETE n"):
        response = _cypher(api, query, key=key)
        assert response.status_code == 403
        message = "this API key lacks the 'admin' scope"
        assert response.json()["error"] == {"type": "forbidden", "message": message}


@pytest.mark.parametrize(
    "body, status, kind, fragment",
    [
        ({"query": "MATCH (n RETURN n"}, 400, "query_error", "Parser exception"),
        ({"query": "MATCH (n:NoSuchTable) RETURN n"}, 400, "query_error", "NoSuchTable"),
        ({"query": "UNWIND [1, 2] AS x RETURN x + 'a' AS y"}, 400, "query_error", "Binder exception"),
        (
            {"query": "MATCH (e:Entity) WHERE e.name = $p RETURN e", "params": {"p": [[]]}},
            400,
            "query_error",
            "exception",
        ),
        ({"query": "MATCH (n) WHERE n.name = 'unterminated RETURN n"}, 422, "invalid_input", "unterminated"),
        ({"query": "// only a comment"}, 422, "invalid_input", "empty"),
        ({"query": ""}, 422, "invalid_input", "body.query"),
        ({"query": "RETURN 1", "limit": 0}, 422, "invalid_input", "body.limit"),
        ({"query": "RETURN 1", "params": [1]}, 422, "invalid_input", "body.params"),
    ],
)
def test_bad_statements_get_clear_4xx(
    api: Api, body: dict[str, Any], status: int, kind: str, fragment: str
) -> None:
    response = api.post("/v1/cypher", key=ADMIN, json=body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["type"] == kind and fragment in error["message"]


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"p": [0, ""]}, "mixes"),
        ({"p": None}, "is null"),
        ({"p": [1, None]}, "is null"),
        ({"p": {"a": None}}, "is null"),
        ({"p": float("nan")}, "NaN or infinite"),
        ({"p": float("inf")}, "NaN or infinite"),
        ({"p": [1.0, float("-inf")]}, "NaN or infinite"),
        ({"p": 1 << 64}, "64-bit"),
        ({"p": "\ud800"}, "lone surrogate"),
        ({"p": {"bad key": 1}}, "identifier"),
    ],
)
def test_unconvertible_parameters_are_refused_before_the_engine(
    api: Api, params: dict[str, Any], fragment: str
) -> None:
    body = json.dumps({"query": "RETURN $p AS x", "params": params})  # NaN / Infinity as literals
    response = api.post("/v1/cypher", key=ADMIN, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_input" and fragment in error["message"], error
