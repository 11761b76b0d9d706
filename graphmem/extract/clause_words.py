"""Word lists and token tests the clause patterns share: verb classes, cue words, question and
correction openers, and the lemma / gerund helpers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphmem.extract.lexicon import _VOCAB, deinflect
from graphmem.extract.words import (
    INTENT_VERBS,
    STOP_VERBS,
)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_HEAD_DEPS = frozenset({"ROOT", "conj", "ccomp", "advcl", "relcl", "parataxis"})
_VERBAL = frozenset({"VERB", "AUX"})
_BELIEF_VERBS = frozenset(
    {"think", "believe", "guess", "suppose", "imagine", "bet", "feel", "hope", "expect"}
)
_REPORT_VERBS = frozenset({"say", "tell", "mention", "claim", "report", "write", "text", "announce"})
_LIKING = frozenset({"like", "love", "enjoy", "hate", "prefer", "adore", "dislike", "detest", "miss"})
_EMOTIONS = frozenset(
    [
        "happy",
        "glad",
        "sorry",
        "excited",
        "sure",
        "proud",
        "thankful",
        "grateful",
        "sad",
        "upset",
        "angry",
        "worried",
        "nervous",
        "afraid",
        "scared",
        "thrilled",
        "curious",
        "jealous",
        "bored",
        "busy",
        "swamped",
        "stressed",
        "tired",
        "exhausted",
        "ready",
        "able",
        "unable",
        "welcome",
        "free",
        "right",
        "wrong",
        "true",
        "fine",
        "okay",
        "ok",
        "good",
        "great",
        "awesome",
        "amazing",
        "fun",
        "nice",
        "cool",
        "lucky",
        "blessed",
        "interested",
        "honored",
        "honoured",
        "relieved",
        "surprised",
        "shocked",
        "impressed",
        "disappointed",
        "confused",
        "hungry",
        "sick",
        "late",
        "early",
        "aware",
        "certain",
        "sure",
        "excited",
        "overwhelmed",
        "touched",
        "moved",
        "inspired",
        "grateful",
        "kind",
        "sweet",
        "alone",
        "lonely",
        "safe",
        "here",
        "there",
        "back",
        "home",
    ]
)
_LOCATIVE_PREPS = frozenset(
    {
        "in",
        "on",
        "at",
        "under",
        "inside",
        "behind",
        "near",
        "beside",
        "above",
        "below",
        "underneath",
        "next",
        "by",
        "atop",
        "within",
    }
)
_GENERIC_PREPS = frozenset({"in", "at", "to", "for", "on", "into", "from", "about", "with"})
_MOTION_VERBS = frozenset(
    {"go", "travel", "fly", "drive", "head", "walk", "sail", "return", "come", "get", "take"}
)
_PLACING_VERBS = frozenset(
    {"put", "place", "leave", "drop", "hide", "store", "keep", "set", "lay", "stash", "find"}
)
_ACQUIRE = {
    "have": "has",
    "own": "owns",
    "buy": "owns",
    "purchase": "owns",
    "adopt": "owns",
    "get": "has",
    "rescue": "owns",
    "acquire": "owns",
}
_CONCRETE = frozenset({"object", "animal", "work", "place"})
_NON_ARGUMENT_PREPS = frozenset(
    {
        "like",
        "unlike",
        "than",
        "including",
        "except",
        "besides",
        "despite",
        "via",
        "per",
        "without",
        "because",
        "although",
        "whether",
        "if",
    }
)
_INTENSIFIERS = frozenset({"so", "soo", "sooo", "super", "totally", "absolutely", "pretty", "really", "such"})
_DIRECTIONAL = frozenset({"back", "home", "away", "out", "over"})
_EMPLOYING = frozenset({"hire", "employ", "recruit", "fire", "sack", "lay"})
_JOB_NOUNS = frozenset({"job", "position", "role", "internship", "career", "gig", "post"})
_TIME_WORDS = frozenset(
    [
        "ago",  # "3 months ago" even when the model misses the DATE entity
        "yesterday",
        "today",
        "tonight",
        "tomorrow",
        "now",
        "recently",
        "lately",
        "currently",
        "someday",
        "sometime",
        "soon",
        "later",
        "earlier",
        "weekend",
        "weekends",
        "morning",
        "evening",
        "night",
        "afternoon",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)
_QUESTION_STARTS = frozenset(
    {
        "do",
        "does",
        "did",
        "can",
        "could",
        "would",
        "will",
        "is",
        "are",
        "was",
        "were",
        "have",
        "has",
        "should",
        "shall",
        "may",
        "might",
    }
)
_CORRECTION_STARTS = frozenset({"actually", "sorry", "correction", "oops", "rather"})
_KNOWN_VERBS = frozenset(
    {
        *_VOCAB,
        *INTENT_VERBS,
        *_LIKING,
        *STOP_VERBS,
        *_MOTION_VERBS,
        *_PLACING_VERBS,
        *_ACQUIRE,
        *_REPORT_VERBS,
        "move",
        "relocate",
        "join",
        "leave",
        "quit",
        "retire",
        "marry",
        "divorce",
        "hire",
        "employ",
        "fire",
        "study",
        "teach",
        "work",
        "volunteer",
        "sing",
        "dance",
        "stand",
        "start",
        "begin",
        "stop",
        "use",
        "consider",
        "dream",
        "sell",
        "visit",
        "turn",
        "graduate",
        "hope",
        "hate",
        "break",
    }
)
_HUMAN_PREDICATES = frozenset(
    {"work_in", "study_in", "volunteers_at", "allergic_to", "nationality", "age", "birth_date"}
) | frozenset(
    {
        "lives_in",
        "works_at",
        "job_title",
        "studies_at",
        "spouse",
        "partner",
        "born_in",
        "grew_up_in",
        "comes_from",
        "met",
        "knows",
        "friend_of",
        "studies",
        "speaks",
    }
)


def _lemma(tok: Token) -> str:
    """spaCy's lemma, repaired against the verbs the patterns know ("hopes" -> hope, not "hop")."""
    spacy_lemma = tok.lemma_.lower()
    if spacy_lemma in _KNOWN_VERBS or tok.pos_ not in ("VERB", "AUX", "NOUN"):
        return spacy_lemma
    repaired = deinflect(tok.lower_, _KNOWN_VERBS)
    return repaired if repaired in _KNOWN_VERBS else spacy_lemma


