"""The predicate registry: how many current values a predicate may have, and what the data taught us.

Reconsolidation (DESIGN section 5) only works if the engine knows, for each canonical predicate,
whether a new value *replaces* the old one (``lives_in``: functional), *adds* to it (``likes``:
multi-valued), *can never change* (``born_in``: immutable), or nobody knows yet (unknown). The
registry answers that question in a fixed order of precedence:

1. an **override** from configuration (``{"drinks": "multi"}``) always wins;
2. the **seeded** predicates below (the canonical names the extractor emits);
3. **prefix rules**: every ``favourite_*`` predicate is functional (one favourite colour at a time);
4. **learned** counts: for any other predicate, the reconciler reports evidence each time a value
   meets another value of the same slot. *Replacement* evidence is an explicit cue that the new value
   replaces the old (``instead of``, a correction, a state-change verb); *co-occurrence* evidence is a
   second value stated without any such cue. Once a predicate has at least ``min_evidence``
   observations (default 3), it becomes functional when at least ``functional_share`` (default 0.75) of
   them are replacements, multi-valued when at most ``multi_share`` (default 0.25) are, and stays
   unknown in between. Three concordant observations are the least that is not an accident of one
   conversation; the 75/25 split leaves a wide band where the registry refuses to guess;
5. otherwise **unknown**: the reconciler keeps both values and flags the slot.

Exclusive value groups are the second thing the registry knows: some literal values exclude each
other even inside a multi-valued predicate. "Maria is married" after "Maria is single" must close
"single", although ``has_property`` is multi-valued (Maria can be married *and* tall).

The learned counts are plain data (``to_dict`` / ``from_dict``) so the caller can persist them beside
the store; the registry itself does no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from graphmem.errors import InvalidInput
from graphmem.model import entity_key

__all__ = [
    "DEFAULT_FUNCTIONAL_SHARE",
    "DEFAULT_MIN_EVIDENCE",
    "DEFAULT_MULTI_SHARE",
    "EXCLUSIVE_GROUPS",
    "GROUP_PREDICATES",
    "PREDICATE_ALIASES",
    "SEEDED_PREDICATES",
    "Cardinality",
    "EvidenceKind",
    "PredicateCounts",
    "PredicateRegistry",
    "normalise_predicate",
]


class Cardinality(StrEnum):
    """How many values a slot (namespace, subject, predicate) may hold at one time."""

    functional = "functional"
    """One current value; a newer value closes the older one (lives_in, works_at, spouse, age)."""
    multi = "multi"
    """Any number of values; only an explicit cue closes one (likes, visited, speaks)."""
    immutable = "immutable"
    """One value for ever; a different value is a dispute, not a change (born_in, birth_date)."""
    unknown = "unknown"
    """Not known yet; keep every value, flag the slot, read newest first."""


EvidenceKind = Literal["replacement", "co_occurrence"]

DEFAULT_MIN_EVIDENCE = 3
DEFAULT_FUNCTIONAL_SHARE = 0.75
DEFAULT_MULTI_SHARE = 0.25

_F, _M, _I = Cardinality.functional, Cardinality.multi, Cardinality.immutable

SEEDED_PREDICATES: Mapping[str, Cardinality] = {
    # where and what a person is now: one current value each
    "lives_in": _F,
    "works_at": _F,
    "job_title": _F,
    "studies_at": _F,
    "spouse": _F,
    "partner": _F,
    "husband": _F,
    "wife": _F,
    "age": _F,
    "relationship_status": _F,
    "life_status": _F,
    "drives": _F,
    "reports_to": _F,
    "height": _F,
    "weight": _F,
    "phone_number": _F,
    "email": _F,
    "boss": _F,
    "name": _F,
    # where a thing is: one place at a time (agent worlds: "the key is in the kitchen")
    "located_at": _F,
    "located_in": _F,
    # facts of birth and death: they never change, a second value is a dispute
    "born_in": _I,
    "birth_date": _I,
    "died_in": _I,
    "death_date": _I,
    "mother": _I,
    "father": _I,
    "comes_from": _I,
    # many values at once
    "nationality": _M,
    "likes": _M,
    "dislikes": _M,
    "loves": _M,
    "hates": _M,
    "prefers": _M,
    "visited": _M,
    "owns": _M,
    "has": _M,
    "has_pet": _M,
    "knows": _M,
    "friend_of": _M,
    "sister": _M,
    "brother": _M,
    "sibling": _M,
    "parent": _M,
    "child": _M,
    "son": _M,
    "daughter": _M,
    "is_a": _M,
    "has_property": _M,
    "member_of": _M,
    "plays": _M,
    "speaks": _M,
    "hobby": _M,
    "reads": _M,
    "wants": _M,
    "plans_to": _M,
    "eats": _M,
    "uses": _M,
    "studied": _M,
    "graduated_from": _M,
    "worked_at": _M,
    "lived_in": _M,
    "lives_with": _M,
    "manages": _M,
    "teaches": _M,
    "collects": _M,
    "attended": _M,
    "allergic_to": _M,
    "aunt": _M,
    "uncle": _M,
    "cousin": _M,
    "niece": _M,
    "nephew": _M,
    "grandparent": _M,
    "grandmother": _M,
    "grandfather": _M,
    "grandchild": _M,
    "colleague": _M,
    "neighbor": _M,
    "roommate": _M,
    "mentor": _M,
    "met": _M,
    "founded": _M,
    "wrote": _M,
    "contains": _M,
    "learns": _M,
    "studies": _M,
    "watches": _M,
    "volunteers_at": _M,
    "grew_up_in": _M,
}
"""Built-in cardinalities of the canonical predicates shared with the extractor's lexicon."""

