"""The two Cypher dialect folders stay twins, and the Neo4j backend behaves without a server.

Backends share everything but the text of their queries: ``records.write_plan`` names the queries
that write a batch and both backends run that same plan, so ``cypher/kuzu`` and ``cypher/neo4j``
must define the same names, each pair declaring the same ``$params``, reading the same ``row.*``
fields and returning the same columns. The only exceptions are listed (and justified) in
``DIALECT_ONLY`` and ``OWN_PARAMS`` below; a name in neither list that exists in one folder only is
a missing twin.

The last section checks the Neo4j backend where no server is needed: a wrong or unreachable URI fails
fast with StoreUnavailable, and user search text cannot become Lucene syntax.
"""

from __future__ import annotations

import inspect
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from graphmem.errors import ClosedError, InvalidInput, StoreError, StoreUnavailable
from graphmem.model import (
    DerivedFrom,
    Entity,
    Episode,
    Evidence,
    Fact,
    FactStatus,
    FactUpdate,
    Insight,
    Mention,
    NextLink,
    Session,
    Similar,
    Supersedes,
    WriteBatch,
)
from graphmem.store.base import NODE_KINDS, GraphStore
from graphmem.store.queries import NamedQuery, QueryBook
from graphmem.store.readonly import tokens
from graphmem.store.records import write_plan

KINDS = sorted(k.lower() for k in NODE_KINDS)
DIALECT_ONLY: dict[str, set[str]] = {
    # Kuzu serves search from derived in-memory indexes (store/vectors.py, store/lexical.py) that
    # load one namespace's embeddings and texts with these.
    "kuzu": {f"vectors_{k}" for k in KINDS}
    | {f"texts_{k}" for k in KINDS}
    # ...and serves the search path's reads from a derived graph index (store/graph_index.py) that
    # loads one namespace's records and edges with these.
    | {
        "graph_entities",
        "graph_facts",
        "graph_episodes",
        "graph_evidence",
        "graph_supersedes",
        "graph_derived_from",
    }
    # ...and bulk-loads batches of new records with COPY (store/bulk.py); Neo4j has no such loader.
    | {"bulk_copy"},
    # Neo4j searches its native indexes (over-fetch across namespaces, then filter; an exact scan of
    # one namespace when the vector index was crowded out), checks the dimension of the vector
    # indexes it finds, and waits for new indexes to come online.
    "neo4j": (
        {f"vector_search_{k}" for k in KINDS}
        | {f"vector_scan_{k}" for k in KINDS}
        | {f"fulltext_{k}" for k in KINDS}
        | {"vector_index_dimensions", "await_indexes"}
    ),
}
OWN_PARAMS = {"schema"}
"""Same name, dialect-specific DDL: Kuzu's node/rel tables take no parameter, Neo4j's vector
indexes take the embedding ``$dimension``."""
ADMIN = {"schema", "meta_get", "meta_set", "vector_index_dimensions", "await_indexes"}
"""Queries about the store itself (schema, bookkeeping), which touch no user data."""
BULK = {"bulk_copy"}
"""COPY from files graphmem wrote for one batch: every row's uid is ``namespace/id`` of that batch."""
UID_PARAMS = {"uid", "uids", "subject_uid", "session_uid"}
"""uids are ``namespace/id``: a query addressed by uid is confined to one namespace."""

BOOKS = {d: QueryBook(d) for d in ("kuzu", "neo4j")}
ROOT = Path(__file__).resolve().parents[2]


def _shared() -> list[str]:
    return sorted(set(BOOKS["kuzu"].names()) - DIALECT_ONLY["kuzu"])


def return_columns(query: NamedQuery) -> list[str]:
    """Column names of the last RETURN of the last statement (alias, or the bare expression)."""
    toks = tokens(query.statements[-1])
    starts = [i for i, (kind, text) in enumerate(toks) if kind == "word" and text.upper() == "RETURN"]
    if not starts:
        return []
    items: list[list[str]] = [[]]
    depth = 0
    for kind, text in toks[starts[-1] + 1 :]:
        if depth == 0 and kind == "word" and text.upper() in {"ORDER", "SKIP", "LIMIT", "UNION"}:
            break
        if text in "([{" and kind == "symbol":
            depth += 1
        elif text in ")]}" and kind == "symbol":
            depth -= 1
        if depth == 0 and kind == "symbol" and text == ",":
            items.append([])
        else:
            items[-1].append(text)
    columns = []
    for item in items:
        upper = [t.upper() for t in item]
        columns.append(item[len(upper) - 1 - upper[::-1].index("AS") + 1] if "AS" in upper else "".join(item))
    return columns