def gerund(tok: Token) -> str:
    """ "paint" -> "painting", "run" -> "running", "bake" -> "baking" (for "I love to paint")."""
    if tok.tag_ == "VBG":
        return tok.lower_
    lemma = tok.lemma_.lower()
    if lemma.endswith("ie"):
        return lemma[:-2] + "ying"
    if lemma.endswith("e") and not lemma.endswith(("ee", "ye", "oe")):
        return lemma[:-1] + "ing"
    vowels = "aeiou"
    if (
        len(lemma) >= 3
        and lemma[-1] not in vowels + "wxy"
        and lemma[-2] in vowels
        and lemma[-3] not in vowels
        and sum(ch in vowels for ch in lemma) == 1
    ):
        return lemma + lemma[-1] + "ing"
    return lemma + "ing"


def is_question(sent: Span) -> bool:
    """Questions assert nothing ("Do you like jazz?"), so they yield no facts."""
    last = sent[-1]
    if (
        last.text == "?"
        or (last.is_space and len(sent) > 1 and sent[-2].text == "?")
        or last.text.endswith("?")
    ):
        return True
    first = sent[0]
    if first.is_punct and len(sent) > 1:
        first = sent[1]
    if (
        first.lower_ in _QUESTION_STARTS
        and first.dep_ in ("aux", "ROOT", "auxpass")
        and first.i + 1 < sent.end
    ):
        return first.nbor(1).dep_ in ("nsubj", "expl", "nsubjpass")
    return False


def _is_correction(sent: Span) -> bool:
    words = [t.lower_ for t in sent if not t.is_punct][:4]
    if not words:
        return False
    if words[0] in ("oh", "no", "wait", "um", "uh", "well", "ok", "okay"):
        words = words[1:]
    if words and words[0] in _CORRECTION_STARTS:
        return True
    return len(words) >= 2 and words[0] == "i" and words[1] in ("meant", "mean")
