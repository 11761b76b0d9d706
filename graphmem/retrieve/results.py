"""What a search returns: typed, JSON-serialisable hits and the prompt text built from them.

Every hit carries its fused ``score``, the per-signal breakdown (``scores``) and the channels or path
that found it (``found_by`` / ``path``), so a caller can see *why* something ranked where it did. Facts
carry validity and the ids of the episodes that evidence them; ``SearchResult.context`` renders all of
it compactly for an LLM prompt within a token budget.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from graphmem.model import FactStatus, Modality
from graphmem.retrieve.plan import Plan

__all__ = [
    "EntityHit",
    "EpisodeHit",
    "FactHit",
    "InsightHit",
    "PathHit",
    "Plan",
    "SearchResult",
    "estimate_tokens",
    "fact_summary",
]


def estimate_tokens(text: str) -> int:
    """Rough token count (about 4 characters per token for English); no tokenizer is needed offline.

    >>> estimate_tokens("Maria lives in Lisbon.")
    6
    """
    return max(1, math.ceil(len(text) / 4))


def _month(value: datetime | None) -> str:
    return value.strftime("%Y-%m") if value else ""


def fact_summary(
    predicate: str,
    obj: str,
    *,
    subject: str = "",
    polarity: bool = True,
    valid_from: datetime | None = None,
    valid_to: datetime | None = None,
    history: list[str] | None = None,
) -> str:
    """``Maria lives in Lisbon (since 2024-03; before: Paris)``: the fact, its validity and older values.

    A line that reads on its own (a search hit's ``summary``, like the facts view's), so the subject
    leads when it is given.

    >>> from datetime import UTC, datetime
    >>> when = datetime(2024, 3, 1, tzinfo=UTC)
    >>> fact_summary("lives_in", "Lisbon", subject="Maria", valid_from=when, history=["Paris"])
    'Maria lives in Lisbon (since 2024-03; before: Paris)'
    >>> fact_summary("likes", "fish", polarity=False)
    'does not: likes fish'
    """
    text = f"{predicate.replace('_', ' ')} {obj}"
    if not polarity:
        text = f"does not: {text}"
    if subject:
        text = f"{subject} {text}"
    notes: list[str] = []
    if valid_from and valid_to:
        notes.append(f"{_month(valid_from)} to {_month(valid_to)}")
    elif valid_from:
        notes.append(f"since {_month(valid_from)}")
    elif valid_to:
        notes.append(f"until {_month(valid_to)}")
    if history:
        notes.append(f"before: {', '.join(history)}")
    return f"{text} ({'; '.join(notes)})" if notes else text


class _Hit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: float = 0.0
    scores: dict[str, float] = Field(default_factory=dict)
    found_by: list[str] = Field(default_factory=list)


class FactHit(_Hit):
    """A fact with validity, provenance episodes, the older values of its slot and a short summary."""

    id: str
    text: str
    subject: str
    subject_id: str
    predicate: str
    object: str
    object_id: str | None = None
    status: FactStatus
    polarity: bool = True
    modality: Modality = Modality.asserted
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    confidence: float = 0.8
    support: int = 1
    path: str | None = None
    episodes: list[str] = Field(default_factory=list)
    history: list[str] = Field(default_factory=list)
    summary: str = ""


class EpisodeHit(_Hit):
    """An episode (a chat turn, an observation) with its id and metadata."""

    id: str
    content: str
    speaker: str = ""
    session_id: str = ""
    occurred_at: datetime | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    facts: list[str] = Field(default_factory=list)


class EntityHit(_Hit):
    id: str
    name: str
    type: str = "concept"
    aliases: list[str] = Field(default_factory=list)
    summary: str = ""
    mention_count: int = 0


class PathHit(BaseModel):
    """An explicit chain between entities, e.g. ``Maria -sister-> Anna -lives_in-> Porto``."""

    model_config = ConfigDict(extra="forbid")

    text: str
    entities: list[str]
    entity_ids: list[str]
    facts: list[str]
    predicates: list[str]
    kind: str = "outward"
    score: float = 0.0


class InsightHit(_Hit):
    id: str
    kind: str = "lesson"
    text: str
    derived_from: list[str] = Field(default_factory=list)


class SearchResult(BaseModel):
    """The answer to ``Memory.search``: hits of every kind, the executed plan and timings."""

    model_config = ConfigDict(extra="forbid")

    query: str
    namespace: str
    as_of: datetime | None = None
    facts: list[FactHit] = Field(default_factory=list)
    episodes: list[EpisodeHit] = Field(default_factory=list)
    entities: list[EntityHit] = Field(default_factory=list)
    paths: list[PathHit] = Field(default_factory=list)
    insights: list[InsightHit] = Field(default_factory=list)
    plan: Plan | None = None
    timings_ms: dict[str, float] = Field(default_factory=dict)

    def context(self, max_tokens: int = 1000) -> str:
        """Compact prompt text: facts with validity and provenance, paths, insights, then episodes.

        Sections are filled in that order, best first, until ``max_tokens`` (estimated) is reached;
        a line that does not fit is skipped and the section ends, so the most useful memory always
        comes first. Superseded facts are marked, so the model does not take an old value as current.
        """
        if max_tokens < 1:
            raise ValueError("max_tokens must be >= 1")
        lines: list[str] = []
        used = 0

        def fits(line: str) -> bool:
            nonlocal used
            cost = estimate_tokens(line) + 1
            if used + cost > max_tokens:
                return False
            lines.append(line)
            used += cost
            return True

        header = f"Memory for: {self.query}" + (
            f" (as of {self.as_of.date().isoformat()})" if self.as_of else ""
        )
        fits(header)
        sections: list[tuple[str, list[str]]] = [
            ("Facts:", [self._fact_line(f) for f in self.facts]),
            ("Connections:", [p.text for p in self.paths]),
            ("Insights:", [i.text for i in self.insights]),
            ("Conversation excerpts:", [self._episode_line(e) for e in self.episodes]),
        ]
        for title, items in sections:
            if not items:
                continue
            if not fits(title):
                break
            for item in items:
                if not fits(f"- {item}"):
                    break
        return "\n".join(lines)

    def explain_scores(self, k: int = 10) -> str:
        """Why each result ranked where it did: every signal's contribution, largest first.

        Episodes also show their rank by the flat base alone (``rrf``, the hybrid vector + full-text
        search) and how far the graph signals moved them from it, so a bad ranking can be read: an
        item that rose on ``graph`` alone, or a named entity's passage that no ``anchor`` reached.

        >>> r = SearchResult(query="q", namespace="n", episodes=[
        ...     EpisodeHit(id="b", content="B", score=1.2, scores={"rrf": 0.5, "graph": 0.2, "anchor": 0.5}),
        ...     EpisodeHit(id="a", content="A", score=1.0, scores={"rrf": 1.0})])
        >>> print(r.explain_scores())
        Episodes (score = sum of the signals; base = rank by rrf alone)
          1. b  1.200 = rrf 0.500 + anchor 0.500 + graph 0.200  base #2 (up 1)  found by: -
          2. a  1.000 = rrf 1.000  base #1 (down 1)  found by: -
        """

        def parts(scores: dict[str, float]) -> str:
            items = sorted(((n, v) for n, v in scores.items() if abs(v) > 5e-7), key=lambda kv: -kv[1])
            return " + ".join(f"{n} {v:.3f}" for n, v in items) or "0"

        lines: list[str] = []
        if self.facts:
            lines.append("Facts (score = sum of the signals)")
            for i, fact in enumerate(self.facts[:k], start=1):
                via = fact.path or ", ".join(fact.found_by) or "-"
                lines.append(f"  {i}. {fact.text}  {fact.score:.3f} = {parts(fact.scores)}  via: {via}")
        if self.episodes:
            base = sorted(self.episodes, key=lambda e: -e.scores.get("rrf", 0.0))
            base_rank = {e.id: i for i, e in enumerate(base, start=1)}
            lines.append("Episodes (score = sum of the signals; base = rank by rrf alone)")
            for i, ep in enumerate(self.episodes[:k], start=1):
                moved = base_rank[ep.id] - i
                change = f" (up {moved})" if moved > 0 else f" (down {-moved})" if moved < 0 else ""
                lines.append(
                    f"  {i}. {ep.id}  {ep.score:.3f} = {parts(ep.scores)}  base #{base_rank[ep.id]}{change}"
                    f"  found by: {', '.join(ep.found_by) or '-'}"
                )
        return "\n".join(lines) or f"Nothing found for {self.query!r}."

    @staticmethod
    def _fact_line(fact: FactHit) -> str:
        status = "" if fact.status == FactStatus.active else f" [{fact.status.value}]"
        modality = "" if fact.modality == Modality.asserted else f" [{fact.modality.value}]"
        validity = ""
        if fact.valid_from or fact.valid_to:
            validity = f" (valid {_month(fact.valid_from) or '?'} to {_month(fact.valid_to) or 'now'})"
        history = f"; before: {', '.join(fact.history)}" if fact.history else ""
        source = f" [from {', '.join(fact.episodes[:2])}]" if fact.episodes else ""
        text = fact.text if fact.polarity or "not" in fact.text.lower() else f"NOT: {fact.text}"
        return f"{text}{status}{modality}{validity}{history}{source}"

    @staticmethod
    def _episode_line(episode: EpisodeHit) -> str:
        when = episode.occurred_at.strftime("%Y-%m-%d") if episode.occurred_at else "?"
        who = f" {episode.speaker}" if episode.speaker else ""
        return f"[{when}{who}] {episode.content} (id {episode.id})"
