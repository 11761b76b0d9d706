"""Reconsolidation: decide what a new fact does to the facts already in its slot (DESIGN section 5).

Everything here is a pure function of records the caller already fetched: the new fact, the facts
of its slot (namespace, subject, canonical predicate) with status active or disputed (and, better,
superseded too: see :func:`reconcile`), the cues
the extractor found, and the predicate registry. Nothing touches a store, so the caller can write the
decision in the same transaction as the episode that caused it, and every rule is unit-tested on
hand-built records.

Nothing is ever deleted by a conflict. A fact changes status (superseded, retracted, disputed) and
its event-time validity is closed; each status change comes with a :class:`~graphmem.model.Supersedes`
record (rule, human reason, time, previous status), so a decision can be explained and undone.

Two timelines are kept on every fact:

* event time, ``valid_from`` / ``valid_to``: when it was true in the world;
* transaction time, ``recorded_at`` / ``invalidated_at``: when graphmem learnt it and stopped
  holding it current.

The rules, in the order they are tried (first match decides the main ``rule``; later steps may add
more closures, e.g. a correction that also makes a functional value current):

==================  ==========================================================================
``modality``        hypothetical / intent facts are stored and close nothing (a duplicate of the
                    same hedge is reinforced).
``ended``           "no longer X": the stored X is closed at the statement time and a negative
                    fact records the change; ``ended_no_prior`` stores X already closed when
                    nothing was stored.
``correction``      "actually X, not Y": Y is retracted (it was never true), X takes its period.
``replace_cue``     "X instead of Y": Y is closed at X's start, whatever the cardinality.
``duplicate``       same object, same polarity: reinforce (support + 1, confidence up); also a
                    statement that falls inside a closed period of the same value (history).
                    ``correction_confirmed`` / ``replace_cue_confirmed``: a duplicate whose cue
                    still closed its target; ``dispute_resolved``: a disputed value confirmed
                    until it is clearly more reliable than its rivals, which are retracted.
``negation``        same object, opposite polarity: the later one in event time wins;
                    ``negation_older`` stores a late-told older statement already closed.
``intent_realised`` an asserted value closes the matching intent ("plan to move to Berlin").
``exclusive_value`` married closes single (exclusive value groups, even in multi predicates).
``functional_newer``/``functional_older``: one current value; an older value told late is stored
                    closed at the start of the value that followed it. Two values stated in
                    the same statement are both kept (``functional_simultaneous``, flagged).
``immutable_conflict``: both sides disputed, unless one is clearly more reliable
                    (``immutable_replaced`` / ``immutable_kept``).
``multi_add`` / ``unknown_add`` / ``negative_add`` / ``first_value``: stored, nothing closed
                    (``unknown_add`` flags the slot: read newest first).
==================  ==========================================================================

In every :class:`~graphmem.model.Supersedes` record ``new_id`` is the fact that won and ``old_id``
the fact whose status changed; for the *late* rules (an older statement told late, or a rejected
immutable value) the incoming fact is the one that changed, so it is on the ``old_id`` side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from graphmem.errors import InvalidInput
from graphmem.model import Fact, FactStatus, FactUpdate, Modality, Supersedes, entity_key
from graphmem.predicates import (
    GROUP_PREDICATES,
    Cardinality,
    EvidenceKind,
    PredicateRegistry,
    normalise_predicate,
)

__all__ = [
    "CLEAR_MARGIN",
    "CONFIRMING_RULES",
    "LATE_RULES",
    "LIVE_STATUSES",
    "Cues",
    "Decision",
    "current_view",
    "object_key",
    "reconcile",
    "reliability",
    "render_with_history",
    "undo",
]

LIVE_STATUSES: frozenset[FactStatus] = frozenset({FactStatus.active, FactStatus.disputed})
"""Statuses of facts that are part of the current view (and that a new fact is checked against)."""

LATE_RULES: frozenset[str] = frozenset(
    {"functional_older", "negation_older", "exclusive_older", "immutable_kept", "trust_contested"}
)
"""Rules whose Supersedes edge points from a fact that already existed to the incoming fact."""

CONFIRMING_RULES: frozenset[str] = frozenset({"correction_confirmed", "replace_cue_confirmed"})
"""Rules whose winner is an existing fact confirmed again (the statement was a duplicate with a cue)."""

CLEAR_MARGIN = 0.25
"""Reliability gap at which one value of an immutable slot beats the other instead of a dispute."""

_HEDGED = frozenset({Modality.hypothetical, Modality.intent})
_DOUBT_KEPT = 0.7  # each confirmation removes 30% of the remaining doubt
_MAX_CONFIDENCE = 0.99


@dataclass(slots=True)
class Cues:
    """What the statement said about change, beyond the triple itself (from the extractor).

    ``ended``: "no longer", "anymore", "stopped", "quit", "used to": the relation held and does not now.
    ``replaces``: "instead of Y" / "X, not Y": the entity key, name or literal value of Y.
    ``correction``: "actually", "I meant", "sorry": the earlier statement was wrong, not outdated.
    """

    ended: bool = False
    replaces: str | None = None
    correction: bool = False


@dataclass(slots=True)
class Decision:
    """What to write for one new fact; the caller applies it in the episode's transaction.

    ``insert`` is final (status, validity and polarity already decided): store it as it is.
    ``evidence`` is what this statement taught about the predicate's cardinality; pass it to
    :meth:`PredicateRegistry.observe` when it is not None.
    """

    rule: str
    reason: str
    insert: Fact | None = None
    reinforce: FactUpdate | None = None
    updates: list[FactUpdate] = field(default_factory=list)
    supersedes: list[Supersedes] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    evidence: EvidenceKind | None = None


# --- small helpers ---------------------------------------------------------------------------------


def object_key(fact: Fact, object_keys: Mapping[str, str] | None = None) -> str:
    """How a fact's object is compared: the entity key when known, else the id, else the literal's key.

    >>> from graphmem.model import Fact
    >>> f = Fact(id="f", namespace="n", subject_id="s", predicate="lives_in", object_value=" Lisbon!",
    ...          text="lives in Lisbon")
    >>> object_key(f)
    'lisbon'
    """
    if fact.object_id is not None:
        if object_keys and fact.object_id in object_keys:
            return object_keys[fact.object_id]
        return f"id:{fact.object_id}"
    return entity_key(fact.object_value or "")


def _same_object(a: Fact, b: Fact, keys: Mapping[str, str]) -> bool:
    if a.object_id is not None and a.object_id == b.object_id:
        return True
    return object_key(a, keys) == object_key(b, keys)


def _event_time(fact: Fact) -> datetime:
    return fact.valid_from or fact.recorded_at


def _day(when: datetime | None) -> str:
    return when.date().isoformat() if when else "an unknown date"


def _copy(fact: Fact, **changes: Any) -> Fact:
    """A validated copy (``model_copy`` would skip the validators that keep validity consistent)."""
    data = fact.model_dump()
    data["embedding"] = fact.embedding
    data.update(changes)
    return Fact.model_validate(data)


def reliability(fact: Fact) -> float:
    """How much to trust a value when two values of an immutable slot disagree.

    Confidence, plus 0.1 per independent confirmation (at most 0.5), minus 0.15 for hearsay.
    """
    score = fact.confidence + 0.1 * min(fact.support - 1, 5)
    if fact.modality is Modality.reported:
        score -= 0.15
    return score


def _reinforced(fact: Fact, new: Fact) -> FactUpdate:
    doubt = 1.0 - max(fact.confidence, new.confidence)
    confidence = min(_MAX_CONFIDENCE, 1.0 - doubt * _DOUBT_KEPT)
    return FactUpdate(id=fact.id, support=fact.support + 1, confidence=max(confidence, fact.confidence))


# --- the decision ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Builder:
    """Accumulates the closures of one decision, then renders the Decision."""

    new: Fact
    now: datetime
    keys: Mapping[str, str]
    rule: str = ""
    reasons: list[str] = field(default_factory=list)
    insert_changes: dict[str, Any] = field(default_factory=dict)
    insert: bool = True
    reinforce: FactUpdate | None = None
    winner_id: str = ""
    updates: list[FactUpdate] = field(default_factory=list)
    supersedes: list[Supersedes] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    evidence: EvidenceKind | None = None
    handled: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.winner_id = self.new.id

    def note(self, rule: str, reason: str) -> None:
        if not self.rule:
            self.rule = rule
        self.reasons.append(reason)

    def close(
        self, old: Fact, *, rule: str, reason: str, status: FactStatus, valid_to: datetime | None
    ) -> None:
        """Change an existing fact's status, with its Supersedes record."""
        if valid_to is not None and old.valid_from is not None and valid_to < old.valid_from:
            valid_to = old.valid_from
        self.updates.append(
            FactUpdate(
                id=old.id,
                status=status,
                valid_to=valid_to,
                invalidated_at=None if status is FactStatus.disputed else self.now,
            )
        )
        self.supersedes.append(
            Supersedes(
                new_id=self.winner_id,
                old_id=old.id,
                reason=reason,
                rule=rule,
                at=self.now,
                old_status=old.status,
            )
        )
        self.handled.add(old.id)
        self.note(rule, reason)

    def close_incoming(
        self, winner: Fact, *, rule: str, reason: str, status: FactStatus, valid_to: datetime | None
    ) -> None:
        """Store the incoming fact already closed because an existing fact wins (a late rule)."""
        if valid_to is not None:
            current = self.insert_changes.get("valid_to")
            valid_to = min(valid_to, current) if current is not None else valid_to
            start = self.insert_changes.get("valid_from", self.new.valid_from)
            if start is not None and valid_to < start:
                valid_to = start
            self.insert_changes["valid_to"] = valid_to
        self.insert_changes["status"] = status
        self.insert_changes["invalidated_at"] = self.now
        self.supersedes.append(
            Supersedes(
                new_id=winner.id,
                old_id=self.new.id,
                reason=reason,
                rule=rule,
                at=self.now,
                old_status=FactStatus.active,
            )
        )
        self.handled.add(winner.id)
        self.note(rule, reason)

    def build(self) -> Decision:
        insert = _copy(self.new, **self.insert_changes) if self.insert else None
        return Decision(
            rule=self.rule or "first_value",
            reason="; ".join(self.reasons) or f"first value of the slot: {self.new.text!r}",
            insert=insert,
            reinforce=self.reinforce,
            updates=self.updates,
            supersedes=self.supersedes,
            flags=self.flags,
            evidence=self.evidence,
        )


