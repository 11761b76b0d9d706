"""A corpus of hostile Cypher through ``POST /v1/cypher``: 0 writes, 0 file reads, 0 crashes, 0 hangs.

Every statement must end in a clear 4xx or a result within the row limit, within the time limit plus
the worker's restart; afterwards the store is unchanged, no file was written, the secret file's
marker never appeared in a response, and the server (this process) is alive. One app and one worker
serve the whole corpus (the worker is restarted only by the statements that kill it), with a 2 s
statement limit so the runaway shapes cost little wall time.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_support import ADMIN, Api, make_api

TIMEOUT_S = 2.0
SLACK_S = 6.0
"""The worker's grace (2 s) and a restart (start Python, import Kuzu, open the snapshot) on busy cores."""
LIMIT = 50
SECRET = "graphmem-secret-marker-7d1e"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    yield from make_api(
        tmp_path_factory.mktemp("hostile"), cypher_timeout_s=TIMEOUT_S, api_max_body_bytes=4_000_000
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("files")
    secret = root / "secret.csv"
    secret.write_text(f"name\n{SECRET}\n", encoding="utf-8")
    (root / "secret.json").write_text(f'[{{"name": "{SECRET}"}}]', encoding="utf-8")
    return {"root": root, "secret": secret, "json": root / "secret.json", "out": root / "out"}


WRITES = [
    "CREATE (n:Entity {uid: 'x/evil', id: 'evil', namespace: 'x', name: 'evil', key: 'evil'})",
    "MATCH (n:Entity) SET n.name = 'pwned'",
    "MATCH (n:Entity) SET n += {summary: 'pwned'}",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n:Entity) DELETE n",
    "MATCH ()-[r:RELATES]->() DELETE r",
    "MERGE (n:Session {uid: 'x/evil'}) ON CREATE SET n.title = 'pwned'",
    "MATCH (n:Entity) REMOVE n.summary",
    "MATCH (n:Entity) WITH n LIMIT 1 SET n.summary = 'pwned' RETURN n.name",
    "UNWIND [1, 2] AS x CREATE (:Session {uid: 'x/' + toString(x)})",
    "FOREACH (x IN [1] | CREATE (:Session {uid: 'x/z'}))",
    "CALL { CREATE (n:Session {uid: 'x/y'}) } RETURN 1",
    "MATCH (a:Entity), (b:Entity) CREATE (a)-[:SIMILAR {score: 1.0}]->(b)",
    "OPTIONAL MATCH (n:Meta) SET n.value = 'pwned' RETURN 1",
]


def _spellings(statement: str) -> list[str]:
    """The same statement in other cases, with comments and odd whitespace between its tokens."""
    words = statement.split(" ")
    return [
        statement,
        statement.lower(),
        " /* c */ ".join(words),
        "\t\n".join(words) + " ;",
        "// leading comment\n" + statement.swapcase(),
    ]


DDL = [
    "CREATE NODE TABLE Evil(id STRING, PRIMARY KEY(id))",
    "CREATE REL TABLE EVIL_REL(FROM Entity TO Entity)",
    "DROP TABLE Entity",
    "DROP TABLE IF EXISTS Meta",
    "ALTER TABLE Entity ADD evil STRING",
    "ALTER TABLE Entity DROP summary",
    "ALTER TABLE Entity RENAME TO Gone",
    "ALTER TABLE Entity RENAME name TO gone",
    "CREATE SEQUENCE evil_seq",
    "DROP SEQUENCE evil_seq",
    "CREATE MACRO evil(x) AS x + 1",
    "CALL CREATE_FTS_INDEX('Entity', 'evil_index', ['name'])",
    "CALL DROP_FTS_INDEX('Fact', 'fact_text')",
    "CALL CREATE_VECTOR_INDEX('Entity', 'evil_vec', 'embedding')",
    "CALL DROP_VECTOR_INDEX('Entity', 'evil_vec')",
    "COMMENT ON TABLE Entity IS 'pwned'",
]

IO_AND_ADMIN = [
    "COPY Entity FROM '{secret}'",
    "COPY Entity FROM '{secret}' (header=true)",
    "COPY (MATCH (e:Entity) RETURN e.name) TO '{out}.csv'",
    "COPY (MATCH (e:Episode) RETURN e.content) TO '{out}.parquet'",
    "LOAD FROM '{secret}' RETURN *",
    "LOAD FROM '{secret}' (file_format='csv') RETURN *",
    "LOAD WITH HEADERS (name STRING) FROM '{secret}' RETURN *",
    "LOAD FROM '{json}' RETURN *",
    "load from '{secret}' return *",
    "LOAD FROM '/etc/passwd' (file_format='csv', delim=':') RETURN *",
    "LOAD FROM '/etc/hostname' (file_format='csv') RETURN *",
    "EXPORT DATABASE '{out}-dump'",
    "IMPORT DATABASE '{out}-dump'",
    "ATTACH '{out}-db' AS other (dbtype kuzu)",
    "DETACH other",
    "USE other MATCH (n) RETURN n",
    "INSTALL httpfs",
    "INSTALL json",
    "LOAD EXTENSION httpfs",
    "LOAD EXTENSION '/tmp/evil.so'",
    "UNINSTALL json",
    "CHECKPOINT",
    "BEGIN TRANSACTION",
    "BEGIN TRANSACTION READ ONLY",
    "COMMIT",
    "ROLLBACK",
]