FUNCTIONAL_PREFIXES: tuple[str, ...] = ("favourite_",)
"""Any predicate with one of these prefixes is functional (one favourite colour at a time)."""

PREDICATE_ALIASES: Mapping[str, str] = {
    "live_in": "lives_in",
    "lives_at": "lives_in",
    "resides_in": "lives_in",
    "work_at": "works_at",
    "work_for": "works_at",
    "works_for": "works_at",
    "employed_by": "works_at",
    "works_as": "job_title",
    "study_at": "studies_at",
    "married_to": "spouse",
    "born_on": "birth_date",
    "friend": "friend_of",
    "neighbour": "neighbor",
    "favorite": "favourite",
}
"""Surface spellings that are the same predicate (``favorite_x`` -> ``favourite_x`` by prefix)."""

_PREFIX_ALIASES: Mapping[str, str] = {"favorite_": "favourite_", "favourite_": "favourite_"}

EXCLUSIVE_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"single", "married", "divorced", "engaged", "widowed", "separated"}),
    frozenset({"alive", "dead"}),
    frozenset({"employed", "unemployed", "retired"}),
    frozenset({"open", "closed"}),
    frozenset({"locked", "unlocked"}),
    frozenset({"on", "off"}),
    frozenset({"full", "empty"}),
)
"""Literal values that exclude each other within a subject: a new one closes the others."""

VALUE_SYNONYMS: Mapping[str, str] = {
    "widow": "widowed",
    "widower": "widowed",
    "divorcee": "divorced",
    "fiance": "engaged",
    "fiancee": "engaged",
    "deceased": "dead",
    "living": "alive",
    "jobless": "unemployed",
    "shut": "closed",
}
"""Surface forms of group values (``is_a widow`` is the ``widowed`` state)."""

GROUP_PREDICATES: frozenset[str] = frozenset(
    {"has_property", "is_a", "relationship_status", "life_status", "state", "status"}
)
"""Predicates whose literal values are checked against the exclusive groups."""


def normalise_predicate(name: str) -> str:
    """Lower-case snake form of a predicate name, with aliases applied.

    >>> normalise_predicate("Works For")
    'works_at'
    >>> normalise_predicate("favorite_color")
    'favourite_color'
    """
    text = "_".join(name.strip().lower().replace("-", " ").split())
    if not text:
        raise InvalidInput("a predicate name must not be empty")
    if text in PREDICATE_ALIASES:
        return PREDICATE_ALIASES[text]
    for prefix, canonical in _PREFIX_ALIASES.items():
        if text.startswith(prefix) and len(text) > len(prefix):
            return canonical + text[len(prefix) :]
    return text