def reconcile(
    new: Fact,
    active: Sequence[Fact],
    *,
    cues: Cues,
    registry: PredicateRegistry,
    now: datetime,
    object_keys: Mapping[str, str] | None = None,
) -> Decision:
    """Decide what ``new`` does to the live facts of its slot; see the module docstring for the rules.

    ``active`` holds the facts of the slot with status active or disputed; other statuses and facts
    of other subjects are ignored. For exclusive value groups (single / married ...) the caller may
    also pass the live ``has_property`` / ``is_a`` / ``relationship_status`` facts of the subject.
    The caller should also pass the slot's superseded facts (they are never changed): a value told
    late then ends where the next known value began rather than where the current one did, and a
    statement that falls inside a closed period of the same value reinforces that history instead
    of becoming current again.
    ``object_keys`` maps object entity ids to entity keys, so that an entity and a literal with the
    same name are the same value and ``cues.replaces`` can name an entity. When one episode yields
    several facts of a slot, reconcile them in order and pass the earlier inserts in ``active``.

    >>> from datetime import UTC, datetime
    >>> def fact(i, value, day):
    ...     at = datetime(2024, 1, day, tzinfo=UTC)
    ...     return Fact(id=i, namespace="n", subject_id="maria", predicate="lives_in", object_value=value,
    ...                 text=f"Maria lives in {value}", valid_from=at, recorded_at=at)
    >>> d = reconcile(fact("b", "Lisbon", 20), [fact("a", "Paris", 1)], cues=Cues(),
    ...               registry=PredicateRegistry(), now=datetime(2024, 1, 20, tzinfo=UTC))
    >>> d.rule, d.updates[0].id, d.updates[0].status.value, d.updates[0].valid_to.day
    ('functional_newer', 'a', 'superseded', 20)
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidInput("now must be a timezone-aware datetime")
    keys: Mapping[str, str] = object_keys or {}
    predicate = normalise_predicate(new.predicate)
    live = [
        f
        for f in active
        if f.id != new.id
        and f.namespace == new.namespace
        and f.subject_id == new.subject_id
        and f.status in LIVE_STATUSES
    ]
    slot = [f for f in live if normalise_predicate(f.predicate) == predicate]
    b = _Builder(new=new, now=now, keys=keys)
    history = [
        f
        for f in active
        if f.status is FactStatus.superseded
        and f.namespace == new.namespace
        and f.subject_id == new.subject_id
        and normalise_predicate(f.predicate) == predicate
        and f.polarity
        and f.modality not in _HEDGED
    ]
    past = [f for f in history if not _same_object(f, new, keys)]

    if new.modality in _HEDGED:
        return _hedged(b, slot)
    if cues.ended or (new.polarity and new.valid_to is not None and new.valid_to <= now):
        return _ended(b, slot, registry.cardinality(predicate), cues)

    card = registry.cardinality(predicate)
    asserted = [f for f in slot if f.modality not in _HEDGED]
    if cues.correction:
        _correction(b, asserted, card, cues)
    elif cues.replaces:
        _replace_cue(b, asserted, cues)

    duplicate = next(
        (
            f
            for f in asserted
            if f.id not in b.handled and f.polarity == new.polarity and _same_object(f, new, keys)
        ),
        None,
    )
    if duplicate is not None:
        return _duplicate(b, duplicate, asserted)
    covering = _covering_history(new, history, keys) if new.polarity else None
    if covering is not None and not b.supersedes:
        b.insert = False
        b.reinforce = _reinforced(covering, new)
        b.note("duplicate", f"already known as history: {covering.text!r} held at {_day(_event_time(new))}")
        return b.build()

    _negation(b, asserted)
    if new.polarity:
        _intent_realised(b, slot)
        if predicate in GROUP_PREDICATES and new.object_value is not None:
            _exclusive(b, live, registry)
        competitors = [
            f for f in asserted if f.id not in b.handled and f.polarity and not _same_object(f, new, keys)
        ]
        _by_cardinality(b, competitors, card, predicate, past)
    elif not b.rule:
        b.note("negative_add", f"negative fact stored: {new.text!r}; nothing to close")
    return b.build()


def _covering_history(new: Fact, history: Sequence[Fact], keys: Mapping[str, str]) -> Fact | None:
    """A closed record of the same value whose period contains the new statement's time.

    "I quit Netflix" stored Netflix as closed history; "I work at Netflix" told later about an
    earlier date is that same history, not a new current value.
    """
    t_new = _event_time(new)
    for fact in history:
        if (
            _same_object(fact, new, keys)
            and fact.valid_to is not None
            and (fact.valid_from is None or fact.valid_from <= t_new)
            and t_new < fact.valid_to
        ):
            return fact
    return None


def _hedged(b: _Builder, slot: Sequence[Fact]) -> Decision:
    new = b.new
    for f in slot:
        if f.modality == new.modality and f.polarity == new.polarity and _same_object(f, new, b.keys):
            b.insert = False
            b.reinforce = _reinforced(f, new)
            b.note("duplicate", f"{new.modality.value} repeated: {f.text!r} reinforced")
            return b.build()
    b.note("modality", f"{new.modality.value} fact stored, closes nothing: {new.text!r}")
    return b.build()


def _ended(b: _Builder, slot: Sequence[Fact], card: Cardinality, cues: Cues) -> Decision:
    """ "No longer X" / "used to X": close the stored X, or store X as already-closed history."""
    new = b.new
    end = new.valid_to or _event_time(new)
    asserted = [f for f in slot if f.modality not in _HEDGED and _same_object(f, new, b.keys)]
    targets = [f for f in asserted if f.polarity]
    if targets:
        for old in targets:
            b.close(
                old,
                rule="ended",
                status=FactStatus.superseded,
                valid_to=end,
                reason=f"{old.text!r} ended on {_day(end)} (stated: {new.text!r})",
            )
        b.insert_changes.update(polarity=False, valid_from=end, valid_to=None, status=FactStatus.active)
        return b.build()
    negative = next((f for f in asserted if not f.polarity), None)
    if negative is not None:
        b.insert = False
        b.reinforce = _reinforced(negative, new)
        b.note("duplicate", f"already known to have ended: {negative.text!r} reinforced")
        return b.build()
    valid_to = end
    if card is Cardinality.functional:
        # the historical value cannot outlast the start of a current different value
        later = [
            _event_time(f) for f in slot if f.polarity and f.modality not in _HEDGED and _event_time(f) <= end
        ]
        if later:
            valid_to = min(valid_to, max(later))
    start = new.valid_from if (new.valid_from is not None and new.valid_from < valid_to) else None
    b.insert_changes.update(
        polarity=True, valid_from=start, valid_to=valid_to, status=FactStatus.superseded, invalidated_at=b.now
    )
    b.note("ended_no_prior", f"history recorded already closed on {_day(valid_to)}: {new.text!r}")
    return b.build()


def _targets_named(b: _Builder, facts: Sequence[Fact], name: str) -> list[Fact]:
    wanted = {entity_key(name), name, f"id:{name}"}
    return [
        f
        for f in facts
        if f.polarity
        and not _same_object(f, b.new, b.keys)
        and (object_key(f, b.keys) in wanted or f.object_id == name)
    ]


def _correction(b: _Builder, asserted: Sequence[Fact], card: Cardinality, cues: Cues) -> None:
    """The earlier value was wrong: retract it, and let the corrected value cover its period."""
    new = b.new
    if cues.replaces:
        targets = _targets_named(b, asserted, cues.replaces)
    else:
        others = [f for f in asserted if f.polarity and not _same_object(f, new, b.keys)]
        if card in (Cardinality.functional, Cardinality.immutable):
            targets = others
        else:  # without a named target, a correction is about the last thing said in the slot
            targets = sorted(others, key=lambda f: (f.recorded_at, _event_time(f)))[-1:]
    if not targets:
        return
    starts = [f.valid_from for f in targets if f.valid_from is not None]
    if starts and new.valid_from is not None and min(starts) < new.valid_from:
        b.insert_changes["valid_from"] = min(starts)
    for old in targets:
        b.close(
            old,
            rule="correction",
            status=FactStatus.retracted,
            valid_to=None,
            reason=f"corrected: {old.text!r} was wrong, {new.text!r} holds instead",
        )


def _replace_cue(b: _Builder, asserted: Sequence[Fact], cues: Cues) -> None:
    """'X instead of Y': Y ends where X starts, whatever the predicate's cardinality."""
    assert cues.replaces is not None
    start = _event_time(b.new)
    for old in _targets_named(b, asserted, cues.replaces):
        b.close(
            old,
            rule="replace_cue",
            status=FactStatus.superseded,
            valid_to=start,
            reason=f"{b.new.text!r} replaces {old.text!r} from {_day(start)}",
        )
        b.evidence = "replacement"


