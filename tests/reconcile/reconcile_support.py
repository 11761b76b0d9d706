"""Helpers for the pure reconsolidation tests: building facts by hand and applying decisions.

Kept out of ``conftest.py`` so that test modules can import them by a name no other test folder uses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from graphmem.model import Fact, FactUpdate, Modality

__all__ = ["FactMaker", "apply_updates", "day", "make_fact"]

FactMaker = Callable[..., Fact]


def day(text: str) -> datetime:
    """'2024-03-01' -> a UTC datetime at midnight."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def make_fact(
    fact_id: str,
    predicate: str,
    value: str | None,
    when: str,
    *,
    subject: str = "maria",
    entity: str | None = None,
    polarity: bool = True,
    modality: Modality = Modality.asserted,
    recorded: str | None = None,
    **extra: Any,
) -> Fact:
    """make_fact("a", "lives_in", "Paris", "2023-01-10"): recorded_at = valid_from unless given."""
    start = day(when)
    word = "" if polarity else "not "
    label = value if value is not None else entity
    return Fact(
        id=fact_id,
        namespace="ns",
        subject_id=subject,
        predicate=predicate,
        object_value=value,
        object_id=entity,
        text=f"{subject} {word}{predicate} {label}",
        polarity=polarity,
        modality=modality,
        valid_from=start,
        recorded_at=day(recorded) if recorded else start,
        **extra,
    )


def apply_updates(facts: dict[str, Fact], updates: list[FactUpdate], insert: Fact | None = None) -> None:
    """Apply FactUpdates (and an insert) to an in-memory slot, the way a store would."""
    if insert is not None:
        facts[insert.id] = insert
    for update in updates:
        data = facts[update.id].model_dump()
        for name in ("status", "valid_to", "invalidated_at", "confidence", "support"):
            value = getattr(update, name)
            if value is not None:
                data[name] = value
        if update.clear_valid_to:
            data["valid_to"] = None
        if update.clear_invalidated_at:
            data["invalidated_at"] = None
        facts[update.id] = Fact.model_validate(data)