def row_fields(query: NamedQuery) -> set[str]:
    """The ``row.<field>`` references of a query that UNWINDs ``$rows AS row``."""
    body = "\n".join(query.statements)
    return set(re.findall(r"\brow\.([A-Za-z_][A-Za-z0-9_]*)", body))


# --- the two folders are twins ---------------------------------------------------------------


def test_dialect_only_lists_are_exact() -> None:
    """Every exception names a real file, so the lists cannot silently excuse a deleted query."""
    for dialect, names in DIALECT_ONLY.items():
        missing = names - set(BOOKS[dialect].names())
        assert not missing, f"DIALECT_ONLY[{dialect!r}] names queries that do not exist: {sorted(missing)}"


def test_a_name_lives_in_common_or_in_the_dialect_folders_never_both() -> None:
    """A shared statement that also had a dialect copy would shadow it silently: one fix, one place."""
    root = ROOT / "cypher"
    common = {p.stem for p in (root / "common").glob("*.cypher")}
    for dialect in BOOKS:
        twice = common & {p.stem for p in (root / dialect).glob("*.cypher")}
        assert not twice, f"in both cypher/common/ and cypher/{dialect}/: {sorted(twice)}"


def test_identical_twins_are_kept_once_in_common() -> None:
    """A statement both dialects spell byte for byte alike belongs in cypher/common/."""
    root = ROOT / "cypher"
    same = [
        p.name
        for p in sorted((root / "kuzu").glob("*.cypher"))
        if (root / "neo4j" / p.name).is_file() and (root / "neo4j" / p.name).read_bytes() == p.read_bytes()
    ]
    assert not same, f"move these to cypher/common/: {same}"


def test_common_queries_are_served_to_both_dialects() -> None:
    common = {p.stem for p in (ROOT / "cypher" / "common").glob("*.cypher")}
    assert len(common) >= 20
    for book in BOOKS.values():
        assert common <= set(book.names())
        assert all(book[name].text == BOOKS["kuzu"][name].text for name in common)


def test_both_dialects_define_the_same_names() -> None:
    kuzu = set(BOOKS["kuzu"].names()) - DIALECT_ONLY["kuzu"]
    neo4j = set(BOOKS["neo4j"].names()) - DIALECT_ONLY["neo4j"]
    assert not kuzu - neo4j, f"queries with no Neo4j twin in cypher/neo4j/: {sorted(kuzu - neo4j)}"
    assert not neo4j - kuzu, f"queries with no Kuzu twin in cypher/kuzu/: {sorted(neo4j - kuzu)}"


@pytest.mark.parametrize("name", _shared())
def test_twins_declare_the_same_params_columns_and_row_fields(name: str) -> None:
    kuzu, neo4j = BOOKS["kuzu"][name], BOOKS["neo4j"][name]
    if name not in OWN_PARAMS:
        assert kuzu.params == neo4j.params, f"{name}: {sorted(kuzu.params)} != {sorted(neo4j.params)}"
    assert return_columns(kuzu) == return_columns(neo4j), name
    assert row_fields(kuzu) == row_fields(neo4j), name


def test_return_columns_are_read_from_the_last_return() -> None:
    """The column reader itself, on queries whose columns are known."""
    assert return_columns(BOOKS["neo4j"]["get_sessions"]) == [
        "id",
        "namespace",
        "title",
        "goal",
        "started_at",
        "outcome",
        "score",
    ]
    assert return_columns(BOOKS["neo4j"]["vector_index_dimensions"]) == ["name", "label", "dimension"]
    assert return_columns(BOOKS["neo4j"]["episode_links"]) == ["prev_uid", "next_uid", "entity_uids"]
    assert return_columns(BOOKS["kuzu"]["delete_facts"]) == []