def _duplicate(b: _Builder, duplicate: Fact, asserted: Sequence[Fact]) -> Decision:
    """Same value again: reinforce it; closures made by cues point from the reinforced fact."""
    b.insert = False
    b.reinforce = _reinforced(duplicate, b.new)
    for edge in b.supersedes:
        edge.new_id = duplicate.id
        edge.rule = f"{edge.rule}_confirmed"
    if b.rule:
        b.rule = f"{b.rule}_confirmed"
    b.note("duplicate", f"confirmed again: {duplicate.text!r} (support {duplicate.support + 1})")
    if duplicate.status is FactStatus.disputed:
        _resolve_dispute(b, duplicate, b.reinforce, asserted)
    return b.build()


def _resolve_dispute(b: _Builder, winner: Fact, boost: FactUpdate, asserted: Sequence[Fact]) -> None:
    """A disputed value confirmed often enough beats its rivals clearly: they are retracted."""
    strengthened = _copy(winner, support=boost.support, confidence=boost.confidence)
    rivals = [
        f
        for f in asserted
        if f.id != winner.id
        and f.polarity
        and f.status is FactStatus.disputed
        and not _same_object(f, winner, b.keys)
    ]
    if not rivals or any(reliability(strengthened) - reliability(f) < CLEAR_MARGIN for f in rivals):
        return
    b.reinforce = boost.model_copy(update={"status": FactStatus.active})
    b.winner_id = winner.id
    for old in rivals:
        b.close(
            old,
            rule="dispute_resolved",
            status=FactStatus.retracted,
            valid_to=None,
            reason=f"dispute resolved: {winner.text!r} confirmed {boost.support}x, {old.text!r} retracted",
        )
    b.rule = "dispute_resolved"


