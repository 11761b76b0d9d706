"""Entity resolution decisions as pure string and type tests (the store lookups live in the caller).

A wrong merge silently fuses two people's facts and cannot be undone by reconsolidation, while a
missed merge only leaves two nodes that a SIMILAR edge can still connect. So a vector hit alone never
merges: the names must also pass a string test, and the types must agree. The write path calls
:func:`merge_decision` for each vector candidate after the exact key / alias lookup found nothing.

String tests, in order of strength:
- *same name* once titles ("Dr.", "Mrs."), corporate suffixes ("Inc", "Ltd"), articles, case,
  accents and punctuation are removed: "Dr. Anna Lee" ~ "Anna Lee", "Google Inc." ~ "Google";
- *acronym*: "IBM" ~ "International Business Machines", "NYC" ~ "New York City";
- *token subset* for people: "Anna" ~ "Anna Lee", "J. Smith" ~ "John Smith" (initials match), but
  never "Anna Lee" ~ "Anna Smith", and never for places or organisations ("Lisbon" is not
  "University of Lisbon").

>>> names_compatible("IBM", "International Business Machines")
True
>>> merge_decision("Dr. Anna Lee", "person", "Anna Lee", "person", 0.80)
'merge'
>>> merge_decision("Anna Lee", "person", "Anna Smith", "person", 0.80)
'similar'
"""

from __future__ import annotations

import re
from typing import Literal

from graphmem.model import entity_key

__all__ = ["MergeDecision", "merge_decision", "name_tokens", "names_compatible", "types_compatible"]

MergeDecision = Literal["merge", "similar", "new"]

_TITLES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "doctor",
        "prof",
        "professor",
        "sir",
        "madam",
        "dame",
        "lord",
        "lady",
        "rev",
        "reverend",
        "fr",
        "father",
        "sister",
        "brother",
        "capt",
        "captain",
        "sgt",
        "lt",
        "col",
        "gen",
        "aunt",
        "auntie",
        "uncle",
        "grandma",
        "grandpa",
        "granny",
        "nana",
        "coach",
        "officer",
        "judge",
    }
)
_SUFFIXES = frozenset(
    {
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "llp",
        "plc",
        "corp",
        "corporation",
        "co",
        "company",
        "gmbh",
        "ag",
        "sa",
        "srl",
        "bv",
        "nv",
        "oy",
        "ab",
        "pty",
        "jr",
        "sr",
        "ii",
        "iii",
        "iv",
        "phd",
        "md",
    }
)
_ACRONYM_SKIP = frozenset(
    {"of", "and", "the", "for", "&", "de", "du", "la", "le", "des", "a", "an", "in", "on"}
)
_TYPE_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"person"}),
    frozenset({"place", "organization", "group"}),  # spaCy swaps GPE / ORG / NORP often ("Chelsea", "Google")
    frozenset({"object", "concept", "work", "event"}),
    frozenset({"animal"}),
    frozenset({"date"}),
)
_WILDCARD_TYPES = frozenset({"", "concept", "unknown", "entity"})
_SPLIT = re.compile(r"[\s\-]+")
_NOT_NAME_WORDS = frozenset(
    {
        "university",
        "college",
        "school",
        "bank",
        "city",
        "hospital",
        "street",
        "park",
        "river",
        "lake",
        "club",
        "group",
        "team",
        "company",
        "institute",
        "museum",
        "church",
        "center",
        "centre",
        "airport",
        "station",
    }
)


def name_tokens(name: str) -> list[str]:
    """Normalised name tokens without titles, corporate suffixes, articles or possessive marks."""
    tokens = [t for t in _SPLIT.split(entity_key(name.replace("'s ", " ").replace("’s ", " "))) if t]
    core = [t for t in tokens if t not in _SUFFIXES]
    while len(core) > 1 and core[0] in _TITLES:
        core = core[1:]
    return core or tokens


def _is_acronym_of(short: str, long_tokens: list[str]) -> bool:
    letters = short.replace(".", "").replace(" ", "").lower()
    if not (2 <= len(letters) <= 8) or not letters.isalpha():
        return False
    words = [t for t in long_tokens if t not in _ACRONYM_SKIP]
    if len(words) < 2:
        return False
    initials = "".join(w[0] for w in words)
    with_skips = "".join(w[0] for w in long_tokens)
    return letters in (initials, with_skips)


