"""Shared by every backend: record <-> row conversion and the write plan of a batch.

Both dialects store the same properties under the same names, so the mapping between pydantic
records and query rows, and the order in which a batch's named queries run, are written once here.
Backends differ only in how they run a named query inside a transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from graphmem.attachments import full_text
from graphmem.model import (
    Entity,
    Episode,
    Fact,
    FactStatus,
    Insight,
    Session,
    Supersedes,
    WriteBatch,
    dumps_metadata,
    entity_key,
)

__all__ = [
    "ALL_STATUSES",
    "DERIVE_QUERY",
    "entity_from_row",
    "episode_from_row",
    "fact_from_row",
    "insight_from_row",
    "searchable_text",
    "session_from_row",
    "statuses_param",
    "supersedes_from_row",
    "uid",
    "uids",
    "write_plan",
]

ALL_STATUSES: tuple[str, ...] = tuple(s.value for s in FactStatus)
DERIVE_QUERY = {
    "Fact": "derive_fact",
    "Episode": "derive_episode",
    "Entity": "derive_entity",
    "Session": "derive_session",
}

R = TypeVar("R")


def uid(namespace: str, id_: str) -> str:
    """Primary key of a node: ids are unique per namespace, uids across the whole store."""
    return f"{namespace}/{id_}"


def uids(namespace: str, ids: Iterable[str]) -> list[str]:
    return [uid(namespace, i) for i in dict.fromkeys(ids)]


def statuses_param(statuses: Sequence[FactStatus | str] | None) -> list[str]:
    """Status filters are always an explicit list (None means every status)."""
    if statuses is None:
        return list(ALL_STATUSES)
    return [FactStatus(s).value for s in statuses]


def _vec(embedding: list[float] | None) -> list[float] | None:
    return list(embedding) if embedding is not None else None


def _session_row(s: Session) -> dict[str, Any]:
    return {
        "uid": uid(s.namespace, s.id),
        "id": s.id,
        "namespace": s.namespace,
        "title": s.title,
        "goal": s.goal,
        "started_at": s.started_at,
        "outcome": s.outcome,
        "score": s.score,
        "embedding": _vec(s.embedding),
    }


def _episode_row(e: Episode) -> dict[str, Any]:
    return {
        "uid": uid(e.namespace, e.id),
        "id": e.id,
        "namespace": e.namespace,
        "session_uid": uid(e.namespace, e.session_id),
        "session_id": e.session_id,
        "seq": e.seq,
        "speaker": e.speaker,
        "role": e.role.value,
        "content": e.content,
        "search_text": searchable_text(e),
        "occurred_at": e.occurred_at,
        "ingested_at": e.ingested_at,
        "source": e.source,
        "metadata": dumps_metadata(e.metadata),
        "embedding": _vec(e.embedding),
    }


def _entity_row(n: Entity) -> dict[str, Any]:
    alias_keys = sorted({entity_key(a) for a in n.aliases} - {""})
    return {
        "uid": uid(n.namespace, n.id),
        "id": n.id,
        "namespace": n.namespace,
        "name": n.name,
        "key": n.key,
        "type": n.type,
        "aliases": list(n.aliases),
        "alias_keys": alias_keys,
        "search_text": searchable_text(n),
        "summary": n.summary,
        "mention_count": n.mention_count,
        "first_seen": n.first_seen,
        "last_seen": n.last_seen,
        "embedding": _vec(n.embedding),
    }


def _fact_row(f: Fact) -> dict[str, Any]:
    return {
        "uid": uid(f.namespace, f.id),
        "id": f.id,
        "namespace": f.namespace,
        "subject_uid": uid(f.namespace, f.subject_id),
        "subject_id": f.subject_id,
        "predicate": f.predicate,
        "predicate_raw": f.predicate_raw,
        "object_id": f.object_id,
        "object_value": f.object_value,
        "text": f.text,
        "polarity": f.polarity,
        "modality": f.modality.value,
        "status": f.status.value,
        "valid_from": f.valid_from,
        "valid_to": f.valid_to,
        "recorded_at": f.recorded_at,
        "invalidated_at": f.invalidated_at,
        "confidence": f.confidence,
        "support": f.support,
        "access_count": f.access_count,
        "last_access": f.last_access,
        "utility": f.utility,
        "embedding": _vec(f.embedding),
    }


def _insight_row(i: Insight) -> dict[str, Any]:
    return {
        "uid": uid(i.namespace, i.id),
        "id": i.id,
        "namespace": i.namespace,
        "kind": i.kind,
        "text": i.text,
        "score": i.score,
        "created_at": i.created_at,
        "stale": i.stale,
        "utility": i.utility,
        "embedding": _vec(i.embedding),
    }


def searchable_text(record: Episode | Entity | Fact | Insight | Session) -> str:
    """The text a node is found by in full-text search (the same columns the store indexes)."""
    if isinstance(record, Episode):
        text = full_text(record)  # captions of shared media are found like the text
        return f"{record.speaker}: {text}" if record.speaker else text
    if isinstance(record, Entity):
        return " ".join([record.name, *record.aliases])
    if isinstance(record, Session):
        return f"{record.title} {record.goal}"
    return record.text


def write_plan(batch: WriteBatch) -> list[tuple[str, dict[str, Any]]]:
    """The named queries (in dependency order) and parameters that write ``batch``.

    Sessions before episodes (episodes link to them), entities before facts (facts hang off their
    subject), facts before their object edges, evidence and supersession links.
    """
    ns = batch.namespace
    plan: list[tuple[str, dict[str, Any]]] = []

    def add(name: str, rows: list[dict[str, Any]]) -> None:
        if rows:
            plan.append((name, {"rows": rows}))

    add("upsert_sessions", [_session_row(s) for s in batch.sessions])
    add("create_episodes", [_episode_row(e) for e in batch.episodes])
    add(
        "create_next_links",
        [{"prev_uid": uid(ns, link.prev_id), "next_uid": uid(ns, link.next_id)} for link in batch.next_links],
    )
    add("upsert_entities", [_entity_row(n) for n in batch.entities])
    add("create_facts", [_fact_row(f) for f in batch.facts])
    add(
        "create_fact_objects",
        [
            {
                "fact_uid": uid(ns, f.id),
                "subject_uid": uid(ns, f.subject_id),
                "object_uid": uid(ns, f.object_id),
                "namespace": ns,
                "fact_id": f.id,
                "predicate": f.predicate,
                "status": f.status.value,
                "valid_from": f.valid_from,
                "valid_to": f.valid_to,
                "recorded_at": f.recorded_at,
            }
            for f in batch.facts
            if f.object_id is not None
        ],
    )
    if batch.fact_updates:
        plan.append(
            (
                "update_facts",
                {
                    "rows": [
                        {
                            "uid": uid(ns, u.id),
                            "status": u.status.value if u.status else None,
                            "valid_to": u.valid_to,
                            "invalidated_at": u.invalidated_at,
                            "confidence": u.confidence,
                            "support": u.support,
                            "access_count": u.access_count,
                            "last_access": u.last_access,
                            "utility": u.utility,
                        }
                        for u in batch.fact_updates
                    ],
                    "clear_valid_to": [uid(ns, u.id) for u in batch.fact_updates if u.clear_valid_to],
                    "clear_invalidated_at": [
                        uid(ns, u.id) for u in batch.fact_updates if u.clear_invalidated_at
                    ],
                },
            )
        )
        plan.append(("sync_relates", {"uids": uids(ns, (u.id for u in batch.fact_updates))}))
    add(
        "create_evidence",
        [{"fact_uid": uid(ns, ev.fact_id), "episode_uid": uid(ns, ev.episode_id)} for ev in batch.evidence],
    )
    add(
        "create_mentions",
        [{"episode_uid": uid(ns, m.episode_id), "entity_uid": uid(ns, m.entity_id)} for m in batch.mentions],
    )
    add(
        "create_supersedes",
        [
            {
                "new_uid": uid(ns, s.new_id),
                "old_uid": uid(ns, s.old_id),
                "reason": s.reason,
                "rule": s.rule,
                "at": s.at,
                "old_status": s.old_status.value,
            }
            for s in batch.supersedes
        ],
    )
    add(
        "create_similar",
        [{"a_uid": uid(ns, s.a_id), "b_uid": uid(ns, s.b_id), "score": s.score} for s in batch.similar],
    )
    add("upsert_insights", [_insight_row(i) for i in batch.insights])
    for key, value in batch.meta.items():
        plan.append(("meta_set", {"key": key, "value": value}))
    for kind, query in DERIVE_QUERY.items():
        add(
            query,
            [
                {"insight_uid": uid(ns, d.insight_id), "target_uid": uid(ns, d.target_id)}
                for d in batch.derived_from
                if d.target_kind == kind
            ],
        )
    return plan


# --- rows back to records --------------------------------------------------------------------


def _utc(value: Any) -> Any:
    """Backends hand back naive UTC (Kuzu) or driver datetimes (Neo4j); records want aware UTC."""
    if value is None:
        return None
    to_native = getattr(value, "to_native", None)
    if to_native is not None:
        value = to_native()
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


def _clean(row: Mapping[str, Any], times: Sequence[str]) -> dict[str, Any]:
    out = dict(row)
    for key in times:
        out[key] = _utc(out.get(key))
    return out


def session_from_row(row: Mapping[str, Any]) -> Session:
    out = _clean(row, ("started_at",))
    for key in ("title", "goal", "outcome"):
        out[key] = out.get(key) or ""
    return Session.model_validate(out)


def episode_from_row(row: Mapping[str, Any]) -> Episode:
    out = _clean(row, ("occurred_at", "ingested_at"))
    out["metadata"] = json.loads(out.get("metadata") or "{}")
    out["source"] = out.get("source") or ""
    out["speaker"] = out.get("speaker") or ""
    return Episode.model_validate(out)


def entity_from_row(row: Mapping[str, Any]) -> Entity:
    out = _clean(row, ("first_seen", "last_seen"))
    out["aliases"] = list(out.get("aliases") or [])
    out["summary"] = out.get("summary") or ""
    return Entity.model_validate(out)


def fact_from_row(row: Mapping[str, Any]) -> Fact:
    out = _clean(row, ("valid_from", "valid_to", "recorded_at", "invalidated_at", "last_access"))
    out["predicate_raw"] = out.get("predicate_raw") or ""
    return Fact.model_validate(out)


def insight_from_row(row: Mapping[str, Any]) -> Insight:
    return Insight.model_validate(_clean(row, ("created_at",)))


def supersedes_from_row(row: Mapping[str, Any]) -> Supersedes:
    out = _clean(row, ("at",))
    out["old_status"] = out.get("old_status") or FactStatus.active.value
    return Supersedes.model_validate(out)


def by_id(records: Iterable[R]) -> dict[str, R]:
    return {r.id: r for r in records}  # type: ignore[attr-defined]