def _negation(b: _Builder, asserted: Sequence[Fact]) -> None:
    """Same object, opposite polarity: the later statement in event time wins."""
    new = b.new
    t_new = _event_time(new)
    for old in asserted:
        if old.id in b.handled or old.polarity == new.polarity or not _same_object(old, new, b.keys):
            continue
        t_old = _event_time(old)
        if t_old <= t_new:
            b.close(
                old,
                rule="negation",
                status=FactStatus.superseded,
                valid_to=t_new,
                reason=f"{new.text!r} from {_day(t_new)} reverses {old.text!r}",
            )
        else:
            b.close_incoming(
                old,
                rule="negation_older",
                status=FactStatus.superseded,
                valid_to=t_old,
                reason=f"{new.text!r} (from {_day(t_new)}) told late; {old.text!r} holds since {_day(t_old)}",
            )


def _intent_realised(b: _Builder, slot: Sequence[Fact]) -> None:
    for old in slot:
        if old.modality in _HEDGED and old.polarity and _same_object(old, b.new, b.keys):
            start = _event_time(b.new)
            b.close(
                old,
                rule="intent_realised",
                status=FactStatus.superseded,
                valid_to=max(start, _event_time(old)),
                reason=f"{old.modality.value} realised: {b.new.text!r}",
            )