def _initials_match(short: list[str], long: list[str]) -> bool:
    """Every token of the shorter name matches a distinct token of the longer one, in order;
    a one-letter token matches any token with that initial ("J Smith" ~ "John Smith")."""
    pos = 0
    for token in short:
        while pos < len(long):
            candidate = long[pos]
            pos += 1
            if token == candidate or (len(token) == 1 and candidate.startswith(token)):
                break
        else:
            return False
    return True


def _possessive(name: str) -> bool:
    return "'s " in name or "’s " in name


def names_compatible(a: str, b: str, *, kind: str | None = None) -> bool:
    """Whether two names can denote the same entity (a string test, not a decision).

    ``kind`` is the entity type when known: the token-subset test ("Anna" ~ "Anna Lee") only applies
    to people (``kind`` None or "person"); acronyms and equal names apply to every type.
    """
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return False
    if _possessive(a) != _possessive(b):
        return False  # "Chloe's neighbor" (a role of Chloe) is never Chloe herself
    if ta == tb:
        return True
    raw_a, raw_b = a.strip(), b.strip()
    if len(ta) == 1 and _is_acronym_of(raw_a, tb) and (raw_a.isupper() or len(ta[0]) <= 4):
        return True
    if len(tb) == 1 and _is_acronym_of(raw_b, ta) and (raw_b.isupper() or len(tb[0]) <= 4):
        return True
    if kind not in (None, "person"):
        return False
    short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if kind is None and any(t in _ACRONYM_SKIP or t in _NOT_NAME_WORDS or not t.isalpha() for t in long):
        return False  # untyped: only person-shaped names get the subset test
    return _initials_match(short, long) or (len(ta) == len(tb) and _initials_match(long, short))


def types_compatible(a: str, b: str) -> bool:
    """Whether two entity types may describe one entity (untyped ``concept`` matches anything but dates)."""
    a, b = (a or "").lower(), (b or "").lower()
    if a == b:
        return True
    if a in _WILDCARD_TYPES or b in _WILDCARD_TYPES:
        return "date" not in (a, b)
    return any(a in group and b in group for group in _TYPE_GROUPS)


def _strong_string_match(a: str, b: str) -> bool:
    """Equal after normalisation, or an acronym: string evidence that needs little vector support."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return False
    if _possessive(a) != _possessive(b):
        return False  # "Chloe's neighbor" (a role of Chloe) is never Chloe herself
    if ta == tb or (ta[:-1] == tb[:-1] and _singular(ta[-1]) == _singular(tb[-1])):
        return True
    return names_compatible(a, b, kind="organization")  # acronym or equal (no token subset)


def _singular(word: str) -> str:
    """Plural folding for the last word of a name ("cats" ~ "cat"); never applied to people."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def merge_decision(
    name: str,
    type: str,
    candidate_name: str,
    candidate_type: str,
    similarity: float,
    *,
    merge_threshold: float = 0.85,
    similar_threshold: float = 0.70,
) -> MergeDecision:
    """Merge a new mention into a stored candidate, link them as SIMILAR, or keep them apart.

    - types incompatible -> ``new`` (a SIMILAR edge between a person and a city helps nobody);
    - same name after normalisation, or an acronym -> ``merge`` (string evidence is decisive;
      acronyms embed far from their expansion, so only a floor of similarity is asked);
    - person token subset ("Anna" / "Anna Lee") with similarity >= ``similar_threshold`` -> ``merge``;
    - any other pair: similarity >= ``merge_threshold`` and the names compatible -> ``merge``;
      similarity >= ``similar_threshold`` -> ``similar`` (a near miss is recorded, never merged);
    - otherwise ``new``.
    """
    if not types_compatible(type, candidate_type):
        return "new"
    kind = type if type and type not in _WILDCARD_TYPES else (candidate_type or None)
    if kind in _WILDCARD_TYPES:
        kind = None
    if similarity >= 0.3 and (
        _strong_string_match(name, candidate_name)
        if kind != "person"
        else name_tokens(name) == name_tokens(candidate_name)
    ):
        return "merge"
    compatible = names_compatible(name, candidate_name, kind=kind)
    if compatible and kind == "person" and similarity >= similar_threshold:
        return "merge"
    if compatible and similarity >= merge_threshold:
        return "merge"
    if similarity >= similar_threshold:
        return "similar"
    return "new"
