"""Unit tests of the store's derived indexes and the read-only Cypher guard.

``VectorIndex`` is checked against numpy brute force, ``LexicalIndex`` against Okapi BM25 worked out
by hand on a three-document corpus, and ``check_read_only`` against write and admin statements in
every disguise the issue names (case, comments, string literals, several statements) and against
reads that merely look like writes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import pytest

from graphmem.errors import InvalidInput, ReadOnlyViolation
from graphmem.store.lexical import LexicalIndex, analyze
from graphmem.store.readonly import check_read_only, tokens
from graphmem.store.vectors import VectorIndex

# --- VectorIndex ---------------------------------------------------------------------------------


class VectorSource:
    """A stand-in for the store's embedding columns that counts how often it is read."""

    def __init__(self, rows: dict[tuple[str, str], dict[str, np.ndarray]]) -> None:
        self.rows = rows
        self.calls: Counter[tuple[str, str]] = Counter()

    def __call__(self, kind: str, namespace: str) -> Iterable[tuple[str, Sequence[float]]]:
        self.calls[(kind, namespace)] += 1
        return [(i, v.tolist()) for i, v in self.rows.get((kind, namespace), {}).items()]


def brute_force(vectors: dict[str, np.ndarray], query: np.ndarray, k: int) -> list[tuple[str, float]]:
    names = list(vectors)
    matrix = np.stack([vectors[n] for n in names]).astype(np.float64)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    scores = matrix @ (query / np.linalg.norm(query))
    order = np.argsort(-scores, kind="stable")[:k]
    return [(names[i], float(scores[i])) for i in order]


def assert_same_ranking(got: list[tuple[str, float]], want: list[tuple[str, float]]) -> None:
    assert [g[0] for g in got] == [w[0] for w in want]
    assert [g[1] for g in got] == pytest.approx([w[1] for w in want], abs=1e-5)


@pytest.fixture
def random_vectors() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(7)
    # random scales: stored vectors need not be unit length, the index normalises
    return {f"v{i}": rng.standard_normal(16) * rng.uniform(0.1, 10) for i in range(600)}


def test_vector_search_matches_brute_force(random_vectors: dict[str, np.ndarray]) -> None:
    index = VectorIndex(16, VectorSource({("Fact", "ns"): random_vectors}))
    rng = np.random.default_rng(11)
    for _ in range(25):
        query = rng.standard_normal(16)
        assert_same_ranking(
            index.search("Fact", "ns", query.tolist(), 10), brute_force(random_vectors, query, 10)
        )
    # k beyond the table size returns everything, best first
    everything = index.search("Fact", "ns", query.tolist(), 5000)
    assert len(everything) == 600 and [s for _, s in everything] == sorted(
        (s for _, s in everything), reverse=True
    )


def test_vector_index_loads_lazily_once_per_kind_and_namespace(random_vectors: dict[str, np.ndarray]) -> None:
    source = VectorSource({("Fact", "a"): random_vectors, ("Fact", "b"): {"only_b": np.ones(16)}})
    index = VectorIndex(16, source)
    # writes before the first search are ignored: the loader (the store) will hold them
    index.add("Fact", "a", ["early"], [np.ones(16).tolist()])
    assert source.calls == Counter()
    index.search("Fact", "a", np.ones(16).tolist(), 3)
    index.search("Fact", "a", np.ones(16).tolist(), 3)
    assert source.calls == Counter({("Fact", "a"): 1})
    assert "early" not in {i for i, _ in index.search("Fact", "a", np.ones(16).tolist(), 1000)}
    assert [i for i, _ in index.search("Fact", "b", np.ones(16).tolist(), 10)] == ["only_b"]
    assert index.search("Entity", "a", np.ones(16).tolist(), 10) == []  # other kind, other table
    assert source.calls == Counter({("Fact", "a"): 1, ("Fact", "b"): 1, ("Entity", "a"): 1})
    # after a drop the namespace is read from the store again
    index.drop_namespace("a")
    index.search("Fact", "a", np.ones(16).tolist(), 3)
    assert source.calls[("Fact", "a")] == 2 and source.calls[("Fact", "b")] == 1