def _exclusive(b: _Builder, live: Sequence[Fact], registry: PredicateRegistry) -> None:
    """Married closes single: exclusive literal values, across the subject's group predicates."""
    new = b.new
    assert new.object_value is not None
    t_new = _event_time(new)
    for old in live:
        if (
            old.id in b.handled
            or not old.polarity
            or old.modality in _HEDGED
            or old.object_value is None
            or normalise_predicate(old.predicate) not in GROUP_PREDICATES
            or not registry.excludes(new.predicate, new.object_value, old.object_value)
        ):
            continue
        t_old = _event_time(old)
        if t_old <= t_new:
            b.close(
                old,
                rule="exclusive_value",
                status=FactStatus.superseded,
                valid_to=t_new,
                reason=f"{new.text!r} from {_day(t_new)} excludes {old.text!r}",
            )
        else:
            b.close_incoming(
                old,
                rule="exclusive_older",
                status=FactStatus.superseded,
                valid_to=t_old,
                reason=f"{new.text!r} told late; {old.text!r} holds since {_day(t_old)}",
            )


def _by_cardinality(
    b: _Builder, competitors: Sequence[Fact], card: Cardinality, predicate: str, past: Sequence[Fact]
) -> None:
    new = b.new
    if not competitors:
        if not b.rule:
            b.note("first_value", f"first value of the slot: {new.text!r}")
        return
    if card is Cardinality.functional:
        _functional(b, competitors, predicate, past)
    elif card is Cardinality.immutable:
        _immutable(b, competitors)
    elif card is Cardinality.multi:
        b.note("multi_add", f"{new.text!r} added beside {len(competitors)} other value(s) of {predicate}")
    else:
        b.flags.append("unknown_cardinality")
        b.note(
            "unknown_add",
            f"{new.text!r} kept beside {len(competitors)} other value(s): cardinality of {predicate} unknown",
        )
    if b.evidence is None:
        b.evidence = "co_occurrence"


