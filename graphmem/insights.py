"""The upper tier without an LLM: entity profiles, session digests, and utility from feedback.

G-Memory keeps insights above the interactions they generalise; an agent or an LLM can write them
(``Memory.add_insight``), and graphmem writes two kinds itself from facts it already holds:

* ``entity_profile``: an entity's current facts in one short paragraph, so a question about a person
  can be answered from one node instead of a dozen facts;
* ``session_digest``: a session's goal, outcome and key facts, so a similar task finds what happened.

Insight text is immutable (its embedding is derived from it): when the facts beneath a profile change,
the profile is marked stale and the next refresh writes a new one. Feedback never deletes anything; it
moves a utility score that ranking uses, and a failure weighs more than a success (an agent should
stop trusting a misleading memory faster than it learns to trust a useful one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from graphmem.model import Entity, Episode, Fact, FactStatus, Session, content_id

__all__ = [
    "FAILURE_WEIGHT",
    "SUCCESS_WEIGHT",
    "entity_profile",
    "feedback_utility",
    "insight_id",
    "session_digest",
]

SUCCESS_WEIGHT = 1.0
FAILURE_WEIGHT = 2.0
_PROFILE_FACTS = 8


def insight_id(namespace: str, kind: str, text: str) -> str:
    """Insights are content-addressed: the same text of the same kind is the same insight."""
    return "ins_" + content_id(namespace, kind, text)


def _clause(fact: Fact, names: Mapping[str, str]) -> str:
    obj = names.get(fact.object_id, fact.object_id) if fact.object_id else fact.object_value
    verb = fact.predicate.replace("_", " ")
    return f"{'not ' if not fact.polarity else ''}{verb} {obj}"


def entity_profile(entity: Entity, facts: Sequence[Fact], names: Mapping[str, str]) -> str:
    """One line about an entity from its current asserted facts, newest first.

    >>> from datetime import UTC, datetime
    >>> t = datetime(2024, 1, 1, tzinfo=UTC)
    >>> maria = Entity(id="m", namespace="n", name="Maria", key="maria", type="person",
    ...                first_seen=t, last_seen=t)
    >>> f = Fact(id="f", namespace="n", subject_id="m", predicate="lives_in", object_id="l",
    ...          text="x", valid_from=t)
    >>> entity_profile(maria, [f], {"l": "Lisbon"})
    'Maria (person): lives in Lisbon.'
    """
    current = [
        f
        for f in facts
        if f.status in (FactStatus.active, FactStatus.disputed) and f.modality.value == "asserted"
    ]
    current.sort(key=lambda f: f.valid_from or f.recorded_at, reverse=True)
    clauses = list(dict.fromkeys(_clause(f, names) for f in current[:_PROFILE_FACTS]))
    body = "; ".join(clauses) if clauses else "no current facts"
    return f"{entity.name} ({entity.type}): {body}."


def session_digest(
    session: Session, facts: Sequence[Fact], episodes: Sequence[Episode], names: Mapping[str, str]
) -> str:
    """A session in a few lines: goal, outcome, key facts, first and last turns."""
    head = session.goal or session.title or f"session {session.id}"
    outcome = f" Outcome: {session.outcome}" + (
        f" (score {session.score:g})" if session.score is not None else ""
    )
    lines = [f"{head}.{outcome if session.outcome else ''}".strip()]
    key = [f.text for f in facts if f.status is FactStatus.active][:6]
    if key:
        lines.append("Key facts: " + "; ".join(key) + ".")
    ordered = sorted(episodes, key=lambda e: e.seq)
    if ordered:
        first, last = ordered[0], ordered[-1]
        lines.append(f"Started with {first.speaker or first.role.value}: {first.content[:120]}")
        if last.id != first.id:
            lines.append(f"Ended with {last.speaker or last.role.value}: {last.content[:120]}")
    return " ".join(lines)


def feedback_utility(current: float, useful: bool) -> float:
    """Asymmetric update: +1 for a success, -2 for a failure.

    >>> feedback_utility(0.0, True), feedback_utility(1.0, False)
    (1.0, -1.0)
    """
    return current + (SUCCESS_WEIGHT if useful else -FAILURE_WEIGHT)
