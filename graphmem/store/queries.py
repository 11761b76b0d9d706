"""Named Cypher queries, loaded from ``cypher/<dialect>/<name>.cypher`` or ``cypher/common/<name>.cypher``.

A statement that both dialects spell the same way lives once, in ``common/``, so a fix is made once;
a name may live in ``common/`` or in a dialect folder, never both (tests/store/test_query_parity.py).

Queries are data: each file is one statement (or, for Kuzu, a few statements separated by a line
holding only ``;``), named for its purpose, with values always passed as ``$params``. Labels, depths
and limits that Cypher wants as literals are fixed in the files; where a query needs a variant per
depth, it is a separate file (``neighborhood_out_2``), chosen from a validated fixed set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

__all__ = ["COMMON", "NamedQuery", "QueryBook", "cypher_root"]

COMMON = "common"  # the folder of statements spelled the same in every dialect

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_STRING_OR_COMMENT = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*")
_SPLIT = re.compile(r"^\s*;\s*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """One named query of one dialect; ``statements`` run in order inside one transaction."""

    dialect: str
    name: str
    text: str
    statements: tuple[str, ...]
    params: frozenset[str]


def cypher_root() -> Traversable:
    """The folder holding the dialect folders (shipped inside the wheel as ``graphmem.cypher``)."""
    return resources.files("graphmem.cypher")


def _strip_comments(text: str) -> str:
    """Drop // comments; one left-to-right pass so quotes inside comments and // inside strings are safe."""
    return _STRING_OR_COMMENT.sub(lambda m: "" if m.group(0).startswith("//") else m.group(0), text)


class QueryBook:
    """All named queries of one dialect, loaded lazily and cached."""

    def __init__(self, dialect: str) -> None:
        if dialect not in {"kuzu", "neo4j"}:
            raise ValueError(f"unknown Cypher dialect {dialect!r}")
        self.dialect = dialect

    def names(self) -> list[str]:
        """Every query this dialect can run: its own folder plus the shared ``common/`` one."""
        names: set[str] = set()
        for folder in (cypher_root() / self.dialect, cypher_root() / COMMON):
            names.update(p.name[: -len(".cypher")] for p in folder.iterdir() if p.name.endswith(".cypher"))
        return sorted(names)

    def __getitem__(self, name: str) -> NamedQuery:
        return _load(self.dialect, name)


@cache
def _load(dialect: str, name: str) -> NamedQuery:
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise KeyError(f"invalid query name {name!r}")
    path = cypher_root() / dialect / f"{name}.cypher"
    if not path.is_file():
        path = cypher_root() / COMMON / f"{name}.cypher"
    if not path.is_file():
        raise KeyError(f"no query named {name!r} for dialect {dialect!r}")
    text = path.read_text(encoding="utf-8")
    body = _strip_comments(text)
    statements = tuple(s.strip() for s in _SPLIT.split(body) if s.strip())
    params = frozenset(_PARAM.findall(body))
    return NamedQuery(dialect=dialect, name=name, text=text, statements=statements, params=params)