def _functional(b: _Builder, competitors: Sequence[Fact], predicate: str, past: Sequence[Fact]) -> None:
    """One current value: close the older ones; a value told late ends where the next one began."""
    new = b.new
    t_new = _event_time(new)
    later = [f for f in competitors if _event_time(f) > t_new]
    for old in competitors:
        t_old = _event_time(old)
        if t_old == t_new and old.recorded_at == new.recorded_at:
            b.flags.append("simultaneous_values")
            b.note("functional_simultaneous", f"{new.text!r} and {old.text!r} stated together; both kept")
        elif t_old <= t_new:
            b.close(
                old,
                rule="functional_newer",
                status=FactStatus.superseded,
                valid_to=t_new,
                reason=f"{new.text!r} from {_day(t_new)}; {old.text!r} closed then ({predicate}: one value)",
            )
    if later:
        successor = min([*later, *(f for f in past if _event_time(f) > t_new)], key=_event_time)
        t_next = _event_time(successor)
        b.close_incoming(
            successor,
            rule="functional_older",
            status=FactStatus.superseded,
            valid_to=t_next,
            reason=f"{new.text!r} told late: it held until {_day(t_next)}, when {successor.text!r} began",
        )


def _immutable(b: _Builder, competitors: Sequence[Fact]) -> None:
    new = b.new
    mine = reliability(new)
    if all(mine - reliability(f) >= CLEAR_MARGIN for f in competitors):
        for old in competitors:
            b.close(
                old,
                rule="immutable_replaced",
                status=FactStatus.retracted,
                valid_to=None,
                reason=f"{new.text!r} is clearly more reliable than {old.text!r} (cannot change)",
            )
        return
    stronger = [f for f in competitors if reliability(f) - mine >= CLEAR_MARGIN]
    if stronger:
        best = max(stronger, key=reliability)
        b.close_incoming(
            best,
            rule="immutable_kept",
            status=FactStatus.retracted,
            valid_to=None,
            reason=f"{best.text!r} is clearly more reliable than {new.text!r} (cannot change)",
        )
        return
    b.insert_changes["status"] = FactStatus.disputed
    b.flags.append("disputed")
    for old in competitors:
        b.close(
            old,
            rule="immutable_conflict",
            status=FactStatus.disputed,
            valid_to=None,
            reason=f"{new.text!r} contradicts {old.text!r}, a value that cannot change: both disputed",
        )