@pytest.mark.parametrize("dialect", sorted(BOOKS))
def test_every_query_on_user_data_is_scoped(dialect: str) -> None:
    """Every query reading or writing user data takes $namespace or addresses nodes by uid."""
    book = BOOKS[dialect]
    unscoped = []
    for name in book.names():
        if name in ADMIN or name in BULK:
            continue
        query = book[name]
        by_rows = "rows" in query.params and re.search(r"\{uid: row\.[a-z_]*uid\}", query.text)
        if "namespace" not in query.params and not query.params & UID_PARAMS and not by_rows:
            unscoped.append(name)
    assert not unscoped, f"{dialect} queries with neither $namespace nor uid parameters: {unscoped}"


# --- the shared write plan fits both folders --------------------------------------------------


def _full_batch() -> WriteBatch:
    """One batch with something in every field, so write_plan emits every write query."""
    ns, when = "n", datetime(2024, 1, 1, tzinfo=UTC)
    vec = [1.0, 0.0]
    maria = Entity(
        id="ent_m",
        namespace=ns,
        name="Maria",
        key="maria",
        aliases=["Mia"],
        first_seen=when,
        last_seen=when,
        embedding=vec,
    )
    lisbon = Entity(id="ent_l", namespace=ns, name="Lisbon", key="lisbon", first_seen=when, last_seen=when)
    return WriteBatch(
        namespace=ns,
        sessions=[Session(id="s", namespace=ns, started_at=when, embedding=vec)],
        episodes=[
            Episode(id=e, namespace=ns, session_id="s", seq=i, content="hi", occurred_at=when)
            for i, e in enumerate(("e1", "e2"))
        ],
        entities=[maria, lisbon],
        facts=[
            Fact(
                id="f1", namespace=ns, subject_id="ent_m", predicate="lives_in", object_id="ent_l", text="t"
            ),
            Fact(id="f2", namespace=ns, subject_id="ent_m", predicate="age", object_value="3", text="t"),
        ],
        fact_updates=[
            FactUpdate(id="f0", status=FactStatus.superseded, valid_to=when, clear_invalidated_at=True)
        ],
        insights=[Insight(id="i", namespace=ns, text="lesson", embedding=vec)],
        evidence=[Evidence(fact_id="f1", episode_id="e1")],
        mentions=[Mention(episode_id="e1", entity_id="ent_m")],
        next_links=[NextLink(prev_id="e1", next_id="e2")],
        supersedes=[Supersedes(new_id="f1", old_id="f0", reason="r", rule="functional")],
        similar=[Similar(a_id="ent_m", b_id="ent_l", score=0.9)],
        derived_from=[
            DerivedFrom(insight_id="i", target_id=t, target_kind=k)
            for t, k in (("f1", "Fact"), ("e1", "Episode"), ("ent_m", "Entity"), ("s", "Session"))
        ],
    )


@pytest.mark.parametrize("dialect", sorted(BOOKS))
def test_write_plan_passes_exactly_what_each_query_declares(dialect: str) -> None:
    plan = write_plan(_full_batch())
    assert len({name for name, _ in plan}) == len(plan) >= 16  # every write query, once
    for name, params in plan:
        query = BOOKS[dialect][name]
        assert set(params) == query.params, f"{dialect}/{name}: plan passes {sorted(params)}"
        if "rows" in params:
            provided = set().union(*(row.keys() for row in params["rows"]))
            missing = row_fields(query) - provided
            assert not missing, f"{dialect}/{name} reads row fields the plan never sets: {sorted(missing)}"


@pytest.mark.parametrize("module", ["kuzu", "neo4j"])
def test_backends_only_run_queries_that_exist(module: str) -> None:
    """Every query name a backend passes to its runner is a file of its dialect (f-strings over kinds)."""
    store_dir = ROOT / "graphmem" / "store"
    source = "".join((store_dir / f).read_text(encoding="utf-8") for f in (f"{module}.py", "shared.py"))
    called = re.findall(r'(?:_read|_run_on|\brun)\((?:\w+, )?(f?)"([a-z0-9_{}().]+)"', source)
    assert len(called) >= 20, called
    names = set(BOOKS[module].names())
    for is_f, pattern in called:
        expanded = [re.sub(r"\{[^}]*\}", kind, pattern) for kind in KINDS] if is_f else [pattern]
        for name in expanded:
            assert name in names, f"{module}.py runs {name!r}, which cypher/{module}/ does not define"


