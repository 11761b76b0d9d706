"""Rules without a parser, for when no spaCy model is installed (``spacy.blank("en")``).

Only the commonest first-person statements are recognised ("I live in Lisbon", "I work at Google",
"my name is Sam", "I am 34 years old", "I love jazz"); everything else is left to the episode text
and its embedding. This keeps graphmem usable without the model, at much lower extraction quality,
which ``nlp.load_nlp`` logs as a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["FallbackFact", "fallback_facts"]

_NAME = r"([A-Z][\w'-]*(?:\s+(?:of\s+)?[A-Z][\w'-]*)*)"
_THING = r"([\w' -]+?)"
_END = r"(?=[.,!;]|\s+(?:and|but|since|because|now|today|yesterday|last|with)\b|$)"
_RULES: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    (re.compile(rf"\bI(?:'m| am)? (?:live|living|moved) (?:in|to) {_NAME}"), "lives_in", False),
    (re.compile(rf"\bI(?:'m| am)? (?:work|working) (?:at|for) {_NAME}"), "works_at", False),
    (re.compile(rf"\bI(?:'m| am) from {_NAME}"), "comes_from", False),
    (re.compile(r"\b[Mm]y name is ([A-Z][\w'-]*)"), "name", True),
    (re.compile(r"\bI(?:'m| am) (\d{1,3}) years old"), "age", True),
    (re.compile(rf"\bI (?:really )?(love|like|enjoy|hate) {_THING}{_END}"), "", False),
)
_VERB_PREDICATE = {"love": "loves", "like": "likes", "enjoy": "likes", "hate": "dislikes"}


@dataclass(frozen=True, slots=True)
class FallbackFact:
    """(first person, predicate, object) found by a regular expression."""

    predicate: str
    object: str
    literal: bool
    start: int
    end: int


def fallback_facts(text: str) -> list[FallbackFact]:
    """First-person facts recognisable without a parser.

    >>> [(f.predicate, f.object) for f in fallback_facts("I live in Lisbon and I love jazz.")]
    [('lives_in', 'Lisbon'), ('loves', 'jazz')]
    """
    found: list[FallbackFact] = []
    for pattern, predicate, literal in _RULES:
        for match in pattern.finditer(text):
            if predicate:
                value, start, end = match.group(1), match.start(1), match.end(1)
                found.append(FallbackFact(predicate, value.strip(), literal, start, end))
            else:
                value, start, end = match.group(2), match.start(2), match.end(2)
                obj = re.sub(r"^(?:the|a|an|my)\s+", "", value.strip())
                found.append(FallbackFact(_VERB_PREDICATE[match.group(1)], obj, False, start, end))
    return sorted(found, key=lambda f: f.start)