def test_vector_index_grows_and_keeps_earlier_rows(random_vectors: dict[str, np.ndarray]) -> None:
    index = VectorIndex(16, VectorSource({}))
    index.search("Fact", "ns", np.ones(16).tolist(), 1)  # load the (empty) table so adds are kept
    items = list(random_vectors.items())
    for start in range(0, len(items), 37):  # many small adds force several reallocations
        chunk = items[start : start + 37]
        index.add("Fact", "ns", [n for n, _ in chunk], [v.tolist() for _, v in chunk])
    rng = np.random.default_rng(3)
    for _ in range(10):
        query = rng.standard_normal(16)
        assert_same_ranking(
            index.search("Fact", "ns", query.tolist(), 10), brute_force(random_vectors, query, 10)
        )
    # re-adding a known id does not duplicate it (embeddings are immutable; the first one stays)
    index.add("Fact", "ns", ["v0"], [(-random_vectors["v0"]).tolist()])
    hits = index.search("Fact", "ns", random_vectors["v0"].tolist(), 600)
    assert [i for i, _ in hits].count("v0") == 1 and hits[0] == ("v0", pytest.approx(1.0, abs=1e-5))


def test_vector_index_removal(random_vectors: dict[str, np.ndarray]) -> None:
    index = VectorIndex(16, VectorSource({("Fact", "ns"): random_vectors}))
    query = np.random.default_rng(5).standard_normal(16)
    top = [i for i, _ in index.search("Fact", "ns", query.tolist(), 8)]
    index.remove("Fact", "ns", [*top[:5], "never-there"])
    remaining = {k: v for k, v in random_vectors.items() if k not in top[:5]}
    # still k results: removed rows at the top must not shrink the answer
    assert_same_ranking(index.search("Fact", "ns", query.tolist(), 10), brute_force(remaining, query, 10))
    # a removed id can come back with a new vector (delete + insert is how an embedding changes)
    index.add("Fact", "ns", [top[0]], [query.tolist()])
    hits = index.search("Fact", "ns", query.tolist(), 600)
    assert hits[0] == (top[0], pytest.approx(1.0, abs=1e-5))
    assert [i for i, _ in hits].count(top[0]) == 1 and len(hits) == 596
    index.remove("Fact", "other-namespace", [top[0]])  # unknown table: nothing happens
    assert index.search("Fact", "ns", query.tolist(), 1)[0][0] == top[0]


def test_vector_index_rejects_wrong_dimension() -> None:
    index = VectorIndex(4, VectorSource({("Fact", "ns"): {"a": np.ones(4)}}))
    with pytest.raises(ValueError, match="dimensions"):
        index.search("Fact", "ns", [1.0, 0.0], 1)


# --- LexicalIndex --------------------------------------------------------------------------------

CORPUS = {
    "d1": "Lisbon tram, Lisbon!",  # terms: lisbon lisbon tram      (length 3)
    "d2": "The Berlin trams",  # terms: berlin tram             (length 2; "the" is a stop word)
    "d3": "Porto wine cellars",  # terms: porto wine cellar       (length 3)
}


class TextSource:
    def __init__(self, rows: dict[tuple[str, str], dict[str, str]]) -> None:
        self.rows = rows
        self.calls: Counter[tuple[str, str]] = Counter()

    def __call__(self, kind: str, namespace: str) -> Iterable[tuple[str, str]]:
        self.calls[(kind, namespace)] += 1
        return list(self.rows.get((kind, namespace), {}).items())


def test_analyze_folds_case_plurals_and_stop_words() -> None:
    assert analyze(CORPUS["d2"]) == ["berlin", "tram"]
    assert analyze("Cities, buses and glasses; the city's bus") == ["city", "buse", "glasse", "city", "bus"]
    assert analyze("Ünïcode café 2024") == ["ünïcode", "café", "2024"]
    assert analyze("the and of") == []