# --- the Neo4j backend without a server ---------------------------------------------------------

neo4j_store = pytest.importorskip("graphmem.store.neo4j", reason="the neo4j driver is not installed")
Neo4jStore = neo4j_store.Neo4jStore


def test_neo4j_store_implements_the_protocol_with_the_same_signatures() -> None:
    store = Neo4jStore("bolt://127.0.0.1:1", "neo4j", "secret")  # no I/O in the constructor
    assert isinstance(store, GraphStore)
    assert store.dialect == "neo4j"
    for name, member in inspect.getmembers(GraphStore, inspect.isfunction):
        if name.startswith("_"):
            continue
        ours = inspect.signature(getattr(Neo4jStore, name))
        assert list(ours.parameters) == list(inspect.signature(member).parameters), name
    assert "secret" not in repr(store)


@pytest.mark.parametrize("uri", ["bolt://127.0.0.1:1", "neo4j://127.0.0.1:1"])
def test_open_on_an_unreachable_server_fails_fast(uri: str) -> None:
    store = Neo4jStore(uri, "neo4j", "secret", connect_timeout_s=2.0)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match=re.escape(uri)):
        store.open(dimension=384)
    assert time.monotonic() - started < 5.0
    # nothing half-open is left behind: reads say the store is not open, close is safe twice
    with pytest.raises(StoreError, match="not open"):
        store.get_facts("ns", ["f1"])
    store.close()
    store.close()
    with pytest.raises(ClosedError):
        store.get_facts("ns", ["f1"])
    with pytest.raises(ClosedError):
        store.open(dimension=384)


@pytest.mark.parametrize("uri", ["http://localhost:7474", "localhost:7687", "bolt:/localhost"])
def test_unsupported_uri_is_refused_at_construction(uri: str) -> None:
    with pytest.raises(InvalidInput, match="unsupported Neo4j URI"):
        Neo4jStore(uri, "neo4j", "secret")


@pytest.mark.parametrize("dimension", [0, -3, 4097, True, 384.0])
def test_open_refuses_an_impossible_dimension_before_connecting(dimension: object) -> None:
    store = Neo4jStore("bolt://127.0.0.1:1", "neo4j", "secret")
    with pytest.raises(InvalidInput, match="dimension"):
        store.open(dimension=dimension)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lisbon", "Lisbon"),
        ("where does Maria live?", r"where does Maria live\?"),
        ("title:x* OR name:~y", r"title\:x\* or name\:\~y"),
        # tokens with no letter or digit ("&&", "||") carry no term and are dropped
        (
            '"C++" && (a || !b) [1 TO 5] {x} ^2 /re/ back\\slash',
            r"\"C\+\+\" \(a \!b\) \[1 to 5\] \{x\} \^2 \/re\/ back\\slash",
        ),
        ("NOT AND", "not and"),
        ("?? -- ***", ""),
        ("   ", ""),
    ],
)
def test_lucene_query_escapes_every_operator(text: str, expected: str) -> None:
    assert neo4j_store.lucene_query(text) == expected


def test_lucene_query_leaves_no_unescaped_special_character() -> None:
    special = set('+-&|!(){}[]^"~*?:\\/')
    nasty = "".join(chr(c) for c in range(32, 127)) + " AND OR NOT TO " + "a:b (c) [d TO e] f~2 g^3"
    query = neo4j_store.lucene_query(nasty)
    i = 0
    while i < len(query):
        if query[i] == "\\":
            assert query[i + 1] in special, query[i : i + 2]
            i += 2
            continue
        assert query[i] not in special, (i, query)
        i += 1
    assert not set(query.split()) & {"AND", "OR", "NOT", "TO"}
    assert len(neo4j_store.lucene_query("word " * 5000).split()) == neo4j_store.MAX_QUERY_TERMS
