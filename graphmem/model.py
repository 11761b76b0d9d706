"""Typed records of the memory graph (DESIGN section 3) and the results the engine returns.

Records are pydantic models so that every surface (SDK, CLI ``--json``, REST) serialises the same
JSON. Times are always timezone-aware UTC: naive datetimes are refused rather than guessed, because a
silently shifted ``valid_from`` corrupts the history of every fact that depends on it.
Embeddings travel on the records for writes but are excluded from dumps (they are large and useless
to a reader).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "DerivedFrom",
    "Entity",
    "Episode",
    "Evidence",
    "Fact",
    "FactStatus",
    "FactUpdate",
    "Insight",
    "Mention",
    "Modality",
    "NextLink",
    "Role",
    "Session",
    "Similar",
    "Subgraph",
    "Supersedes",
    "UTCDateTime",
    "WriteBatch",
    "content_id",
    "entity_id",
    "entity_key",
    "legacy_entity_id",
    "utcnow",
]


def utcnow() -> datetime:
    """The current time, UTC, at millisecond precision (what both backends store)."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def _require_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware (UTC); got a naive datetime")
    return value.astimezone(UTC)


UTCDateTime = Annotated[datetime, AfterValidator(_require_utc)]
"""A datetime that must carry a timezone; it is normalised to UTC."""


_KEY_STRIP = re.compile(r"[^\w\s&+-]")
_KEY_SPACE = re.compile(r"\s+")
_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+")