def test_bm25_matches_hand_computed_scores() -> None:
    """Okapi BM25, k1 = 1.2, b = 0.75, idf = ln(1 + (N - df + 0.5) / (df + 0.5)); N = 3, avgdl = 8/3.

    lisbon: df 1 -> idf = ln(1 + 2.5/1.5) = ln(8/3) = 0.980829
    tram:   df 2 -> idf = ln(1 + 1.5/2.5) = ln(1.6) = 0.470004
    d1 (len 3): K = 1.2 * (0.25 + 0.75 * 3 / (8/3)) = 1.3125
        lisbon tf 2: 0.980829 * 2 * 2.2 / (2 + 1.3125) = 1.302834
        tram   tf 1: 0.470004 * 1 * 2.2 / (1 + 1.3125) = 0.447139     -> 1.749973
    d2 (len 2): K = 1.2 * (0.25 + 0.75 * 2 / (8/3)) = 0.975
        tram   tf 1: 0.470004 * 2.2 / 1.975 = 0.523549                 -> 0.523549
    """
    index = LexicalIndex(TextSource({("Fact", "ns"): CORPUS}))
    hits = index.search("Fact", "ns", "lisbon trams", 10)
    assert [h[0] for h in hits] == ["d1", "d2"]
    assert hits[0][1] == pytest.approx(1.749973, abs=1e-5)
    assert hits[1][1] == pytest.approx(0.523549, abs=1e-5)
    # a query term repeated counts once; stop words and unknown words add nothing
    assert index.search("Fact", "ns", "the lisbon lisbon trams of zurich", 10) == hits
    assert index.search("Fact", "ns", "lisbon trams", 1) == hits[:1]
    assert index.search("Fact", "ns", "the of and", 10) == []
    assert index.search("Fact", "ns", "", 10) == []


def test_bm25_statistics_are_per_namespace_and_kind() -> None:
    index = LexicalIndex(
        TextSource(
            {
                ("Fact", "a"): CORPUS,
                ("Fact", "b"): {"b1": "Lisbon tram", "b2": "Lisbon", "b3": "Lisbon harbour view"},
                ("Episode", "a"): {"e1": "Lisbon"},
            }
        )
    )
    baseline = index.search("Fact", "a", "lisbon trams", 10)
    assert [h[0] for h in index.search("Fact", "b", "lisbon", 10)] == ["b2", "b1", "b3"]
    assert index.search("Fact", "a", "lisbon trams", 10) == baseline  # B's documents change nothing in A
    assert [h[0] for h in index.search("Episode", "a", "lisbon", 10)] == ["e1"]
    assert {h[0] for h in index.search("Fact", "a", "lisbon again", 10)} == {"d1"}


def test_lexical_index_add_remove_and_lazy_load() -> None:
    source = TextSource({("Fact", "ns"): dict(CORPUS)})
    index = LexicalIndex(source)
    index.add("Fact", "ns", [("early", "lisbon")])  # before the first search: ignored, the store has it
    assert source.calls == Counter()
    assert "early" not in {h[0] for h in index.search("Fact", "ns", "lisbon", 10)}
    index.add("Fact", "ns", [("d4", "Lisbon wine bars")])
    assert {h[0] for h in index.search("Fact", "ns", "wine", 10)} == {"d3", "d4"}
    index.remove("Fact", "ns", ["d4", "never-there"])
    # after removal the statistics are those of a fresh index over the remaining documents
    fresh = LexicalIndex(TextSource({("Fact", "ns"): CORPUS}))
    for query in ("lisbon trams", "wine", "porto cellar berlin"):
        assert_same_ranking(index.search("Fact", "ns", query, 10), fresh.search("Fact", "ns", query, 10))
    # re-adding an id replaces its text
    index.add("Fact", "ns", [("d1", "Madrid")])
    assert [h[0] for h in index.search("Fact", "ns", "lisbon", 10)] == []
    assert [h[0] for h in index.search("Fact", "ns", "madrid", 10)] == ["d1"]
    assert source.calls == Counter({("Fact", "ns"): 1})
    index.drop_namespace("ns")
    assert [h[0] for h in index.search("Fact", "ns", "lisbon", 10)] == ["d1"]  # reloaded from the store
    assert source.calls == Counter({("Fact", "ns"): 2})