def _group_value(value: str) -> str:
    key = entity_key(value)
    return VALUE_SYNONYMS.get(key, key)


@dataclass(slots=True)
class PredicateCounts:
    """Evidence gathered for one predicate: value replacements versus co-occurring values."""

    replacement: int = 0
    co_occurrence: int = 0

    @property
    def total(self) -> int:
        return self.replacement + self.co_occurrence


class PredicateRegistry:
    """Cardinality and exclusive groups of predicates: seeds, configured overrides and learned counts.

    >>> reg = PredicateRegistry({"drinks": "multi"})
    >>> reg.cardinality("lives_in"), reg.cardinality("favourite_food"), reg.cardinality("drinks")
    (<Cardinality.functional: 'functional'>, <Cardinality.functional: 'functional'>, \
<Cardinality.multi: 'multi'>)
    >>> reg.cardinality("collects_stamps")
    <Cardinality.unknown: 'unknown'>
    """

    def __init__(
        self,
        overrides: Mapping[str, str | Cardinality] | None = None,
        *,
        min_evidence: int = DEFAULT_MIN_EVIDENCE,
        functional_share: float = DEFAULT_FUNCTIONAL_SHARE,
        multi_share: float = DEFAULT_MULTI_SHARE,
    ) -> None:
        if min_evidence < 1:
            raise InvalidInput(f"min_evidence must be >= 1, got {min_evidence}")
        if not 0.0 <= multi_share < functional_share <= 1.0:
            raise InvalidInput(
                f"need 0 <= multi_share < functional_share <= 1, got {multi_share}, {functional_share}"
            )
        self.min_evidence = min_evidence
        self.functional_share = functional_share
        self.multi_share = multi_share
        self._overrides: dict[str, Cardinality] = {}
        self._counts: dict[str, PredicateCounts] = {}
        for name, value in (overrides or {}).items():
            self.set_override(name, value)

    # --- cardinality -------------------------------------------------------------------------

    def set_override(self, predicate: str, cardinality: str | Cardinality) -> None:
        """Fix a predicate's cardinality (configuration); learned counts no longer move it."""
        try:
            card = Cardinality(cardinality)
        except ValueError as exc:
            allowed = ", ".join(c.value for c in Cardinality)
            raise InvalidInput(
                f"unknown cardinality {cardinality!r} for predicate {predicate!r}; expected one of {allowed}"
            ) from exc
        self._overrides[normalise_predicate(predicate)] = card

    def cardinality(self, predicate: str) -> Cardinality:
        """The cardinality to reconcile ``predicate`` with (see the module docstring for the order)."""
        return self.explain(predicate)[0]

    def explain(self, predicate: str) -> tuple[Cardinality, str]:
        """The cardinality and where it came from: override, seed, prefix, learned or default."""
        name = normalise_predicate(predicate)
        if name in self._overrides:
            return self._overrides[name], "override"
        if name in SEEDED_PREDICATES:
            return SEEDED_PREDICATES[name], "seed"
        if name.startswith(FUNCTIONAL_PREFIXES):
            return Cardinality.functional, "prefix"
        learned = self._learned(name)
        if learned is not None:
            return learned, "learned"
        return Cardinality.unknown, "default"

    def _learned(self, name: str) -> Cardinality | None:
        counts = self._counts.get(name)
        if counts is None or counts.total < self.min_evidence:
            return None
        share = counts.replacement / counts.total
        if share >= self.functional_share:
            return Cardinality.functional
        if share <= self.multi_share:
            return Cardinality.multi
        return None

    def known(self) -> dict[str, Cardinality]:
        """Every predicate with a cardinality other than unknown: seeds, overrides and learned ones."""
        names = set(SEEDED_PREDICATES) | set(self._overrides) | set(self._counts)
        result = {name: self.cardinality(name) for name in sorted(names)}
        return {name: card for name, card in result.items() if card is not Cardinality.unknown}

    # --- learning ----------------------------------------------------------------------------

    def observe(self, predicate: str, evidence: EvidenceKind, count: int = 1) -> Cardinality:
        """Record evidence about a predicate; returns its cardinality afterwards.

        Counts are kept for every predicate (seeded ones too, so an operator can see whether the data
        agrees with the seed), but only predicates without an override, seed or prefix rule move.
        """
        if evidence not in ("replacement", "co_occurrence"):
            raise InvalidInput(f"evidence must be 'replacement' or 'co_occurrence', got {evidence!r}")
        if count < 1:
            raise InvalidInput(f"count must be >= 1, got {count}")
        name = normalise_predicate(predicate)
        counts = self._counts.setdefault(name, PredicateCounts())
        if evidence == "replacement":
            counts.replacement += count
        else:
            counts.co_occurrence += count
        return self.cardinality(name)

    def counts(self, predicate: str) -> PredicateCounts:
        """The evidence gathered so far for a predicate (zeros when none)."""
        found = self._counts.get(normalise_predicate(predicate))
        return PredicateCounts(found.replacement, found.co_occurrence) if found else PredicateCounts()

    # --- exclusive value groups --------------------------------------------------------------

    def exclusive_group(self, predicate: str, value: str) -> frozenset[str] | None:
        """The group of mutually exclusive values ``value`` belongs to, for a group predicate.

        >>> sorted(PredicateRegistry().exclusive_group("has_property", "Married") or [])[:3]
        ['divorced', 'engaged', 'married']
        >>> PredicateRegistry().exclusive_group("likes", "married") is None
        True
        """
        if normalise_predicate(predicate) not in GROUP_PREDICATES:
            return None
        normal = _group_value(value)
        for group in EXCLUSIVE_GROUPS:
            if normal in group:
                return group
        return None

    def excludes(self, predicate: str, a: str, b: str) -> bool:
        """Whether two literal values of a group predicate exclude each other (same group, different)."""
        group = self.exclusive_group(predicate, a)
        return group is not None and _group_value(b) in group and _group_value(a) != _group_value(b)

    # --- persistence -------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Overrides, thresholds and learned counts as JSON-ready data (seeds live in the code)."""
        return {
            "version": 1,
            "min_evidence": self.min_evidence,
            "functional_share": self.functional_share,
            "multi_share": self.multi_share,
            "overrides": {name: card.value for name, card in sorted(self._overrides.items())},
            "counts": {
                name: {"replacement": c.replacement, "co_occurrence": c.co_occurrence}
                for name, c in sorted(self._counts.items())
            },
        }

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, overrides: Mapping[str, str | Cardinality] | None = None
    ) -> PredicateRegistry:
        """Rebuild a registry saved with ``to_dict``; ``overrides`` (configuration) win over saved ones."""
        if data.get("version", 1) != 1:
            raise InvalidInput(f"unsupported predicate registry version {data.get('version')!r}")
        merged: dict[str, str | Cardinality] = dict(data.get("overrides", {}))
        merged.update(overrides or {})
        registry = cls(
            merged,
            min_evidence=int(data.get("min_evidence", DEFAULT_MIN_EVIDENCE)),
            functional_share=float(data.get("functional_share", DEFAULT_FUNCTIONAL_SHARE)),
            multi_share=float(data.get("multi_share", DEFAULT_MULTI_SHARE)),
        )
        for name, raw in dict(data.get("counts", {})).items():
            try:
                counts = PredicateCounts(int(raw.get("replacement", 0)), int(raw.get("co_occurrence", 0)))
            except (AttributeError, TypeError, ValueError) as exc:
                raise InvalidInput(f"bad counts for predicate {name!r}: {raw!r}") from exc
            if counts.replacement < 0 or counts.co_occurrence < 0:
                raise InvalidInput(f"negative counts for predicate {name!r}: {raw!r}")
            registry._counts[normalise_predicate(name)] = counts
        return registry

    def restore(self, data: Mapping[str, Any]) -> None:
        """Put back the learned counts saved by ``to_dict`` (in place: ingest holds this object), so
        a batch that is planned but never committed leaves no counts behind."""
        self._counts = dict(PredicateRegistry.from_dict(data)._counts)

    def seeded(self) -> Iterable[str]:
        """Names of the built-in predicates (for documentation and the extractor's lexicon check)."""
        return iter(SEEDED_PREDICATES)
