"""Bulk loading for the embedded store: a batch of *new* records written by Kuzu's COPY, not row by row.

Why: ``write`` runs each named query once per row (Kuzu plans ``UNWIND .. MATCH`` as a table scan,
so a primary-key look-up per row is the fast form of a normal write), about 26 ms per fact on this
machine with edges and evidence. Large imports and the scale benchmark write batches of thousands of
records that are all new; COPY FROM a CSV file loads those in bulk, table by table, inside the same
one transaction.

A COPY must never fail inside that transaction: measured on Kuzu 0.11.3, when a rel-table COPY fails
(an endpoint that does not exist) and the transaction rolls back, the rel tables COPY'd earlier in it
lose *all* their edges, also the ones committed long before, and the loss survives a reopen. So the
batch is checked first (``check_new``): every id new, every edge endpoint in the batch or already in
the store; a batch that fails the check is refused before anything runs.

``csv_tables`` renders a batch as one CSV text per table, in the column order of ``cypher/kuzu/schema``,
or returns None when the batch needs what COPY cannot do: upserts of existing records, fact updates,
insights, SIMILAR and DERIVED_FROM edges, store settings, or list elements Kuzu's CSV list syntax
cannot carry. The caller then falls back to ``write``. Two known differences from ``write`` are
harmless to every reader: Kuzu's CSV reader stores an empty string as NULL, and row converters read
NULL strings back as "" (``records.*_from_row``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from graphmem.errors import StoreError
from graphmem.model import WriteBatch
from graphmem.store.records import (
    _entity_row,
    _episode_row,
    _fact_row,
    _session_row,
    uid,
)

__all__ = ["COPY_ORDER", "check_new", "csv_tables"]

COPY_ORDER = (
    "Session",
    "Episode",
    "Entity",
    "Fact",
    "IN_SESSION",
    "NEXT",
    "SUBJECT_OF",
    "OBJECT",
    "RELATES",
    "EVIDENCED_BY",
    "MENTIONS",
    "SUPERSEDES",
)
_COLUMNS = {
    "Session": ("uid", "id", "namespace", "title", "goal", "started_at", "outcome", "score", "embedding"),
    "Episode": (
        "uid",
        "id",
        "namespace",
        "session_id",
        "seq",
        "speaker",
        "role",
        "content",
        "search_text",
        "occurred_at",
        "ingested_at",
        "source",
        "metadata",
        "embedding",
    ),
    "Entity": (
        "uid",
        "id",
        "namespace",
        "name",
        "key",
        "type",
        "aliases",
        "alias_keys",
        "search_text",
        "summary",
        "mention_count",
        "first_seen",
        "last_seen",
        "embedding",
    ),
    "Fact": (
        "uid",
        "id",
        "namespace",
        "subject_id",
        "predicate",
        "predicate_raw",
        "object_id",
        "object_value",
        "text",
        "polarity",
        "modality",
        "status",
        "valid_from",
        "valid_to",
        "recorded_at",
        "invalidated_at",
        "confidence",
        "support",
        "access_count",
        "last_access",
        "utility",
        "embedding",
    ),
}
_UNSAFE_ELEMENT = re.compile(r"[,\[\]'\"\\\n\r{}]|^\s|\s$|^$")


class _NotCopyable(Exception):
    """The batch holds something COPY cannot write; use ``write``."""


def _field(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") if value.tzinfo else str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        if value and isinstance(value[0], float):
            return '"[' + ",".join(f"{x:.9g}" for x in value) + ']"'
        if any(not isinstance(x, str) or _UNSAFE_ELEMENT.search(x) for x in value):
            raise _NotCopyable("a list element Kuzu's CSV list syntax cannot carry")
        return '"[' + ",".join(value) + ']"'
    raise _NotCopyable(f"no CSV form for {type(value).__name__}")


def _lines(rows: Iterable[Sequence[Any]]) -> str:
    return "".join(",".join(_field(v) for v in row) + "\n" for row in rows)


def csv_tables(batch: WriteBatch) -> dict[str, str] | None:
    """CSV text per table for a batch of new records, or None when the batch needs ``write``."""
    if batch.fact_updates or batch.insights or batch.similar or batch.derived_from or batch.meta:
        return None
    ns = batch.namespace
    try:
        tables = {
            "Session": _lines([_session_row(s)[c] for c in _COLUMNS["Session"]] for s in batch.sessions),
            "Episode": _lines([_episode_row(e)[c] for c in _COLUMNS["Episode"]] for e in batch.episodes),
            "Entity": _lines([_entity_row(n)[c] for c in _COLUMNS["Entity"]] for n in batch.entities),
            "Fact": _lines([_fact_row(f)[c] for c in _COLUMNS["Fact"]] for f in batch.facts),
            "IN_SESSION": _lines((uid(ns, e.id), uid(ns, e.session_id)) for e in batch.episodes),
            "NEXT": _lines((uid(ns, n.prev_id), uid(ns, n.next_id)) for n in batch.next_links),
            "SUBJECT_OF": _lines((uid(ns, f.subject_id), uid(ns, f.id)) for f in batch.facts),
            "OBJECT": _lines(
                (uid(ns, f.id), uid(ns, f.object_id)) for f in batch.facts if f.object_id is not None
            ),
            "RELATES": _lines(
                (
                    uid(ns, f.subject_id),
                    uid(ns, f.object_id),
                    ns,
                    f.id,
                    f.predicate,
                    f.status.value,
                    f.valid_from,
                    f.valid_to,
                    f.recorded_at,
                )
                for f in batch.facts
                if f.object_id is not None
            ),
            # EVIDENCED_BY and MENTIONS are MERGEd by ``write``: one edge per pair
            "EVIDENCED_BY": _lines(
                dict.fromkeys((uid(ns, e.fact_id), uid(ns, e.episode_id)) for e in batch.evidence)
            ),
            "MENTIONS": _lines(
                dict.fromkeys((uid(ns, m.episode_id), uid(ns, m.entity_id)) for m in batch.mentions)
            ),
            "SUPERSEDES": _lines(
                (uid(ns, s.new_id), uid(ns, s.old_id), s.reason, s.rule, s.at, s.old_status.value)
                for s in batch.supersedes
            ),
        }
    except _NotCopyable:
        return None
    return {name: text for name, text in tables.items() if text}


def check_new(
    batch: WriteBatch,
    *,
    existing: Callable[[str, Collection[str]], set[str]],
) -> None:
    """Refuse a batch whose ids exist already or whose edges point at nodes that exist nowhere.

    ``existing(kind, ids)`` returns which of ``ids`` the store holds for a node kind (Session,
    Episode, Entity, Fact). Raises StoreError naming the first problem; nothing has been written.
    """
    groups = {
        "Session": [r.id for r in batch.sessions],
        "Episode": [r.id for r in batch.episodes],
        "Entity": [r.id for r in batch.entities],
        "Fact": [r.id for r in batch.facts],
    }
    for kind, ids in groups.items():
        if len(set(ids)) != len(ids):
            raise StoreError(f"bulk write: the batch holds a {kind} id twice; nothing was written")
        clash = existing(kind, ids) if ids else set()
        if clash:
            raise StoreError(
                f"bulk write: {kind} {sorted(clash)[0]!r} exists already (bulk writes only create); "
                "nothing was written"
            )
    wanted: dict[str, set[str]] = {
        "Session": {e.session_id for e in batch.episodes},
        "Episode": {e.episode_id for e in batch.evidence}
        | {m.episode_id for m in batch.mentions}
        | {n.prev_id for n in batch.next_links}
        | {n.next_id for n in batch.next_links},
        "Entity": {f.subject_id for f in batch.facts}
        | {f.object_id for f in batch.facts if f.object_id is not None}
        | {m.entity_id for m in batch.mentions},
        "Fact": {e.fact_id for e in batch.evidence}
        | {s.new_id for s in batch.supersedes}
        | {s.old_id for s in batch.supersedes},
    }
    for kind, referenced in wanted.items():
        outside = referenced - set(groups[kind])
        missing = outside - existing(kind, outside) if outside else set()
        if missing:
            raise StoreError(
                f"bulk write: an edge references {kind} {sorted(missing)[0]!r}, which does not exist in "
                f"namespace {batch.namespace!r}; nothing was written"
            )
