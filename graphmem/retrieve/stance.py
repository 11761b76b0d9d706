"""Stance of facts in a search: hedged and negated facts are answers only when the question asks.

A fact carries its modality (asserted, reported, hypothetical, intent) and its polarity. The current
view that answers "Where does Maria live?" holds asserted, positive facts: "I might move to Rome" is
not where Maria lives, and "I no longer work at Google" is not where she works (the negation already
closed the positive fact, whose history shows it). Both stay reachable when the question is about
them: plans ("Is Maria planning to move?", "Where might she work?") bring hedged facts back, and
questions about endings or yes/no questions ("Did Maria ever work at Google?", "Does she still live
in Paris?", "Where did she use to live?") bring negative facts back. Whatever is shown keeps its
modality and polarity on the hit, so a caller (or the prompt context) can mark it.

The second rule here is the *slot focus*: when a one-hop question names its subject and asks for a
relation ("How old is Lukas?"), the subject's own facts of that relation come before facts of the
people around it (Lukas's brother's age), whatever their fused scores.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from graphmem.model import Fact, Modality

__all__ = ["Wants", "focus_subject", "question_wants", "stance_weight"]

_HEDGED = frozenset({Modality.hypothetical, Modality.intent})

_PLAN_WORDS = frozenset(
    {
        "plan", "plans", "planning", "planned", "thinking", "think", "considering", "consider",
        "might", "may", "could", "would", "want", "wants", "wanted", "hope", "hopes", "hoping",
        "dream", "dreams", "future", "intend", "intends", "wish", "wishes", "someday", "aim",
        "tempted", "become", "considered", "eventually", "next", "later",
    }
)  # fmt: skip
"""Words of a question about plans, wishes and possibilities: hedged facts answer it."""

_ENDING_WORDS = frozenset(
    {
        "ever", "anymore", "still", "longer", "used", "use", "stop", "stopped", "quit", "leave", "left",
        "not", "n't", "never", "before", "previously", "formerly", "once", "past", "former",
    }
)  # fmt: skip
"""Words of a question about what ended or did not happen: negative facts answer it."""

_YES_NO_STARTS = frozenset(
    {"do", "does", "did", "is", "are", "was", "were", "has", "have", "had", "can", "could", "will"}
)


@dataclass(frozen=True, slots=True)
class Wants:
    """Which non-current stances the question asks about."""

    hedged: bool = False
    negative: bool = False


def question_wants(query: str, *, temporal: str = "current") -> Wants:
    """What a question asks beyond the current asserted view.

    >>> question_wants("Where does Maria live?")
    Wants(hedged=False, negative=False)
    >>> question_wants("Is Maria planning to move?")
    Wants(hedged=True, negative=True)
    >>> question_wants("Where did Maria use to work?", temporal="historical")
    Wants(hedged=False, negative=True)
    """
    words = [w.strip(".,!?;:\"'").lower() for w in query.replace("n't", " n't").split()]
    words = [w for w in words if w]
    hedged = any(w in _PLAN_WORDS for w in words)
    yes_no = bool(words) and words[0] in _YES_NO_STARTS
    negative = yes_no or temporal == "historical" or any(w in _ENDING_WORDS for w in words)
    return Wants(hedged=hedged, negative=negative)


def stance_weight(fact: Fact, wants: Wants) -> float:
    """1 when the fact may answer the question, 0 when its stance was not asked for.

    >>> from graphmem.model import Fact
    >>> plan = Fact(id="f", namespace="n", subject_id="s", predicate="lives_in", object_value="Rome",
    ...             text="Maria might move to Rome", modality="hypothetical")
    >>> stance_weight(plan, Wants()), stance_weight(plan, Wants(hedged=True))
    (0.0, 1.0)
    """
    if fact.modality in _HEDGED and not wants.hedged:
        return 0.0
    if not fact.polarity and not wants.negative:
        return 0.0
    return 1.0


def focus_subject(
    order: Sequence[str],
    facts: Mapping[str, Fact],
    *,
    subjects: Collection[str],
    predicates: Collection[str],
    wants: Wants | None = None,
) -> list[str]:
    """``order`` with the facts that answer the question directly first (a stable partition).

    Tiers: the named subject's facts of the asked predicates (hedged ones first when the question
    asks about plans), then, for a question about plans, the other hedged facts, then the rest. The
    caller passes the entity ids of the one named subject of a one-hop question (empty otherwise).

    >>> from graphmem.model import Fact
    >>> def f(i, s, p, m="asserted"):
    ...     return Fact(id=i, namespace="n", subject_id=s, predicate=p, object_value="x", text=i, modality=m)
    >>> facts = {"a": f("a", "ivan", "age"), "b": f("b", "lukas", "brother"), "c": f("c", "lukas", "age")}
    >>> focus_subject(["a", "b", "c"], facts, subjects={"lukas"}, predicates={"age"})
    ['c', 'a', 'b']
    >>> facts["d"] = f("d", "lukas", "lives_in", "intent")
    >>> focus_subject(["a", "b", "c", "d"], facts, subjects=set(), predicates=set(), wants=Wants(hedged=True))
    ['d', 'a', 'b', 'c']
    """
    plans = wants is not None and wants.hedged

    def tier(fid: str) -> int:
        fact = facts.get(fid)
        if fact is None:
            return 4
        hedged = fact.modality in _HEDGED
        direct = fact.subject_id in subjects and fact.predicate in predicates
        if direct:
            return 0 if hedged or not plans else 1
        if plans and hedged and (not subjects or fact.subject_id in subjects):
            return 1
        return 3

    return sorted(order, key=tier)  # sorted() is stable: the ranking decides inside each tier