PROCEDURES = [
    "CALL current_setting('home_directory') RETURN *",
    "CALL current_setting('file_search_path') RETURN *",
    "CALL threads=1",
    "CALL timeout=100000000",
    "CALL home_directory='/tmp'",
    "CALL file_search_path='/etc'",
    "CALL checkpoint_threshold=1",
    "CALL progress_bar=true",
    "CALL show_attached_databases() RETURN *",
    "CALL clear_warnings()",
    "CALL show_loaded_extensions() RETURN *",
    "CALL show_official_extensions() RETURN *",
    "CALL db.createLabel('Evil')",
    "CALL dbms.security.createUser('evil', 'pw', false)",
    "CALL apoc.load.csv('file:///etc/passwd')",
    "CALL `current_setting`('home_directory') RETURN *",
    "CALL CURRENT_SETTING('home_directory') RETURN *",
    "CALL /* x */ current_setting('home_directory') RETURN *",
    "MATCH (n) CALL current_setting('home_directory') RETURN *",
]

TRICKS = [
    "MATCH (n) RETURN n // comment\u2028 DETACH DELETE n",
    "MATCH (n) RETURN n // comment\u0085 DETACH DELETE n",
    "MATCH (n) RETURN n // comment\r DETACH DELETE n",
    "MATCH (n) RETURN n /* open comment DETACH DELETE n",
    "MATCH (n) /* a */ DETACH /* b */ DELETE /* c */ n",
    "MATCH (n) DETACH\u00a0DELETE n",
    "MATCH (n) DETACH\u2003DELETE n",
    "ＭＡＴＣＨ (n) ＤＥＴＡＣＨ ＤＥＬＥＴＥ n",
    "MATCH (n) DETA\u200bCH DELETE n",
    "MATCH (n) \u0421REATE (m)",  # Cyrillic Es
    "RETURN 'a\\' CREATE (n:Session {uid: 1}) //'",
    'RETURN "a\\" CREATE (n:Session {uid: 1}) //"',
    "RETURN 'unterminated",
    "RETURN `unterminated",
    "MATCH (`n`) DETACH DELETE `n`",
    "MATCH (n:`Entity`) SET n.`name` = 'pwned'",
    "RETURN 1 AS `x`; CREATE (n:Session {uid: 'x/q'})",
    "RETURN 1;\nCREATE (n:Session {uid: 'x/q'})",
    "RETURN 1; RETURN 2",
    "RETURN 1;;",
    "; CREATE (n:Session {uid: 'x/q'})",
    "RETURN '/* not a comment */' AS x; MATCH (n) DELETE n",
    "RETURN $x",
    "\ufeffMATCH (n) DETACH DELETE n",
    "MATCH (n) WHERE n.name = '\\u0027 OR 1=1' RETURN count(n) AS c",
    "MATCH (n) DETACH DELETE n\x00",
    "MATCH (n)\x0bDETACH DELETE n",
    "",
    "   ",
    "// only a comment",
]

HEAVY = [
    "UNWIND range(1, 30000000) AS x RETURN collect(x) AS xs",
    "UNWIND range(1, 1000000000) AS x RETURN count(*) AS c",
    "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b RETURN count(*) AS c",
    "UNWIND range(1, 3000000) AS x RETURN x ORDER BY x DESC SKIP 2000000",
    "RETURN " + "(" * 20000 + "1" + ")" * 20000 + " AS x",
    "UNWIND [1] AS x WITH x WHERE " + " OR ".join(f"x = {i}" for i in range(5000)) + " RETURN x",
    "MATCH (a), (b), (c), (d), (e) RETURN count(*) AS c",
    "MATCH p = (a)-[*1..30]-(b) RETURN count(p) AS c",
    "MATCH p = (a:Entity)-[:RELATES*1..30]-(b:Entity) RETURN nodes(p) AS ns",
    "MATCH (a:Entity)-[*]-(b) RETURN count(*) AS c",
    "UNWIND range(1, 200000) AS x RETURN repeat('x', 1000) AS s",
    "RETURN repeat('x', 2000000000) AS s",
    "UNWIND range(1, 5000000) AS x WITH collect(x) AS xs UNWIND xs AS y RETURN sum(y) AS s",
    "MATCH (n) RETURN n",
    "MATCH (e:Episode) RETURN e",
]

