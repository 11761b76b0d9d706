"""A lexical guard that refuses Cypher which writes or administers, before it reaches a database.

Neo4j also runs exploration queries in a READ access-mode transaction; Kuzu has no read-only
transaction per connection, so this check is its only guard and must not be fooled by case, comments,
string literals, escaped identifiers or a second statement hidden after a semicolon. It works on
tokens, not on regular expressions over raw text: comments and literals are removed first, so a
keyword inside a string never counts, and a keyword used as a property (``n.set``), label
(``:Create``) or map key (``{delete: 1}``) is not mistaken for a clause.
"""

from __future__ import annotations

import re

from graphmem.errors import InvalidInput, ReadOnlyViolation

__all__ = ["READ_PROCEDURES", "check_read_only", "tokens"]

WRITE_CLAUSES = frozenset(
    {
        "create",
        "merge",
        "set",
        "delete",
        "detach",
        "remove",
        "drop",
        "alter",
        "load",
        "copy",
        "install",
        "attach",
        "import",
        "export",
        "checkpoint",
        "begin",
        "commit",
        "rollback",
        "foreach",
        "use",
        "grant",
        "deny",
        "revoke",
        "start",
        "stop",
        "terminate",
        "rename",
        "enable",
        "disable",
        "uninstall",
        "update",
        "insert",
        "truncate",
        "vacuum",
        "comment",
        "deallocate",
        "reallocate",
        "dryrun",
    }
)
"""Clauses that change data, schema, databases, users or the session."""

READ_PROCEDURES = frozenset(
    {
        # Neo4j
        "db.labels",
        "db.relationshiptypes",
        "db.propertykeys",
        "db.schema.visualization",
        "db.schema.nodetypeproperties",
        "db.schema.reltypeproperties",
        "db.index.fulltext.querynodes",
        "db.index.fulltext.queryrelationships",
        "db.index.vector.querynodes",
        "db.info",
        "db.ping",
        "dbms.components",
        # Kuzu
        "show_tables",
        "table_info",
        "show_connection",
        "query_fts_index",
        "query_vector_index",
        "show_indexes",
        "show_functions",
        "db_version",
        "show_warnings",
    }
)
"""The procedures exploration may CALL; anything else (writes, admin, settings) is refused.
``current_setting`` is not here: it discloses the server's home directory and file paths."""

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<line_comment>//[^\r\n]*)
  | (?P<block_comment>/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
  | (?P<quoted>`(?:[^`]|``)*(?:`|\Z))
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<param>\$[A-Za-z_][A-Za-z0-9_]*)
  | (?P<symbol>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def tokens(query: str) -> list[tuple[str, str]]:
    """(kind, text) tokens of a Cypher query with whitespace and comments dropped."""
    out: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "symbol"
        if kind in {"ws", "line_comment", "block_comment"}:
            continue
        text = match.group(0)
        if kind in {"string", "quoted"} and (len(text) < 2 or text[-1] != text[0]):
            raise InvalidInput("malformed Cypher: unterminated string or identifier")
        out.append((kind, text))
    return out


def _procedure_name(toks: list[tuple[str, str]], start: int) -> str:
    parts: list[str] = []
    i = start
    while i < len(toks):
        kind, text = toks[i]
        if kind in {"word", "quoted"}:
            parts.append(text.strip("`").lower())
            if i + 1 < len(toks) and toks[i + 1][1] == ".":
                i += 2
                continue
        break
    return ".".join(parts)


def check_read_only(query: str) -> None:
    """Raise ReadOnlyViolation if ``query`` could write or administer; InvalidInput if it is empty.

    >>> check_read_only("MATCH (n) WHERE n.name = 'CREATE' RETURN n // DELETE")
    >>> check_read_only("match (n) detach delete n")
    Traceback (most recent call last):
    ...
    graphmem.errors.ReadOnlyViolation: read-only Cypher refused a write or admin clause: DETACH
    """
    if not isinstance(query, str) or not query.strip():
        raise InvalidInput("Cypher query is empty")
    toks = tokens(query)
    if not toks:
        raise InvalidInput("Cypher query is empty (only comments)")
    # One statement only: a trailing semicolon is fine, a second statement is not.
    semis = [i for i, (kind, text) in enumerate(toks) if kind == "symbol" and text == ";"]
    if any(i != len(toks) - 1 for i in semis):
        raise ReadOnlyViolation("read-only Cypher accepts a single statement (found ';' between statements)")
    for i, (kind, text) in enumerate(toks):
        if kind != "word":
            continue
        word = text.lower()
        prev = toks[i - 1][1] if i else ""
        nxt = toks[i + 1][1] if i + 1 < len(toks) else ""
        if prev in {".", ":"} or (nxt == ":" and prev in {"{", ","}) or prev.lower() == "as":
            continue  # property access, label / relationship type, map key, or an alias after AS
        if word in WRITE_CLAUSES:
            raise ReadOnlyViolation(f"read-only Cypher refused a write or admin clause: {text.upper()}")
        if word == "call":
            if nxt == "{" or nxt == "(":
                continue  # CALL { subquery }: its clauses are checked as tokens too
            name = _procedure_name(toks, i + 1)
            if name not in READ_PROCEDURES:
                raise ReadOnlyViolation(f"read-only Cypher refused procedure {name or '?'!r}")