def entity_key(name: str) -> str:
    """Normalised lookup key for an entity name: case, accents, punctuation and articles removed.

    >>> entity_key("  The Lisbon-Café! ")
    'lisbon-cafe'
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _KEY_STRIP.sub(" ", text)
    text = _KEY_SPACE.sub(" ", text).strip()
    return _LEADING_ARTICLE.sub("", text)


def entity_id(namespace: str, key: str) -> str:
    """Entity ids derive from the namespace and the normalised key, so an exact-name look-up is a
    primary-key read, and the same name in two namespaces gets two unrelated ids (an id seen in one
    tenant tells nothing about another's)."""
    return "ent_" + content_id(namespace, key)


def legacy_entity_id(key: str) -> str:
    """The id stores written before ids took the namespace gave an entity (a hash of the key alone).

    Ids are computed only when an entity is created; look-ups by key try both forms, so older stores
    keep resolving their entities without a migration."""
    return "ent_" + content_id(key)


def content_id(*parts: object) -> str:
    """A stable id derived from content, so that re-adding the same thing is idempotent."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return digest[:24]


class Role(StrEnum):
    """Who produced an episode."""

    user = "user"
    assistant = "assistant"
    agent = "agent"
    tool = "tool"
    environment = "environment"
    document = "document"
    system = "system"


class Modality(StrEnum):
    """How a fact was stated; only ``asserted`` facts can close other facts."""

    asserted = "asserted"
    hypothetical = "hypothetical"
    intent = "intent"
    reported = "reported"


class FactStatus(StrEnum):
    """Lifecycle of a fact; nothing is deleted by a conflict, it changes status."""

    active = "active"
    superseded = "superseded"
    retracted = "retracted"
    disputed = "disputed"
    contested = "contested"
    """Told by a less trusted source against a trusted fact; kept for history, never current."""


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class _Embedded(_Record):
    embedding: list[float] | None = Field(default=None, exclude=True, repr=False)


class Session(_Embedded):
    """A conversation or task run grouping episodes; agents may set a goal and an outcome."""

    id: str
    namespace: str
    title: str = ""
    goal: str = ""
    started_at: UTCDateTime
    outcome: str = ""
    score: float | None = None


class Episode(_Embedded):
    """One raw interaction, immutable once stored (AriGraph's episodic node)."""

    id: str
    namespace: str
    session_id: str
    seq: int = 0
    speaker: str = ""
    role: Role = Role.user
    content: str
    occurred_at: UTCDateTime
    ingested_at: UTCDateTime = Field(default_factory=utcnow)
    source: str = ""
    metadata: dict[str, Any] = Field(default_factory=dict)

    @field_validator("content")
    @classmethod
    def _content_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("episode content is empty")
        return value


class Entity(_Embedded):
    """A person, place, organisation, object or concept, unique per (namespace, key)."""

    id: str
    namespace: str
    name: str
    key: str
    type: str = "concept"
    aliases: list[str] = Field(default_factory=list)
    summary: str = ""
    mention_count: int = 0
    first_seen: UTCDateTime
    last_seen: UTCDateTime

    @field_validator("name", "key")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("entity name and key must not be empty")
        return value


class Fact(_Embedded):
    """A reified triple (subject, predicate, object) with bi-temporal validity and provenance.

    Event time: ``valid_from`` / ``valid_to`` (when it was true in the world). Transaction time:
    ``recorded_at`` / ``invalidated_at`` (when graphmem learnt it and when it stopped believing it).
    """

    id: str
    namespace: str
    subject_id: str
    predicate: str
    predicate_raw: str = ""
    object_id: str | None = None
    object_value: str | None = None
    text: str
    polarity: bool = True
    modality: Modality = Modality.asserted
    status: FactStatus = FactStatus.active
    valid_from: UTCDateTime | None = None
    valid_to: UTCDateTime | None = None
    recorded_at: UTCDateTime = Field(default_factory=utcnow)
    invalidated_at: UTCDateTime | None = None
    confidence: float = Field(default=0.8, ge=0.0, le=1.0)
    support: int = Field(default=1, ge=1)
    access_count: int = Field(default=0, ge=0)
    last_access: UTCDateTime | None = None
    utility: float = 0.0

    @model_validator(mode="after")
    def _has_object(self) -> Fact:
        if self.object_id is None and (self.object_value is None or self.object_value == ""):
            raise ValueError("a fact needs an object entity (object_id) or a literal (object_value)")
        if self.object_id is not None and self.object_value is not None:
            raise ValueError("a fact has either an object entity or a literal, not both")
        if not self.predicate.strip():
            raise ValueError("a fact needs a predicate")
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self

    def valid_at(self, when: datetime) -> bool:
        """Whether the fact held in the world at ``when`` (event time)."""
        if self.valid_from is not None and when < self.valid_from:
            return False
        return self.valid_to is None or when < self.valid_to


class Insight(_Embedded):
    """A higher-level memory derived from lower ones (G-Memory's insight tier)."""

    id: str
    namespace: str
    kind: str = "lesson"
    text: str
    score: float = 0.0
    created_at: UTCDateTime = Field(default_factory=utcnow)
    stale: bool = False
    utility: float = 0.0


# --- relationships -------------------------------------------------------------------------------


class Evidence(_Record):
    """(Fact)-[:EVIDENCED_BY]->(Episode)."""

    fact_id: str
    episode_id: str


class Mention(_Record):
    """(Episode)-[:MENTIONS]->(Entity)."""

    episode_id: str
    entity_id: str


class NextLink(_Record):
    """(Episode)-[:NEXT]->(Episode) within a session."""

    prev_id: str
    next_id: str


class Supersedes(_Record):
    """(new Fact)-[:SUPERSEDES {reason, rule, at}]->(old Fact): why the old one changed status."""

    new_id: str
    old_id: str
    reason: str
    rule: str
    at: UTCDateTime = Field(default_factory=utcnow)
    old_status: FactStatus = FactStatus.active


class Similar(_Record):
    """(Entity)-[:SIMILAR {score}]->(Entity): a near duplicate that was not merged."""

    a_id: str
    b_id: str
    score: float


class DerivedFrom(_Record):
    """(Insight)-[:DERIVED_FROM]->(Fact|Episode|Entity|Session)."""

    insight_id: str
    target_id: str
    target_kind: str  # one of: Fact, Episode, Entity, Session

    @field_validator("target_kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in {"Fact", "Episode", "Entity", "Session"}:
            raise ValueError(f"unknown DERIVED_FROM target kind {value!r}")
        return value


class FactUpdate(_Record):
    """A change to the mutable fields of a stored fact (never its triple or embedding)."""

    id: str
    status: FactStatus | None = None
    valid_to: UTCDateTime | None = None
    clear_valid_to: bool = False
    invalidated_at: UTCDateTime | None = None
    clear_invalidated_at: bool = False
    confidence: float | None = None
    support: int | None = None
    access_count: int | None = None
    last_access: UTCDateTime | None = None
    utility: float | None = None


class WriteBatch(_Record):
    """Everything one episode or one batch writes, committed in a single transaction.

    Entities are upserted (new ones created with their embedding; existing ones get name-independent
    counters, aliases and last_seen updated). Facts are inserted; existing facts only change through
    ``fact_updates``. Sessions are created if absent (their outcome may be updated).
    """

    namespace: str
    sessions: list[Session] = Field(default_factory=list)
    episodes: list[Episode] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    fact_updates: list[FactUpdate] = Field(default_factory=list)
    insights: list[Insight] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    next_links: list[NextLink] = Field(default_factory=list)
    supersedes: list[Supersedes] = Field(default_factory=list)
    similar: list[Similar] = Field(default_factory=list)
    derived_from: list[DerivedFrom] = Field(default_factory=list)
    meta: dict[str, str] = Field(default_factory=dict)
    """Store-wide settings written in the same transaction (e.g. learned predicate counts)."""

    @model_validator(mode="after")
    def _one_namespace(self) -> WriteBatch:
        for group in (self.sessions, self.episodes, self.entities, self.facts, self.insights):
            for record in group:
                if record.namespace != self.namespace:
                    raise ValueError(
                        f"record {record.id} is in namespace {record.namespace!r}, "
                        f"batch is {self.namespace!r}"
                    )
        return self

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in type(self).model_fields if name != "namespace")


class Subgraph(_Record):
    """A bounded piece of the graph fetched for traversal: entities, facts and their episodes.

    ``evidence`` maps fact id -> evidencing episode ids; ``episode_fact_counts`` maps episode id ->
    how many facts that episode evidences in total (for AriGraph's episode score).
    """

    entities: dict[str, Entity] = Field(default_factory=dict)
    facts: dict[str, Fact] = Field(default_factory=dict)
    episodes: dict[str, Episode] = Field(default_factory=dict)
    evidence: dict[str, list[str]] = Field(default_factory=dict)
    episode_fact_counts: dict[str, int] = Field(default_factory=dict)
    insights: dict[str, Insight] = Field(default_factory=dict)
    derived_from: dict[str, list[str]] = Field(default_factory=dict)

    def merge(self, other: Subgraph) -> Subgraph:
        """Union of two subgraphs (other wins on conflicting records)."""
        evidence = {k: list(v) for k, v in self.evidence.items()}
        for fact_id, eps in other.evidence.items():
            evidence[fact_id] = sorted(set(evidence.get(fact_id, [])) | set(eps))
        derived = {k: list(v) for k, v in self.derived_from.items()}
        for ins_id, targets in other.derived_from.items():
            derived[ins_id] = sorted(set(derived.get(ins_id, [])) | set(targets))
        return Subgraph(
            entities={**self.entities, **other.entities},
            facts={**self.facts, **other.facts},
            episodes={**self.episodes, **other.episodes},
            evidence=evidence,
            episode_fact_counts={**self.episode_fact_counts, **other.episode_fact_counts},
            insights={**self.insights, **other.insights},
            derived_from=derived,
        )


def dumps_metadata(metadata: dict[str, Any]) -> str:
    """Metadata is stored as JSON text on both backends (neither stores arbitrary maps)."""
    return json.dumps(metadata, sort_keys=True, ensure_ascii=False, default=str)