PARAMS: list[tuple[str, dict[str, Any]]] = [
    ("MATCH (e:Entity) WHERE e.name IN $xs RETURN e.name", {"xs": None}),
    ("MATCH (e:Entity) WHERE e.name IN $xs RETURN e.name", {"xs": [None]}),
    ("MATCH (e:Entity) WHERE e.name IN $xs RETURN e.name", {"xs": ["a", None]}),
    ("MATCH (e:Entity) WHERE e.name = $x RETURN e.name", {"x": None}),
    ("RETURN $x AS x", {"x": float("nan")}),
    ("RETURN $x AS x", {"x": float("inf")}),
    ("RETURN $x AS x", {"x": -float("inf")}),
    ("RETURN $x AS x", {"x": [1.5, float("nan")]}),
    ("RETURN $x AS x", {"x": 1 << 70}),
    ("RETURN $x AS x", {"x": "\udfff"}),
    ("RETURN $x AS x", {"x": ["a", 1]}),
    ("RETURN $x AS x", {"x": {"k": None}}),
    ("RETURN $x AS x", {"x": [[[[[[[[[[1]]]]]]]]]]}),
    ("RETURN $x AS x", {"x": list(range(200_000))}),
    ("MATCH (e:Entity) WHERE e.name IN $xs RETURN e.name", {"xs": []}),
    ("RETURN $x AS x", {"x": [[]]}),
    ("RETURN size($x) AS n", {"x": "y" * 50_000}),
]


def _corpus(files: dict[str, Path]) -> list[tuple[str, dict[str, Any]]]:
    fill = {k: str(v) for k, v in files.items()}
    statements = [s for w in WRITES for s in _spellings(w)]
    statements += [s for d in DDL for s in (d, d.lower())]
    statements += [s.format(**fill) for s in IO_AND_ADMIN]
    statements += PROCEDURES + TRICKS + HEAVY
    return [(s, {}) for s in statements] + PARAMS


def _state(api: Api) -> Any:
    stats = api.get("/v1/stats", key=ADMIN).json()["counts"]
    rows = api.post(
        "/v1/cypher",
        key=ADMIN,
        json={
            "query": "MATCH (e:Entity) RETURN e.name AS name, e.summary AS summary, e.key AS key "
            "ORDER BY name",
            "limit": 10_000,
        },
    ).json()["rows"]
    tables = api.post("/v1/cypher", key=ADMIN, json={"query": "CALL show_tables() RETURN name ORDER BY name"})
    return stats, rows, tables.json()["rows"]


def test_hostile_corpus_writes_nothing_reads_no_file_and_never_hangs_or_crashes(
    api: Api, files: dict[str, Path]
) -> None:
    api.seed("maria")
    corpus = _corpus(files)
    assert len(corpus) >= 200
    before = _state(api)
    outcomes: dict[int, int] = {}
    slow: list[str] = []
    for query, params in corpus:
        body: dict[str, Any] = {"query": query, "limit": LIMIT}
        if params:
            body["params"] = params
        started = time.monotonic()
        # json.dumps writes NaN / Infinity literals (as some clients do); httpx's json= would refuse them.
        response = api.post(
            "/v1/cypher", key=ADMIN, content=json.dumps(body), headers={"content-type": "application/json"}
        )
        took = time.monotonic() - started
        outcomes[response.status_code] = outcomes.get(response.status_code, 0) + 1
        assert response.status_code in (200, 400, 403, 413, 422), (query[:120], response.text[:300])
        if response.status_code == 200:
            assert response.json()["count"] <= LIMIT
        else:
            assert response.json()["error"]["message"], query[:120]
        assert SECRET not in response.text, query[:120]
        assert "/root" not in response.text and str(Path.home()) not in response.text, query[:120]
        if took > TIMEOUT_S + SLACK_S:
            slow.append(f"{took:.1f}s {query[:80]}")
    assert slow == []
    assert _state(api) == before
    written = [p for p in files["root"].rglob("*") if p.name not in {"secret.csv", "secret.json"}]
    assert [p for p in written if p.is_dir() or p.stat().st_size > 0] == []
    assert api.get("/v1/health", key=None).status_code == 200
    assert outcomes.get(200, 0) < len(corpus) // 4, outcomes  # most are refused, not run


def test_sdk_cypher_is_sandboxed_too(api: Api) -> None:
    """Memory.cypher (the SDK) takes the same path: the crash shapes cost the worker, not the host."""
    from graphmem.errors import InvalidInput, QueryError

    memory = api.memory
    with pytest.raises(InvalidInput, match="is null"):
        memory.cypher("MATCH (e:Entity) WHERE e.name IN $xs RETURN e.name", {"xs": None})
    with pytest.raises(QueryError):
        memory.cypher("UNWIND range(1, 30000000) AS x RETURN collect(x) AS xs")
    assert memory.cypher("MATCH (e:Entity) WHERE e.name = 'Maria' RETURN count(e) AS n") == [{"n": 1}]
