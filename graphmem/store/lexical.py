"""A derived, incremental BM25 index per (node kind, namespace) for the embedded store.

Why not Kuzu's FTS extension: measured on 0.11.3, rows inserted by one multi-row statement get
each other's postings ("Maria is 34" matched "lisbon"), and inserted documents never update the
collection statistics, so scores stay frozen at their values from the first commit. Rather than give
up batched writes, the store's text columns stay the source of truth and this index is derived from
them, exactly like the vector index: loaded lazily per namespace on first search, updated after each
committed write, rebuilt on open. It is also namespace-scoped, which a store-wide FTS index is not.

Scoring is Okapi BM25 (k1=1.2, b=0.75) over lower-cased word tokens with English stop words removed
and a light plural folding, which is what BM25 baselines in memory benchmarks use.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

__all__ = ["LexicalIndex", "analyze"]

Loader = Callable[[str, str], Iterable[tuple[str, str]]]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "s",
        "t",
        "don",
    ]
)


def _fold(token: str) -> str:
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def analyze(text: str) -> list[str]:
    """Index terms of a text.

    >>> analyze("Maria's cats live in Lisbon since 2019!")
    ['maria', 'cat', 'live', 'lisbon', 'since', '2019']
    """
    return [_fold(t) for t in _WORD.findall(text.lower()) if t not in STOP_WORDS]


class _Table:
    __slots__ = ("doc_len", "ids", "positions", "postings", "total_len")

    def __init__(self) -> None:
        self.ids: list[str | None] = []
        self.positions: dict[str, int] = {}
        self.doc_len: list[int] = []
        self.postings: dict[str, dict[int, int]] = defaultdict(dict)
        self.total_len = 0

    def add(self, doc_id: str, text: str) -> None:
        if doc_id in self.positions:
            self.remove([doc_id])
        terms = Counter(analyze(text))
        pos = len(self.ids)
        self.ids.append(doc_id)
        self.positions[doc_id] = pos
        length = sum(terms.values())
        self.doc_len.append(length)
        self.total_len += length
        for term, tf in terms.items():
            self.postings[term][pos] = tf

    def remove(self, doc_ids: Iterable[str]) -> None:
        for doc_id in doc_ids:
            pos = self.positions.pop(doc_id, None)
            if pos is None:
                continue
            self.ids[pos] = None
            self.total_len -= self.doc_len[pos]
            self.doc_len[pos] = 0
            for term in [t for t, docs in self.postings.items() if pos in docs]:
                del self.postings[term][pos]


class LexicalIndex:
    """BM25 search over the texts of one store, loaded lazily per (kind, namespace)."""

    def __init__(self, loader: Loader, *, k1: float = 1.2, b: float = 0.75) -> None:
        self._loader = loader
        self.k1 = k1
        self.b = b
        self._tables: dict[tuple[str, str], _Table] = {}
        self._lock = threading.RLock()

    def _table(self, kind: str, namespace: str) -> _Table:
        key = (kind, namespace)
        table = self._tables.get(key)
        if table is None:
            table = _Table()
            for doc_id, text in self._loader(kind, namespace):
                table.add(doc_id, text or "")
            self._tables[key] = table
        return table

    def add(self, kind: str, namespace: str, docs: Iterable[tuple[str, str]]) -> None:
        """Record committed texts; ignored until the namespace is first searched (then loaded)."""
        with self._lock:
            table = self._tables.get((kind, namespace))
            if table is not None:
                for doc_id, text in docs:
                    table.add(doc_id, text)

    def remove(self, kind: str, namespace: str, doc_ids: Iterable[str]) -> None:
        with self._lock:
            table = self._tables.get((kind, namespace))
            if table is not None:
                table.remove(doc_ids)

    def drop_namespace(self, namespace: str) -> None:
        with self._lock:
            for key in [k for k in self._tables if k[1] == namespace]:
                del self._tables[key]

    def namespace_bytes(self, namespace: str) -> int:
        """An estimate for the budget: about 100 bytes per posting entry and per document."""
        with self._lock:
            tables = [t for (_, ns), t in self._tables.items() if ns == namespace]
            return sum(100 * (len(t.ids) + sum(len(d) for d in t.postings.values())) for t in tables)

    def search(self, kind: str, namespace: str, query: str, k: int) -> list[tuple[str, float]]:
        with self._lock:
            table = self._table(kind, namespace)
            n_docs = len(table.positions)
            if n_docs == 0:
                return []
            avgdl = table.total_len / n_docs or 1.0
            scores: dict[int, float] = defaultdict(float)
            for term in set(analyze(query)):
                docs = table.postings.get(term)
                if not docs:
                    continue
                idf = math.log(1.0 + (n_docs - len(docs) + 0.5) / (len(docs) + 0.5))
                for pos, tf in docs.items():
                    norm = tf + self.k1 * (1.0 - self.b + self.b * table.doc_len[pos] / avgdl)
                    scores[pos] += idf * tf * (self.k1 + 1.0) / norm
            ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]
            return [(doc_id, score) for pos, score in ranked if (doc_id := table.ids[pos]) is not None]