def test_bm25_idf_is_positive_for_very_common_terms() -> None:
    """The +1 inside the log keeps a term in every document from scoring zero or negative."""
    index = LexicalIndex(TextSource({("Fact", "ns"): {"a": "tea", "b": "tea", "c": "tea time"}}))
    hits = index.search("Fact", "ns", "tea", 10)
    assert len(hits) == 3 and all(score > 0 for _, score in hits)
    assert hits[-1][0] == "c"  # the longer document ranks last
    assert hits[0][1] == pytest.approx(
        math.log(1 + 0.5 / 3.5) * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 3 / 4)), abs=1e-9
    )


# --- check_read_only ------------------------------------------------------------------------------

REFUSED = [
    "CREATE (n:Entity {id: 'x'})",
    "MERGE (n:Entity {id: 'x'}) RETURN n",
    "MATCH (n:Fact) SET n.status = 'retracted'",
    "MATCH (n) SET n:Create",
    "MATCH (n) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "OPTIONAL MATCH (n) NODETACH DELETE n",
    "MATCH (n) REMOVE n.name",
    "DROP TABLE Entity",
    "DROP INDEX fact_text IF EXISTS",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "LOAD FROM 'facts.csv' RETURN *",
    "LOAD EXTENSION fts",
    "COPY Entity FROM 'entities.csv'",
    "COPY (MATCH (n) RETURN n) TO '/tmp/dump.csv'",
    "ALTER TABLE Entity ADD secret STRING",
    "INSTALL fts",
    "CALL CREATE_FTS_INDEX('Fact', 'fact_fts', ['text'])",
    "CALL drop_fts_index('Fact', 'fact_fts')",
    "CALL threads=1",
    "CALL dbms.security.createUser('eve', 'secret', false)",
    "CALL db.createLabel('Evil')",
    "CALL `db.createLabel`('Evil')",
    "CALL db . createLabel ('Evil')",
    "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {})",
    "CALL db.labels() YIELD label MERGE (:Seen {name: label})",
    "MATCH (n) RETURN n; MATCH (m) DETACH DELETE m",
    "RETURN 1; DROP TABLE Entity;",
    "MATCH (n) RETURN n;;",
    "match (n) detach delete n",
    "MaTcH (n) DeTaCh DeLeTe n",
    "/* only reading, promise */ CREATE (n:Entity)",
    "MATCH (n) // find them\nDELETE n",
    "MATCH (n) /* multi\nline */ SET n.x = 1",
    "MATCH (n) WHERE n.name = 'it\\'s' DELETE n",
    'MATCH (n) WHERE n.url = "http://a//b" DELETE n',
    "MATCH (n) WHERE n.name = '/*' DELETE n // '*/'",
    "FOREACH (x IN [1, 2] | CREATE (:Entity {id: x}))",
    "CALL { CREATE (n:Entity) }",
    "MATCH (n) CALL (n) { SET n.seen = true }",
    "UNWIND $rows AS row MERGE (:Entity {id: row.id})",
    "ATTACH 'other.kuzu' AS other (dbtype kuzu)",
    "DETACH other",
    "USE other MATCH (n) RETURN n",
    "CHECKPOINT",
    "BEGIN TRANSACTION",
    "EXPORT DATABASE '/tmp/out'",
    "IMPORT DATABASE '/tmp/out'",
    "CREATE USER eve SET PASSWORD 'secret'",
    "GRANT ROLE admin TO eve",
    "REVOKE ROLE admin FROM neo4j",
    "DENY READ {*} ON GRAPH * TO eve",
    "STOP DATABASE neo4j",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "CREATE OR REPLACE DATABASE evil",
    "INSERT (:Entity {id: 'x'})",
    # Neo4j's lexer ends a // comment at '\r' (SINGLE_LINE_COMMENT: '//' ~[\r\n]* in Cypher5Lexer.g4) and
    # treats '\r' as whitespace, so Neo4j would run this DELETE (Kuzu fails to parse it).
    "MATCH (n) // harmless\rDETACH DELETE n",
    "COMMENT ON TABLE Entity IS 'owned'",  # Kuzu writes the catalog ('Comment added to table Entity.')
    "DEALLOCATE DATABASES FROM SERVER 'server-1'",  # Neo4j 5 server management
    "REALLOCATE DATABASES",
    "DRYRUN REALLOCATE DATABASES",
]

