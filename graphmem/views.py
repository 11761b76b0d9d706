"""What the service layer returns: the same pydantic models serialise for the SDK, CLI and REST."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from graphmem.model import FactStatus, Modality

__all__ = [
    "AddResult",
    "EntityView",
    "FactView",
    "FeedbackResult",
    "GraphEdge",
    "GraphNode",
    "GraphView",
    "HistoryEntry",
    "InsightView",
    "SessionView",
    "Stats",
]


class _View(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FactView(_View):
    """A fact as a reader sees it: names instead of ids, validity, provenance and (optionally) history."""

    id: str
    text: str
    subject: str
    subject_id: str
    predicate: str
    object: str
    object_id: str | None = None
    status: FactStatus
    polarity: bool
    modality: Modality
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    recorded_at: datetime
    invalidated_at: datetime | None = None
    confidence: float
    support: int
    episodes: list[str] = Field(default_factory=list)
    summary: str = ""
    history: list[FactView] = Field(default_factory=list)


class HistoryEntry(_View):
    """One step of a slot's history: the fact, and why its status is what it is."""

    fact: FactView
    rule: str = ""
    reason: str = ""
    at: datetime | None = None
    superseded_by: str | None = None


class AddResult(_View):
    """What one ``add`` / ``add_many`` wrote."""

    namespace: str
    episode_ids: list[str] = Field(default_factory=list)
    skipped_episode_ids: list[str] = Field(default_factory=list)
    facts_added: int = 0
    facts_reinforced: int = 0
    facts_closed: int = 0
    entities_added: int = 0
    decisions: list[dict[str, Any]] = Field(default_factory=list)
    extraction_errors: list[dict[str, str]] = Field(default_factory=list)
    """One ``{episode_id, type, message}`` per episode stored without facts because extraction failed."""
    quarantined_episode_ids: list[str] = Field(default_factory=list)
    """Episodes stored in quarantine (instruction-like text): flagged, no facts; see ``Memory.quarantine``."""
    timings_ms: dict[str, float] = Field(default_factory=dict)

    DECISION_FIELDS_WITHOUT_VALUES: ClassVar[tuple[str, ...]] = ("episode_id", "fact_id", "rule", "flags")

    def without_values(self) -> AddResult:
        """This result for a caller that may write but not read (REST and MCP alike): decisions keep
        ids, rules and flags, and lose ``reason`` and ``fact``, which quote stored values (the value
        a new fact superseded, the stored names of the entities it resolved to)."""
        keep = self.DECISION_FIELDS_WITHOUT_VALUES
        return self.model_copy(update={"decisions": [{k: d.get(k) for k in keep} for d in self.decisions]})


class EntityView(_View):
    id: str
    name: str
    type: str
    aliases: list[str] = Field(default_factory=list)
    summary: str = ""
    mention_count: int = 0
    first_seen: datetime
    last_seen: datetime
    facts: list[FactView] = Field(default_factory=list)


class SessionView(_View):
    id: str
    title: str = ""
    goal: str = ""
    started_at: datetime
    outcome: str = ""
    score: float | None = None
    similarity: float | None = None


class InsightView(_View):
    """A higher-level memory and what it was derived from."""

    id: str
    kind: str
    text: str
    score: float = 0.0
    utility: float = 0.0
    stale: bool = False
    created_at: datetime
    derived_from: list[str] = Field(default_factory=list)


class FeedbackResult(_View):
    """Utilities after feedback, per id (facts and insights)."""

    useful: bool
    utility: dict[str, float] = Field(default_factory=dict)


class GraphNode(_View):
    id: str
    kind: str
    label: str
    properties: dict[str, Any] = Field(default_factory=dict)


class GraphEdge(_View):
    source: str
    target: str
    type: str
    properties: dict[str, Any] = Field(default_factory=dict)


class GraphView(_View):
    """Nodes and edges of a subgraph, ready to draw."""

    nodes: list[GraphNode] = Field(default_factory=list)
    edges: list[GraphEdge] = Field(default_factory=list)


class Stats(_View):
    namespace: str | None
    namespaces: list[str] | None = None
    """The namespaces summed when the counts cover some namespaces, not one and not all."""
    counts: dict[str, int]
    backend: str
    path: str | None = None
