"""Where a memory came from and how far it is believed (issue #17, memory poisoning defence).

An agent's memory is written from text of very different reliability: what the user said, what the
assistant or another agent concluded, tool output, documents and web pages. Every episode carries a
**source** (one of :class:`Source`) and a **trust level** on the same scale; the trust defaults to
the source's own rank and may be raised or lowered per call (a vetted internal tool can be trusted
like the user; a forwarded user message can be marked ``web``).

Storage: the source is the Episode's ``source`` column; an explicit trust that differs from the
source's rank and the quarantine flag are kept in the episode's metadata under reserved keys
(:data:`TRUST_KEY`, :data:`QUARANTINE_KEY`), the same way extraction failures are recorded, so stores
written before this module keep loading (their episodes fall back to the trust of their role).

A fact's trust is the lowest trust of its evidence (a claim is only as good as its weakest witness
when shown), while the protection a fact gets against being superseded is that of its most trusted
witness: what the user said stays said even if a web page repeated it. See :func:`guard_decision`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from graphmem.errors import InvalidInput
from graphmem.model import Episode, Fact, FactStatus, Role, Supersedes

__all__ = [
    "QUARANTINE_KEY",
    "ROLE_SOURCE",
    "TRUST_KEY",
    "Source",
    "episode_source",
    "episode_trust",
    "fact_trust",
    "guard_decision",
    "is_quarantined",
    "parse_source",
    "rank",
]

TRUST_KEY = "graphmem_trust"
"""Episode metadata key holding an explicit trust level that differs from the source's own rank."""

QUARANTINE_KEY = "graphmem_quarantine"
"""Episode metadata key holding ``{"reasons": [...], "families": [...]}`` for quarantined episodes."""


class Source(StrEnum):
    """Who or what produced an episode, in increasing order of trust (see :func:`rank`)."""

    web = "web"
    document = "document"
    tool = "tool"
    agent = "agent"
    assistant = "assistant"
    user = "user"


_ORDER: dict[Source, int] = {s: i for i, s in enumerate(Source)}

ROLE_SOURCE: dict[Role, Source] = {
    Role.user: Source.user,
    Role.assistant: Source.assistant,
    Role.agent: Source.agent,
    Role.tool: Source.tool,
    Role.environment: Source.tool,
    Role.document: Source.document,
    Role.system: Source.user,  # set by the operator, not by content flowing through the agent
}


def rank(level: Source | str) -> int:
    """Position on the trust scale: web 0 < document < tool < agent < assistant < user 5."""
    return _ORDER[Source(level)]


def parse_source(value: object, label: str = "source") -> Source | None:
    """A source / trust level from user input, None when absent; a clear error when unknown."""
    if value is None or value == "":
        return None
    try:
        return Source(value)  # type: ignore[arg-type]
    except ValueError:
        raise InvalidInput(
            f"unknown {label} {value!r}; expected one of {[s.value for s in Source]}"
        ) from None


def episode_source(episode: Episode) -> Source:
    """The episode's source: its ``source`` column when it names one, else what its role implies."""
    try:
        return Source(episode.source)
    except ValueError:
        return ROLE_SOURCE.get(episode.role, Source.user)


def episode_trust(episode: Episode) -> Source:
    """The episode's trust level: an explicit one from its metadata, else its source's."""
    explicit = episode.metadata.get(TRUST_KEY)
    if isinstance(explicit, str):
        try:
            return Source(explicit)
        except ValueError:
            pass
    return episode_source(episode)


def is_quarantined(metadata: Mapping[str, Any]) -> bool:
    """Whether an episode (by its metadata) is held in quarantine."""
    return bool(metadata.get(QUARANTINE_KEY))


def fact_trust(evidence: Iterable[Episode]) -> Source | None:
    """A fact inherits the lowest trust of its evidence (None without evidence)."""
    levels = [episode_trust(ep) for ep in evidence]
    return min(levels, key=rank) if levels else None


def guard_decision(
    decision: Any,
    new: Fact,
    new_trust: Source,
    protection: Mapping[str, Source],
) -> Any:
    """Lower trust cannot supersede higher trust on its own.

    ``decision`` is what :func:`graphmem.reconcile.reconcile` decided for ``new`` (told by a source of
    ``new_trust``); ``protection`` maps the ids of the slot's facts to the trust of their most trusted
    evidence. When the decision would change the status of a fact protected by a higher trust, that
    change is dropped: the trusted fact stays current, and the incoming fact is stored as
    ``contested`` with a ``trust_contested`` Supersedes edge pointing from the trusted fact to it, so
    history and explain show the attempted change. A later statement of the same value by a source of
    the same or higher trust is reconciled normally and does supersede. Changes to unprotected facts
    in the same decision go through unchanged. Repetition does not help: every low-trust repetition
    is contested on its own, none of them counts as confirmation.
    """
    mine = rank(new_trust)
    blocked = [
        u
        for u in decision.updates
        if u.status is not None
        and u.status is not FactStatus.active
        and u.id in protection
        and rank(protection[u.id]) > mine
    ]
    if not blocked or decision.insert is None:
        return decision
    blocked_ids = {u.id for u in blocked}
    keeper = max(blocked, key=lambda u: rank(protection[u.id]))
    level = protection[keeper.id]
    decision.updates = [u for u in decision.updates if u.id not in blocked_ids]
    decision.supersedes = [s for s in decision.supersedes if s.old_id not in blocked_ids]
    reason = (
        f"a {new_trust.value} source cannot supersede a fact a {level.value} source stated; "
        f"{new.text!r} is kept as contested until a {level.value}-or-higher source confirms it"
    )
    decision.insert = decision.insert.model_copy(update={"status": FactStatus.contested})
    decision.supersedes.append(
        Supersedes(
            new_id=keeper.id,
            old_id=new.id,
            reason=reason,
            rule="trust_contested",
            old_status=FactStatus.active,
        )
    )
    decision.rule = "trust_contested"
    decision.reason = reason
    decision.flags = [*decision.flags, "contested"]
    decision.evidence = None  # a refused claim teaches nothing about the predicate's cardinality
    return decision