ALLOWED = [
    "MATCH (n:Entity) WHERE n.name = 'CREATE' RETURN n",
    'MATCH (n:Entity) WHERE n.name = "DETACH DELETE n" RETURN n',
    "MATCH (n) WHERE n.set = 1 RETURN n.set, n.delete, n.merge",
    "MATCH (n) WHERE n.`remove` = 1 RETURN n",
    "MATCH (n:Create) RETURN n",
    "MATCH (n:`Delete`) RETURN n",
    "MATCH (a)-[r:SET]->(b) RETURN r",
    "MATCH (n) WHERE n.url = 'http://example.com//path' RETURN n",
    "MATCH (n) RETURN n // DETACH DELETE n",
    "MATCH (n) RETURN n /* CREATE (m) */",
    "MATCH (n) RETURN {delete: 1, create: n.merge} AS m",
    "WITH 'a; CREATE (x)' AS s RETURN s",
    'MATCH (n) WHERE n.text CONTAINS "it\'s" RETURN n',
    "MATCH (n) RETURN n;",
    "match (n:Entity) return n.name limit 5",
    "UNWIND $ids AS id MATCH (n:Fact {id: id}) RETURN n",
    "MATCH p = (a:Entity)-[:RELATES*1..3]->(b:Entity) RETURN p",
    "CALL db.labels() YIELD label RETURN label",
    "CALL db.index.fulltext.queryNodes('fact_text', 'lisbon') YIELD node, score RETURN node, score",
    "CALL show_tables() RETURN *",
    "CALL table_info('Entity') RETURN *",
    "CALL { MATCH (n:Entity) RETURN n } RETURN n",
    "MATCH (n) RETURN count(n) AS created, 1 AS deleted",
    "OPTIONAL MATCH (n:Session) RETURN n.outcome ORDER BY n.started_at DESC SKIP 1 LIMIT 2",
]


@pytest.mark.parametrize("query", REFUSED)
def test_writes_and_admin_are_refused(query: str) -> None:
    with pytest.raises(ReadOnlyViolation):
        check_read_only(query)


@pytest.mark.parametrize("query", ALLOWED)
def test_reads_are_allowed(query: str) -> None:
    check_read_only(query)


def test_enough_refusals_are_covered() -> None:
    assert len(REFUSED) >= 25 and len(set(REFUSED)) == len(REFUSED)


@pytest.mark.parametrize("query", ["", "   \n ", "// only a comment", "/* nothing */"])
def test_empty_queries_are_invalid_input(query: str) -> None:
    with pytest.raises(InvalidInput):
        check_read_only(query)


@pytest.mark.parametrize("query", ["MATCH (n) WHERE n.name = 'open RETURN n", "MATCH (`n) RETURN 1"])
def test_unterminated_literals_are_invalid_input(query: str) -> None:
    with pytest.raises(InvalidInput):
        check_read_only(query)


def test_tokens_drop_comments_and_keep_literals_whole() -> None:
    toks = tokens("MATCH (n) /* x */ WHERE n.a = 'b // c' // tail\nRETURN n")
    assert ("string", "'b // c'") in toks
    assert [t for k, t in toks if k == "word"] == ["MATCH", "n", "WHERE", "n", "a", "RETURN", "n"]