# --- undo --------------------------------------------------------------------------------------------


def undo(edge: Supersedes, old: Fact, new: Fact, *, now: datetime) -> list[FactUpdate]:
    """Reverse one recorded decision: the slot returns to how it was before the incoming fact.

    The fact whose status the decision changed gets its previous status back (its ``valid_to`` and
    ``invalidated_at`` cleared when it becomes live again: live facts carry no end), and the incoming
    fact is retracted, so it stays on record (transaction time) but is no longer believed. For the
    late rules the incoming fact is ``old`` (it was stored already closed) and the existing winner is
    left alone. For ``dispute_resolved`` the rivals become disputed again, and so does the winner.
    Reinforcement (support, confidence) is not reversed.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidInput("now must be a timezone-aware datetime")
    if edge.old_id != old.id or edge.new_id != new.id:
        raise InvalidInput(f"edge {edge.new_id}->{edge.old_id} does not join facts {new.id} and {old.id}")
    if edge.rule in LATE_RULES:
        return [] if old.status is FactStatus.retracted else [_retract(old, now)]
    updates = [_restore(old, edge.old_status)]
    if edge.rule == "dispute_resolved":
        if new.status is FactStatus.active:
            updates.append(FactUpdate(id=new.id, status=FactStatus.disputed))
    elif edge.rule not in CONFIRMING_RULES and new.status in LIVE_STATUSES:
        updates.append(_retract(new, now))
    return updates


def _restore(fact: Fact, status: FactStatus) -> FactUpdate:
    live = status in LIVE_STATUSES
    return FactUpdate(
        id=fact.id,
        status=status,
        clear_valid_to=live and fact.valid_to is not None,
        clear_invalidated_at=live and fact.invalidated_at is not None,
    )


def _retract(fact: Fact, now: datetime) -> FactUpdate:
    return FactUpdate(id=fact.id, status=FactStatus.retracted, invalidated_at=now)


# --- reads -------------------------------------------------------------------------------------------


def current_view(
    facts: Sequence[Fact],
    as_of: datetime | None = None,
    *,
    known_at: datetime | None = None,
    asserted_only: bool = False,
) -> list[Fact]:
    """The facts that hold, newest first (by event time, then recording time).

    * ``as_of`` None: the current view, facts whose status is active or disputed (disputed facts
      are shown with their status: the memory does not know which value is right).
    * ``as_of`` set: event time. A fact belongs to the view when ``valid_from <= as_of < valid_to``
      (a missing bound is open) and it was not retracted: superseded facts count for the period
      they held; a retracted fact was never true. What we know *now* about that date is used, so
      history told late is included.
    * ``known_at`` set: transaction time, the view as graphmem knew it then. Facts recorded later
      are left out, and a fact invalidated later is treated as it was before: live, with no end.
    * ``asserted_only``: leave out hypothetical and intent facts (they are not claims about the world).
    """
    for label, when in (("as_of", as_of), ("known_at", known_at)):
        if when is not None and (when.tzinfo is None or when.utcoffset() is None):
            raise InvalidInput(f"{label} must be a timezone-aware datetime")
    kept: list[Fact] = []
    for fact in facts:
        if asserted_only and fact.modality in _HEDGED:
            continue
        status, valid_to = fact.status, fact.valid_to
        if known_at is not None:
            if fact.recorded_at > known_at:
                continue
            if fact.invalidated_at is not None and fact.invalidated_at > known_at:
                status, valid_to = FactStatus.active, None
        if as_of is None:
            if status in LIVE_STATUSES:
                kept.append(fact)
            continue
        if status in (FactStatus.retracted, FactStatus.contested):  # never true, or never believed
            continue
        if fact.valid_from is not None and as_of < fact.valid_from:
            continue
        if valid_to is not None and as_of >= valid_to:
            continue
        kept.append(fact)
    return sorted(kept, key=lambda f: (_event_time(f), f.recorded_at, f.id), reverse=True)


def render_with_history(
    current: Fact, history: Sequence[Fact], *, names: Mapping[str, str] | None = None, limit: int = 3
) -> str:
    """One line for a slot: "Maria lives in Lisbon (since 2024-03; before: Paris)".

    ``history`` may contain ``current`` and retracted facts (both are skipped); earlier values are
    listed most recent first, each once. ``names`` maps object entity ids to display names.

    >>> from datetime import UTC, datetime
    >>> old = Fact(id="a", namespace="n", subject_id="m", predicate="lives_in", object_value="Paris",
    ...            text="Maria lives in Paris", valid_from=datetime(2023, 1, 10, tzinfo=UTC))
    >>> cur = Fact(id="b", namespace="n", subject_id="m", predicate="lives_in", object_value="Lisbon",
    ...            text="Maria lives in Lisbon.", valid_from=datetime(2024, 3, 1, tzinfo=UTC))
    >>> render_with_history(cur, [old, cur])
    'Maria lives in Lisbon (since 2024-03; before: Paris)'
    """
    names = names or {}

    def label(fact: Fact) -> str:
        if fact.object_value is not None:
            return fact.object_value
        assert fact.object_id is not None
        return names.get(fact.object_id, fact.object_id)

    earlier = sorted(
        (
            f
            for f in history
            if f.id != current.id
            and f.status is not FactStatus.retracted
            and f.polarity
            and f.modality not in _HEDGED
            and _event_time(f) <= _event_time(current)
        ),
        key=lambda f: (_event_time(f), f.recorded_at),
        reverse=True,
    )
    before: list[str] = []
    seen = {entity_key(label(current))}
    for fact in earlier:
        text = label(fact)
        if entity_key(text) not in seen:
            seen.add(entity_key(text))
            before.append(text)
    parts = []
    if current.valid_from is not None:
        parts.append(f"since {current.valid_from.strftime('%Y-%m')}")
    if before:
        shown = ", ".join(before[:limit]) + (", ..." if len(before) > limit else "")
        parts.append(f"before: {shown}")
    head = current.text.strip().rstrip(".")
    return f"{head} ({'; '.join(parts)})" if parts else head
