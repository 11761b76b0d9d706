"""Dependency patterns: one sentence's parse -> raw facts (subject, relation, object, cues, time).

Each clause head (a verb or copula) is read in three steps:

1. **walk** the verb chain through control verbs, collecting cues: "I want to learn Italian" reads
   as *learn* with intent, "I used to live in Chicago" as *live* that has ended, "I'm thinking
   about moving to Canada" as *move* that is hypothetical; negation ("not", "never", "no longer",
   "anymore") and modal auxiliaries are collected on every verb of the chain;
2. **match** the effective verb against the patterns: copula (is_a / job_title / has_property /
   age / favourites / roles / located_at), passive ("was hired by X", "was born in X"), state-change
   verbs (moved to -> lives_in, joined -> works_at, left -> ended works_at, married -> spouse,
   adopted -> has_pet / owns), and the generic subject-verb-object and verb+preposition triples;
3. **time**: dates attached to the chain are resolved against the episode time; "since" sets
   valid_from, "until" valid_to, a plain date is when the event happened (or ended, for end cues).

The patterns decide the canonical predicate themselves when the meaning depends on the object
("went to Paris" -> visited, "went to a concert" -> attended); otherwise they leave the relation
words for the canonicaliser (lexicon, then embedding, then ``lemma_prep``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from graphmem.extract.lexicon import _VOCAB, ROLE_NOUNS, canonical_predicate, deinflect, favourite_predicate
from graphmem.extract.refs import Ref, Resolver
from graphmem.extract.temporal import TimePoint, parse_number, parse_range, parse_time
from graphmem.extract.words import (
    ABSTRACT_NOUNS,
    ANIMALS,
    CLUB_NOUNS,
    DROP_MODIFIERS,
    EVENT_NOUNS,
    FIRST_PERSON,
    HYPOTHETICAL_WORDS,
    INTENT_VERBS,
    NATIONALITIES,
    NON_ENTITY_WORDS,
    OCCUPATIONS,
    ORG_NOUNS,
    RELATIONSHIP_STATUSES,
    STOP_VERBS,
)
from graphmem.model import Modality

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["RawFact", "SentenceReader", "gerund", "is_question"]

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


@dataclass(slots=True)
class RawFact:
    """A fact before canonicalisation: ``predicate`` is set when a pattern decided it."""

    subject: Ref
    object: Ref
    predicate: str | None
    phrase: str
    polarity: bool = True
    modality: Modality = Modality.asserted
    ended: bool = False
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    correction: bool = False
    replaces: str | None = None
    confidence: float = 0.8
    link: bool = False  # implied by a noun phrase ("my sister Anna"): clause cues do not apply


@dataclass(slots=True)
class _Cues:
    negated: bool = False
    ended_word: bool = False  # "anymore": ends only when negated
    ended: bool = False
    hypothetical: bool = False
    intent: bool = False
    reported: bool = False
    consumed: set[int] = field(default_factory=set)

    @property
    def modality(self) -> Modality:
        if self.hypothetical:
            return Modality.hypothetical
        if self.intent:
            return Modality.intent
        if self.reported:
            return Modality.reported
        return Modality.asserted


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


class SentenceReader:
    """Reads one sentence; the resolver carries names and pronoun state across sentences."""

    def __init__(self, resolver: Resolver, sent: Span, anchor: datetime) -> None:
        self.r = resolver
        self.sent = sent
        self.anchor = anchor
        self.facts: list[RawFact] = []
        self.consumed: set[int] = set()  # token indices of dates used as objects ("born on 12 June")

    def read(self) -> list[RawFact]:
        if is_question(self.sent):
            return []
        correction = _is_correction(self.sent)
        for tok in self.sent:
            if self._is_clause_head(tok):
                self._clause(tok)
        self._stray_links()
        for fact in self.facts:
            if not fact.link:
                fact.correction = fact.correction or correction
        return self.facts

    # --- structure ----------------------------------------------------------------------------------

    @staticmethod
    def _is_clause_head(tok: Token) -> bool:
        if tok.pos_ == "NOUN" and tok.dep_ == "conj" and tok.head.pos_ == "VERB" and tok.tag_ == "NNS":
            # the small model tags some conjoined verbs as plural nouns: "... and sings in a band"
            return (
                _lemma(tok) in _KNOWN_VERBS
                and not any(c.dep_ in ("det", "poss", "amod", "compound", "nummod") for c in tok.children)
                and any(c.dep_ in ("prep", "dobj") for c in tok.children)
            )
        if tok.pos_ not in _VERBAL or tok.dep_ not in _HEAD_DEPS:
            return False
        return tok.dep_ != "conj" or tok.head.pos_ in _VERBAL

    def _subject_tokens(self, verb: Token, depth: int = 0) -> list[Token]:
        subs = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subs:  # "My brother got engaged": the subject hangs off the auxiliary
            subs = [
                g
                for c in verb.children
                if c.dep_ in ("aux", "auxpass")
                for g in c.children
                if g.dep_ in ("nsubj", "nsubjpass")
            ]
        if subs:
            sub = subs[0]
            if verb.dep_ == "relcl" and sub.lower_ in ("who", "that", "which"):
                return [verb.head]
            return [sub]
        stray = [
            c
            for c in verb.lefts
            if c.dep_ in ("compound", "npadvmod", "dep", "nmod")
            and c.pos_ == "PROPN"
            and verb.tag_ in ("VBZ", "VBD", "VBP")
        ]
        if stray:
            return [stray[0]]
        if depth > 4:
            return []
        if verb.dep_ in ("conj", "xcomp", "advcl", "pcomp") and verb.head.pos_ in _VERBAL:
            return self._subject_tokens(verb.head, depth + 1)
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in _VERBAL:
            return self._subject_tokens(verb.head.head, depth + 1)
        if verb.dep_ == "relcl":
            return [verb.head]
        return []

    def _subjects(self, verb: Token) -> list[Ref]:
        refs: list[Ref] = []
        for tok in self._subject_tokens(verb):
            kept, _ = self.r.expand(tok)
            for t in kept:
                ref = self.r.ref(t)
                if ref is not None and not ref.literal:
                    refs.append(ref)
        return refs

    def _walk(self, head: Token) -> tuple[list[Token], _Cues]:
        chain, cues = [head], _Cues()
        if head.dep_ == "ccomp" and _lemma(head.head) in _REPORT_VERBS:
            reporter = [c for c in head.head.children if c.dep_ == "nsubj"]
            if not reporter or reporter[0].lower_ not in FIRST_PERSON:
                cues.reported = True
        if head.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in head.children
        ):
            cues.hypothetical = True
        if head.dep_ == "ccomp" and _lemma(head.head) in _BELIEF_VERBS:
            cues.hypothetical = True  # "I think you can create that space"
        verb = head
        for _ in range(5):
            self._collect_cues(verb, cues)
            nxt = self._next_in_chain(verb, cues)
            if nxt is None:
                break
            chain.append(nxt)
            verb = nxt
        if cues.ended_word and cues.negated:
            cues.ended = True
        return chain, cues

    def _next_in_chain(self, verb: Token, cues: _Cues) -> Token | None:
        lemma = _lemma(verb)
        xcomp = next((c for c in verb.children if c.dep_ == "xcomp" and c.pos_ in _VERBAL), None)
        if xcomp is not None:
            would = [c for c in verb.children if c.dep_ == "aux" and c.lemma_ in ("would", "should")]
            if lemma in INTENT_VERBS:
                cues.intent = True
                return xcomp
            if lemma == "go" and verb.tag_ == "VBG":
                cues.intent = True
                return xcomp
            if lemma in ("like", "love", "prefer") and would:
                cues.intent = True
                cues.consumed.update(c.i for c in would)
                return xcomp
            if lemma == "use" and verb.tag_ in ("VBD", "VBN"):
                cues.ended = cues.negated = True
                return xcomp
            if lemma in ("stop", "quit") and xcomp.tag_ == "VBG":
                cues.ended = cues.negated = True
                return xcomp
            if lemma in (
                "start",
                "begin",
                "continue",
                "keep",
                "resume",
                "decide",
                "get",
                "finish",
                "go",
            ) and (lemma != "go" or xcomp.tag_ != "VBG"):
                return xcomp
            if lemma == "consider":
                cues.hypothetical = True
                return xcomp
        if lemma in ("think", "dream", "consider"):
            for prep in verb.children:
                if prep.dep_ == "prep" and prep.lower_ in ("about", "of"):
                    pcomp = next((c for c in prep.children if c.dep_ == "pcomp" and c.pos_ == "VERB"), None)
                    if pcomp is not None:
                        if lemma == "dream":
                            cues.intent = True
                        else:
                            cues.hypothetical = True
                        return pcomp
        if lemma in ("stop", "quit", "consider"):
            obj = next((c for c in verb.children if c.dep_ in ("dobj", "xcomp") and c.tag_ == "VBG"), None)
            if obj is not None:
                if lemma == "consider":
                    cues.hypothetical = True
                else:
                    cues.ended = cues.negated = True
                return obj
        return None

    @staticmethod
    def _collect_cues(verb: Token, cues: _Cues) -> None:
        for c in verb.children:
            word = c.lower_
            if c.dep_ == "neg" or (c.dep_ == "advmod" and word == "never"):
                cues.negated = True
            elif c.dep_ == "advmod" and word == "longer" and any(g.lower_ == "no" for g in c.children):
                cues.negated = cues.ended = True
            elif word == "anymore" or (word == "more" and c.i > 0 and c.doc[c.i - 1].lower_ == "any"):
                cues.ended_word = True
            elif c.dep_ == "aux" and c.i not in cues.consumed:
                if (c.lemma_ in HYPOTHETICAL_WORDS and c.lemma_ not in ("would",)) or (
                    c.lemma_ == "would" and _lemma(verb) not in ("like", "love")
                ):
                    cues.hypothetical = True
                elif c.lemma_ in ("will", "shall") or word == "'ll":
                    cues.intent = True
            elif c.dep_ == "advmod" and word in ("maybe", "perhaps", "possibly", "probably", "potentially"):
                cues.hypothetical = True

    # --- the clause ---------------------------------------------------------------------------------

    def _clause(self, head: Token) -> None:
        if head.dep_ in ("ccomp", "xcomp") and _lemma(head.head) == "let":
            return  # "let me fill you in", "let's go": proposals, not facts
        if head.dep_ == "relcl" and head.head.dep_ == "attr":
            return  # "it's a game that tests your strategy": a description of a description
        chain, cues = self._walk(head)
        verb = chain[-1]
        subjects = self._subjects(head) if verb is head else self._subjects(verb) or self._subjects(head)
        start = len(self.facts)
        if _lemma(verb) in ("be", "become") and not any(c.dep_ == "auxpass" for c in verb.children):
            self._copula(verb, subjects)
        elif any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
            verb is not head and verb.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in verb.children)
        ):
            self._passive(verb, subjects)
        else:
            self._active(verb, subjects, cues)
        new = self.facts[start:]
        if not new:
            return
        times = self._times(
            chain, future=cues.modality is not Modality.asserted or self._is_future(verb, cues)
        )
        for fact in new:
            if fact.link:
                continue
            fact.polarity = fact.polarity and not cues.negated
            fact.ended = fact.ended or cues.ended
            if fact.ended:
                fact.polarity = False
            if fact.modality is Modality.asserted:
                fact.modality = cues.modality
            for role, point in times:
                if role == "from" or (role == "at" and not fact.ended):
                    fact.valid_from = fact.valid_from or point.start
                else:
                    fact.valid_to = fact.valid_to or point.start
            if fact.valid_from and fact.valid_to and fact.valid_to < fact.valid_from:
                fact.valid_from = None
        for fact in list(new):
            for ref in (fact.subject, fact.object):
                self._emit_links(ref)

    @staticmethod
    def _is_future(verb: Token, cues: _Cues) -> bool:
        return cues.intent or any(c.lemma_ in ("will", "shall") for c in verb.children if c.dep_ == "aux")

    def _emit_links(self, ref: Ref) -> None:
        for link in ref.links:
            self._add(link.subject, link.predicate, link.object, link.predicate, link=True)

    def _stray_links(self) -> None:
        """Possessive phrases no clause used still state a relation ("dinner with my sister Anna")."""
        for tok in self.sent:
            if tok.i in self.r.used or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            if tok.dep_ == "poss" and tok.head.lemma_ == "name":
                continue
            has_owner = any(c.dep_ == "poss" for c in tok.children)
            is_role = tok.lower_ in ROLE_NOUNS or tok.lemma_.lower() in ROLE_NOUNS or tok.lower_ in ANIMALS
            described = tok.pos_ == "PROPN" and any(
                c.dep_ == "appos" or (c.dep_ == "compound" and c.pos_ == "NOUN") for c in tok.children
            )
            if ((is_role and has_owner) or described) and not self.r.is_vocative(tok):
                ref = self.r.ref(tok)
                if ref is not None:
                    self._emit_links(ref)

    def _add(
        self,
        subject: Ref | None,
        predicate: str | None,
        obj: Ref | None,
        phrase: str,
        *,
        link: bool = False,
        polarity: bool = True,
        ended: bool = False,
        replaces: str | None = None,
        confidence: float = 0.8,
    ) -> RawFact | None:
        if subject is None or obj is None or subject.literal or not obj.name.strip():
            return None
        if subject.name.lower() == obj.name.lower():
            return None
        if not link and _abstract(obj) and (predicate is None or predicate in ("has", "owns", "is_a")):
            return None
        if (
            predicate == "has"
            and not link
            and (
                _abstract(subject)
                or subject.type not in ("person", "animal", "object", "place", "concept")
                or (obj.type not in _CONCRETE and not (obj.token is not None and obj.token.pos_ == "PROPN"))
            )
        ):
            return None
        if not link and predicate is None:
            known = canonical_predicate(phrase) is not None
            if _generic(subject) or _abstract(subject) or (not known and not _named(subject)):
                return None
        owned = f"{subject.name}'s "
        if (
            not link
            and obj.name.startswith(owned)
            and obj.token is not None
            and obj.type != "person"
            and predicate not in ROLE_NOUNS.values()
        ):
            # "Gina opened her own store": the owner is the subject itself, the store is just "store"
            obj = Ref(obj.name[len(owned) :], obj.type, obj.token, literal=obj.literal, negated=obj.negated)
        if predicate in ("located_at", "has", "owns") and not link and _abstract(subject):
            return None
        if obj.negated:
            polarity = False
        if subject.role == "coref" or obj.role == "coref":
            confidence = min(confidence, 0.7)
        fact = RawFact(
            subject,
            obj,
            predicate,
            phrase,
            polarity=polarity,
            ended=ended,
            replaces=replaces,
            confidence=confidence,
            link=link,
        )
        if ended:
            fact.polarity = False
        self.facts.append(fact)
        return fact

    # --- objects ------------------------------------------------------------------------------------

    def _objects(self, tok: Token, *, as_object: bool = True) -> tuple[list[Ref], str | None]:
        """Refs for a phrase head and its conjuncts, and the name a negated conjunct replaces."""
        kept, replaced = self.r.expand(tok)
        refs = [ref for t in kept if (ref := self.r.ref(t, as_object=as_object)) is not None]
        replaced_name = None
        for t in replaced:
            ref = self.r.ref(t, as_object=True)
            if ref is not None:
                replaced_name = ref.name
        instead = self._instead_of(tok)
        return refs, replaced_name or instead

    def _instead_of(self, tok: Token) -> str | None:
        """ "tea instead of coffee", "tea rather than coffee" -> "coffee"."""
        for child in tok.children:
            if child.lower_ in ("of", "than") and any(
                g.lower_ in ("instead", "rather") for g in child.children
            ):
                for obj in child.children:
                    if obj.dep_ == "pobj" and (ref := self.r.ref(obj, as_object=True)) is not None:
                        return ref.name
        head = tok.head
        for child in head.children:
            if child.lower_ == "instead" and child.dep_ in ("advmod", "prep"):
                for prep in child.children:
                    for obj in prep.children:
                        if obj.dep_ == "pobj" and (ref := self.r.ref(obj, as_object=True)) is not None:
                            return ref.name
        return None

    def _time_span(self, tok: Token) -> Span | None:
        ent = self.r.ent_of.get(tok.i)
        if ent is not None and ent.label_ in ("DATE", "TIME"):
            return ent
        if tok.like_num and len(tok.text) == 4 and tok.text[:2] in ("19", "20") and tok.text.isdigit():
            return tok.doc[tok.i : tok.i + 1]
        if tok.lower_ in _TIME_WORDS or tok.lemma_.lower() in _TIME_WORDS:
            return tok.doc[tok.left_edge.i : tok.right_edge.i + 1]
        return None

    def _is_time(self, tok: Token) -> bool:
        return self._time_span(tok) is not None

    def _preps(self, verb: Token) -> list[tuple[Token, Token]]:
        """(preposition, object) pairs hanging off a verb, time expressions excluded; prepositions
        under a directional adverb count too ("got back from Spain")."""
        pairs = []
        heads = [c for c in verb.children if c.dep_ == "advmod" and c.lower_ in _DIRECTIONAL]
        for prep in [*verb.children, *(g for h in heads for g in h.children)]:
            if prep.dep_ not in ("prep", "agent", "dative") or prep.pos_ != "ADP":
                continue
            for obj in prep.children:
                if obj.dep_ == "pobj" and not self._is_time(obj):
                    pairs.append((prep, obj))
        return pairs

    def _kind(self, tok: Token) -> str:
        return self.r.entity_type(tok)

    def _times(self, chain: list[Token], *, future: bool) -> list[tuple[str, TimePoint]]:
        """Dates governed by the verb chain, with their role: "from" (since), "to" (until) or "at".

        A date counts for a clause when walking up from it reaches a verb of the chain before any
        other clause head ("adopted a dog named Pepper last month" reaches *adopted*)."""
        chain_ids = {v.i for v in chain}
        found: list[tuple[str, TimePoint]] = []
        seen: set[int] = set(self.consumed)
        candidates = [t for v in chain for t in v.subtree if t.i not in chain_ids and self._is_time(t)]
        for tok in candidates:
            span = self._time_span(tok)
            if span is None or span.start in seen or not self._governed_by(tok, chain_ids):
                continue
            seen.update(range(span.start, span.end))
            prep = span.root.head if span.root.dep_ == "pobj" else None
            word = prep.lower_ if prep is not None else ""
            verb = next((v for v in chain if v.i == self._governor(tok)), chain[-1])
            nested = [
                o
                for g in (prep.children if prep is not None else ())
                if g.dep_ == "prep" and g.lower_ in ("to", "until", "till", "and")
                for o in g.children
                if o.dep_ == "pobj"
            ]
            if (
                word in ("from", "between")
                and nested
                and (end_span := self._time_span(nested[0])) is not None
            ):
                seen.update(range(end_span.start, end_span.end))
                start, end = (parse_time(x.text, self.anchor, future=future) for x in (span, end_span))
                found += [(role, p) for role, p in (("from", start), ("to", end)) if p is not None]
                continue
            rng = parse_range(span.text, self.anchor, future=future)
            if rng is not None and word in ("from", "between", "in", "during", ""):
                found += [("from", rng[0]), ("to", rng[1])]
                continue
            role = (
                "from"
                if word in ("since", "from")
                else "to"
                if word in ("until", "till", "through")
                else "at"
            )
            ahead = future or (role == "to" and verb.tag_ not in ("VBD", "VBN"))
            point = parse_time(span.text, self.anchor, future=ahead)
            if point is not None:
                found.append((role, point))
        return found

    def _governor(self, tok: Token) -> int:
        """Index of the nearest clause head (or chain verb) above a token."""
        node = tok
        for _ in range(40):
            if node.head.i == node.i:
                return node.i
            node = node.head
            if node.pos_ in _VERBAL and (node.dep_ in _HEAD_DEPS or node.dep_ in ("xcomp", "pcomp")):
                return node.i
        return node.i

    def _governed_by(self, tok: Token, chain_ids: set[int]) -> bool:
        return self._governor(tok) in chain_ids

    # --- patterns -----------------------------------------------------------------------------------

    def _copula(self, verb: Token, subjects: list[Ref]) -> None:
        children = list(verb.children)
        attrs = [c for c in children if c.dep_ == "attr"]
        acomps = [c for c in children if c.dep_ in ("acomp", "oprd")]
        if not attrs and not acomps:
            # "My favourite movie is Spirited Away" parses the title as ADJ + ADV; trust the NER span
            for c in children:
                ent = self.r.ent_of.get(c.i)
                if (
                    c.i > verb.i
                    and c.dep_ in ("advmod", "npadvmod", "dep", "dobj")
                    and ent is not None
                    and (ent.label_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL"))
                ):
                    attrs = [ent.root]
                    break
        subj_toks = self._subject_tokens(verb)
        if any(c.dep_ == "expl" for c in children) and attrs:
            self._there_is(attrs[0], verb)
            return
        if not subj_toks:
            return
        subj_tok = subj_toks[0]
        # "My name is Sam" / "My son's name is Leo"
        if subj_tok.lemma_.lower() == "name" and (attrs or acomps):
            self._name_is(subj_tok, (attrs or acomps)[0])
            return
        # "My favourite color is blue"
        if self._is_favourite(subj_tok) and (attrs or acomps):
            owner = self.r.owner(subj_tok)
            pred = favourite_predicate(
                self.r.common_name(subj_tok, with_of=False).replace("favourite", "").strip()
            )
            for value in self._objects((attrs or acomps)[0])[0]:
                self._add(owner, pred, value, "favourite " + subj_tok.lemma_)
            return
        # "My sister is Anna"
        role = ROLE_NOUNS.get(subj_tok.lower_) or ROLE_NOUNS.get(subj_tok.lemma_.lower())
        if role and attrs and attrs[0].pos_ == "PROPN" and self.r.given_name(subj_tok) is None:
            owner = self.r.owner(subj_tok)
            if owner is not None:
                self.r.used.add(subj_tok.i)
                for person in self._objects(attrs[0])[0]:
                    self._add(owner, role, person, subj_tok.lemma_)
                return
        if not subjects:
            return
        for attr in attrs:
            self._attribute(verb, attr, subjects)
        for acomp in acomps:
            self._adjective(verb, acomp, subjects)
        if not attrs and not acomps:
            for prep, obj in self._preps(verb):
                self._copula_prep(prep, obj, subjects)

    def _is_favourite(self, tok: Token) -> bool:
        return any(c.dep_ == "amod" and c.lower_ in ("favourite", "favorite") for c in tok.children)

    def _name_is(self, name_tok: Token, value: Token) -> None:
        owner_tok = next((c for c in name_tok.children if c.dep_ == "poss"), None)
        if owner_tok is None:
            return
        role = ROLE_NOUNS.get(owner_tok.lower_) or ROLE_NOUNS.get(owner_tok.lemma_.lower())
        if role and value.pos_ in ("PROPN", "NOUN"):
            owner = self.r.owner(owner_tok)
            self.r.used.add(owner_tok.i)
            kept, replaced = self.r.expand(value)
            replaces = self.r.name_of(replaced[0]) if replaced else None
            for t in kept:
                self._add(
                    owner, role, Ref(self.r.proper_name(t), "person", t), owner_tok.lemma_, replaces=replaces
                )
            return
        if (owner_tok.lower_ in ANIMALS or owner_tok.lemma_ in ANIMALS) and (
            pet_owner := self.r.owner(owner_tok)
        ):
            pet = Ref(self.r.proper_name(value), "animal", value)
            self._add(pet_owner, "has_pet", pet, "pet name")
            self._add(pet, "is_a", Ref(self.r.common_name(owner_tok), "animal", owner_tok), "be")
            self.r.used.add(owner_tok.i)
            return
        owner = self.r.ref(owner_tok)
        if owner is not None:
            self._add(owner, "name", Ref(self.r.proper_name(value), literal=True, token=value), "name")

    def _there_is(self, attr: Token, verb: Token) -> None:
        """ "There is a key in the drawer" -> (key, located_at, drawer)."""
        things = self._objects(attr)[0]
        pairs = [(p, o) for p, o in self._preps(attr)] + self._preps(verb)
        for prep, obj in pairs:
            if prep.lower_ in _LOCATIVE_PREPS:
                for place in self._objects(obj)[0]:
                    for thing in things:
                        self._add(thing, "located_at", place, "be " + prep.lower_)

    def _attribute(self, verb: Token, attr: Token, subjects: list[Ref]) -> None:
        kept, replaced = self.r.expand(attr)
        replaces = self.r.name_of(replaced[0]) if replaced else None
        for tok in kept:
            word, lemma = tok.lower_, tok.lemma_.lower()
            owner_tok = next((c for c in tok.children if c.dep_ == "poss"), None)
            if self._is_favourite(tok) and owner_tok is not None:
                pred = favourite_predicate(
                    self.r.common_name(tok, with_of=False).replace("favourite", "").strip()
                )
                for subject in subjects:
                    self._add(self.r.ref(owner_tok), pred, subject, "favourite " + lemma)
                continue
            role = ROLE_NOUNS.get(word) or ROLE_NOUNS.get(lemma)
            if role and owner_tok is not None:
                owner = self.r.ref(owner_tok)
                self.r.used.add(tok.i)
                if subjects:
                    self.r.alias[tok.i] = subjects[0]
                for subject in subjects:
                    self._add(
                        owner, role, Ref(subject.name, "person", subject.token, role=subject.role), lemma
                    )
                continue
            if owner_tok is not None:
                continue  # "my whole world": a possessed noun that is not a role states nothing storable
            if lemma == "fan":
                for liked in self._fan_of(tok):
                    for subject in subjects:
                        self._add(subject, "likes", liked, "be fan of", replaces=replaces)
                continue
            if tok.pos_ == "NUM" and (number := parse_number(tok.text)) is not None:
                for subject in subjects:
                    self._add(subject, "age", Ref(str(number), literal=True), "be")
                continue
            if lemma in OCCUPATIONS:
                title = Ref(self.r.common_name(tok, with_of=False), literal=True, token=tok)
                for subject in subjects:
                    self._add(subject, "job_title", title, "be", replaces=replaces)
                    for prep, obj in self._preps(tok):
                        if prep.lower_ in ("at", "of", "for", "with") and self._kind(obj) in (
                            "organization",
                            "place",
                            "concept",
                        ):
                            for org in self._objects(obj)[0]:
                                self._add(subject, "works_at", org, "be " + lemma + " " + prep.lower_)
                continue
            if word in NATIONALITIES:
                for subject in subjects:
                    self._add(subject, "nationality", Ref(tok.text, literal=True), "be")
                continue
            between = tok.doc[verb.i + 1 : tok.i]
            if (
                tok.pos_ == "PROPN"
                and any(s.role == "speaker" for s in subjects)
                and self._kind(tok) == "person"
                and (not any(t.is_punct for t in between) and tok.i > verb.i)
            ):
                for subject in subjects:
                    self._add(subject, "name", Ref(self.r.proper_name(tok), literal=True), "be")
                continue
            if (
                tok.pos_ == "PROPN"
                or tok.pos_ == "PRON"
                or any(t.is_punct for t in tok.doc[verb.i + 1 : tok.i])
            ):
                continue
            if tok.tag_ == "NN" and not any(
                c.dep_ in ("det", "poss", "compound", "amod", "prep") for c in tok.children
            ):
                # "I'm vegan": a bare singular noun after "be" works as an adjective
                for subject in subjects:
                    if not _generic(subject) and not _abstract(subject) and word not in _EMOTIONS:
                        self._add(subject, "has_property", Ref(word, literal=True, token=tok), "be")
                continue
            thing = self.r.ref(tok, as_object=True)
            if (
                thing is None
                or thing.literal
                or any(c.lower_ in ("many", "much", "some", "few") for c in tok.subtree)
            ):
                continue
            for subject in subjects:
                if _generic(subject) or _abstract(subject):
                    continue
                self._add(subject, "is_a", Ref(thing.name, "concept", tok), "be", replaces=replaces)
                if subject.token is not None and subject.token.pos_ == "PROPN":
                    for prep, obj in self._preps(tok):
                        if prep.lower_ in ("in", "near") and self._kind(obj) == "place":
                            for place in self._objects(obj)[0]:
                                self._add(subject, "located_in", place, "be in")

    def _fan_of(self, fan: Token) -> list[Ref]:
        liked: list[Ref] = []
        for prep, obj in self._preps(fan):
            if prep.lower_ == "of":
                liked += self._objects(obj)[0]
        for child in fan.lefts:
            if child.dep_ == "compound":
                liked.append(Ref(self.r.name_of(child), self._kind(child), child))
        return liked

    def _adjective(self, verb: Token, adj: Token, subjects: list[Ref]) -> None:
        kept, _ = self.r.expand(adj)
        for tok in kept:
            word = tok.lower_
            preps = self._preps(tok)
            if word in ("old", "young") or (word == "aged"):
                years = next((c for c in tok.children if c.dep_ == "npadvmod" and c.lemma_ == "year"), None)
                if years is not None:
                    num = " ".join(t.text for t in years.subtree if t.pos_ == "NUM" or t.text == "-")
                    if (number := parse_number(num.replace(" - ", "-"))) is not None:
                        for subject in subjects:
                            self._add(subject, "age", Ref(str(number), literal=True), "be years old")
                continue
            if word in RELATIONSHIP_STATUSES:
                partners = [(p, o) for p, o in preps if p.lower_ in ("to", "with", "from")]
                if partners:
                    pred = "spouse" if word in ("married", "divorced", "separated") else "partner"
                    ended = word in ("divorced", "separated")
                    for prep, obj in partners:
                        for person in self._objects(obj)[0]:
                            for subject in subjects:
                                self._add(subject, pred, person, f"be {word} {prep.lower_}", ended=ended)
                else:
                    for subject in subjects:
                        self._add(subject, "relationship_status", Ref(word, literal=True), "be")
                continue
            if word == "allergic":
                preps = preps + [(c, c) for c in tok.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
                for _, obj in preps:
                    for thing in self._objects(obj)[0]:
                        for subject in subjects:
                            self._add(subject, "allergic_to", thing, "be allergic to")
                continue
            if word in NATIONALITIES or (tok.i in self.r.ent_of and self.r.ent_of[tok.i].label_ == "NORP"):
                for subject in subjects:
                    self._add(subject, "nationality", Ref(tok.text, literal=True), "be")
                continue
            if word in ("located", "situated", "based", "headquartered"):
                for prep, obj in preps:
                    for place in self._objects(obj)[0]:
                        for subject in subjects:
                            pred = (
                                "lives_in" if subject.type == "person" and word == "based" else "located_in"
                            )
                            self._add(subject, pred, place, f"be {word} {prep.lower_}")
                continue
            if word in ("fond", "keen", "passionate", "obsessed", "crazy", "mad", "into"):
                for prep, obj in preps:
                    for thing in self._objects(obj)[0]:
                        for subject in subjects:
                            self._add(subject, "likes", thing, f"be {word} {prep.lower_}")
                continue
            if word in _EMOTIONS or word in DROP_MODIFIERS or tok.pos_ not in ("ADJ", "VERB") or preps:
                continue  # feelings and opinions ("so cute", "amazing") are not stored properties
            if verb.tag_ == "VBD" or any(
                c.dep_ == "advmod" and c.lower_ in _INTENSIFIERS for c in tok.children
            ):
                continue  # "we were so hyped": a moment's feeling, not a lasting property
            value = tok.text.lower()
            if tok.i > 1 and tok.doc[tok.i - 1].tag_ == "HYPH":
                value = f"{tok.doc[tok.i - 2].text.lower()}-{value}"
            for subject in subjects:
                if not _generic(subject) and not _abstract(subject):
                    self._add(subject, "has_property", Ref(value, literal=True, token=tok), "be")

    def _copula_prep(self, prep: Token, obj: Token, subjects: list[Ref]) -> None:
        word = prep.lower_
        kind = self._kind(obj)
        targets = self._objects(obj)[0]
        for subject in subjects:
            for target in targets:
                if word == "from":
                    self._add(subject, "comes_from", target, "be from")
                elif word == "to":
                    self._add(subject, "visited", target, "be to")
                elif word == "into":
                    self._add(subject, "likes", target, "be into")
                elif word in _LOCATIVE_PREPS and (
                    kind in ("place", "organization", "object")
                    or obj.pos_ == "PROPN"
                    or (subject.type not in ("person",) and subject.role == "" and kind != "date")
                ):
                    self._add(subject, _locative(subject), target, "be " + word)

    def _passive(self, verb: Token, subjects: list[Ref]) -> None:
        lemma = _lemma(verb)
        agents = [o for p, o in self._preps(verb) if p.dep_ == "agent"]
        preps = [(p, o) for p, o in self._preps(verb) if p.dep_ != "agent"]
        hyphen_adj = next(
            (
                c
                for c in verb.children
                if c.dep_ in ("oprd", "acomp")
                and c.pos_ == "ADJ"
                and c.i == verb.i + 2
                and verb.doc[verb.i + 1].tag_ == "HYPH"
            ),
            None,
        )
        named = next((c for c in verb.children if c.dep_ in ("oprd", "attr") and c.pos_ == "PROPN"), None)
        if lemma in ("call", "name") and named is not None:  # "Tariq's wife is called Noor"
            for tok in self._subject_tokens(verb):
                role = ROLE_NOUNS.get(tok.lower_) or ROLE_NOUNS.get(tok.lemma_.lower())
                owner = self.r.owner(tok) if role else None
                person = Ref(self.r.proper_name(named), "person", named)
                if role and owner is not None:
                    self.r.used.add(tok.i)
                    self._add(owner, role, person, f"be {lemma}ed")
                elif (tok.lower_ in ANIMALS) and (owner := self.r.owner(tok)) is not None:
                    self.r.used.add(tok.i)
                    person.type = "animal"
                    self._add(owner, "has_pet", person, f"be {lemma}ed")
                    self._add(person, "is_a", Ref(self.r.common_name(tok), "animal", tok), "be", link=True)
            return
        if hyphen_adj is not None:  # "I am left-handed" parses as a passive of "leave"
            value = Ref(f"{verb.text.lower()}-{hyphen_adj.text.lower()}", literal=True)
            for subject in subjects:
                self._add(subject, "has_property", value, "be")
            return
        if lemma == "bear":
            for prep, obj in self._all_preps(verb):
                span = self._time_span(obj)
                if span is not None:
                    point = parse_time(span.text, self.anchor)
                    self.consumed.update(range(span.start, span.end))
                    if point is not None:
                        for subject in subjects:
                            self._add(
                                subject, "birth_date", Ref(_date_value(point), literal=True), "be born on"
                            )
                elif prep.lower_ in ("in", "at"):
                    for place in self._objects(obj)[0]:
                        for subject in subjects:
                            self._add(subject, "born_in", place, "be born in")
            return
        table = {
            ("raise", "in"): "grew_up_in",
            ("bring", "in"): "grew_up_in",
            ("hire", "at"): "works_at",
            ("hire", "by"): "works_at",
            ("employ", "at"): "works_at",
            ("employ", "by"): "works_at",
            ("recruit", "by"): "works_at",
            ("hire", "as"): "job_title",
            ("employ", "as"): "job_title",
            ("promote", "to"): "job_title",
            ("marry", "to"): "spouse",
            ("engage", "to"): "partner",
            ("divorce", "from"): "spouse",
            ("locate", "in"): "located_in",
            ("situate", "in"): "located_in",
            ("base", "in"): "located_in",
            ("enrol", "at"): "studies_at",
            ("enroll", "at"): "studies_at",
            ("enroll", "in"): "studies_at",
            ("accept", "to"): "studies_at",
            ("accept", "into"): "studies_at",
        }
        for prep, obj in preps + [(a.head, a) for a in agents]:
            pred = table.get((lemma, prep.lower_))
            if pred is None and lemma in _PLACING_VERBS and prep.lower_ in _LOCATIVE_PREPS:
                pred = "located_at"
            if pred is None:
                continue
            if pred == "located_in" and subjects:
                pred = _locative(subjects[0])
            objs = self._objects(obj)[0]
            for target in objs:
                if pred == "job_title":
                    target = Ref(self.r.common_name(obj, with_of=False), literal=True)
                for subject in subjects:
                    self._add(
                        subject, pred, target, f"be {verb.lemma_} {prep.lower_}", ended=lemma == "divorce"
                    )
        if any(f.subject in subjects for f in self.facts):
            return
        auxpass = [c for c in verb.children if c.dep_ == "auxpass"]
        if not agents and not preps and verb.lower_ in RELATIONSHIP_STATUSES:
            for subject in subjects:
                self._add(subject, "relationship_status", Ref(verb.lower_, literal=True, token=verb), "be")
            return
        if (
            not agents
            and not preps
            and auxpass
            and auxpass[0].tag_ in ("VBZ", "VBP")
            and auxpass[0].lemma_ == "be"
        ):
            for subject in subjects:
                if subject.type in ("object", "place", "animal") and not _generic(subject):
                    self._add(subject, "has_property", Ref(verb.lower_, literal=True, token=verb), "be")
            return
        if agents and lemma not in STOP_VERBS:
            phrase = lemma
            for agent in agents:
                for doer in self._objects(agent)[0]:
                    for subject in subjects:
                        self._add(doer, None, subject, phrase)

    def _all_preps(self, verb: Token) -> list[tuple[Token, Token]]:
        return [(p, o) for p in verb.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"]

    def _active(self, verb: Token, subjects: list[Ref], cues: _Cues) -> None:
        if not subjects:
            return
        lemma = _lemma(verb)
        particle = " ".join(
            c.lower_
            for c in verb.children
            if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ in _DIRECTIONAL and c.i == verb.i + 1)
        )
        words = f"{lemma} {particle}".strip()
        dobjs = [c for c in verb.children if c.dep_ in ("dobj",)]
        if not dobjs:  # "I joined Oracle": a name right after the verb, mis-attached as npadvmod
            dobjs = [
                c
                for c in verb.children
                if c.dep_ == "npadvmod" and c.pos_ == "PROPN" and c.i == verb.i + 1 and not self._is_time(c)
            ]
        preps = self._preps(verb)
        if lemma == "stand" and cues.negated and any(c.lemma_ == "can" for c in verb.children):
            cues.negated = False  # "I can't stand X" is a dislike, not a negation
            for dobj in dobjs:
                for target in self._objects(dobj)[0]:
                    for subject in subjects:
                        self._add(subject, "dislikes", target, "can not stand")
            return
        if lemma in _EMPLOYING and dobjs:
            ended = lemma in ("fire", "sack", "lay")
            for dobj in dobjs:
                for person in self._objects(dobj)[0]:
                    for employer in subjects:
                        self._add(person, "works_at", employer, f"be {lemma}d by", ended=ended)
            return
        xcomp = next((c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
        handled = False

        activity = (
            xcomp
            if xcomp is not None and xcomp.tag_ == "VBG"
            else next((d for d in dobjs if d.lower_.endswith("ing")), None)
        )
        if lemma == "go" and activity is not None:  # "went camping at Lake Tahoe"
            for prep, obj in self._preps(activity) + preps:
                if prep.lower_ in ("at", "in", "to", "near") and self._kind(obj) in (
                    "place",
                    "organization",
                    "concept",
                ):
                    for place in self._objects(obj)[0]:
                        for subject in subjects:
                            self._add(subject, "visited", place, f"go {activity.lower_} {prep.lower_}")
            return
        if lemma in _LIKING and xcomp is not None and not dobjs:
            if _lemma(xcomp) in STOP_VERBS and not any(c.dep_ == "dobj" for c in xcomp.children):
                return
            liked = self._activity(xcomp)
            for subject in subjects:
                self._add(subject, None, liked, words)
            return
        if lemma == "turn" and dobjs and dobjs[0].pos_ == "NUM":
            number = parse_number(dobjs[0].text)
            if number is not None:
                for subject in subjects:
                    self._add(subject, "age", Ref(str(number), literal=True), "turn")
            return

        for dobj in dobjs:
            handled |= self._direct_object(verb, lemma, words, dobj, preps, subjects)

        if lemma in ("study", "teach", "work", "volunteer", "major"):
            preps = preps + [
                pair for d in dobjs for pair in self._preps(d) if pair[0].lower_ in ("at", "in", "for")
            ]
        for prep, obj in preps:
            self._prep_object(verb, lemma, words, prep, obj, subjects, has_dobj=bool(dobjs))

    def _activity(self, verb: Token) -> Ref:
        """ "to paint" -> painting; "cooking Thai food" -> cooking Thai food."""
        parts = [gerund(verb)]
        for child in verb.children:
            if child.dep_ in ("dobj", "prt"):
                if child.dep_ == "dobj" and child.lower_ in NON_ENTITY_WORDS:
                    return Ref("", "concept", verb)  # "doing something": no activity worth a name
                parts.append(child.lower_ if child.dep_ == "prt" else self.r.name_of(child))
        return Ref(" ".join(parts), "concept", verb)

    def _direct_object(
        self,
        verb: Token,
        lemma: str,
        words: str,
        dobj: Token,
        preps: list[tuple[Token, Token]],
        subjects: list[Ref],
    ) -> bool:
        head_word = dobj.lower_
        is_job = dobj.lemma_.lower() in _JOB_NOUNS
        # job changes: "got a job at X", "started a new job at X", "quit my job at the bakery"
        if is_job:
            orgs = [o for p, o in [*preps, *self._preps(dobj)] if p.lower_ in ("at", "with", "in", "for")]
            for org in orgs:
                for target in self._objects(org)[0]:
                    for subject in subjects:
                        ended = lemma in ("quit", "leave", "lose")
                        self._add(subject, "works_at", target, f"{words} job at", ended=ended)
            return bool(orgs)
        if lemma in _ACQUIRE or lemma == "sell":
            kept, _ = self.r.expand(dobj)
            for tok in kept:
                if not any(c.dep_ == "poss" for c in tok.children):
                    for subject in subjects:
                        self.r.implicit_owner.setdefault(tok.i, subject)
            for tok in kept:
                ref = self.r.ref(tok, as_object=True)
                if ref is None:
                    continue
                first = ref.links[0] if ref.links else None
                implied = first is not None and first.object is ref and first.predicate != "is_a"
                if implied and lemma in ("have", "get", "adopt", "buy", "rescue", "own"):
                    assert first is not None
                    ref.links = ref.links[1:]
                    self._add(first.subject, first.predicate, ref, words)
                    continue
                pred = "owns" if lemma == "sell" else _ACQUIRE[lemma]
                if ref.type == "animal" and lemma != "sell":
                    pred = "has_pet"
                named = self.r.given_name(tok)
                if named is not None and ref.token is tok:
                    pet = Ref(
                        self.r.proper_name(named), "animal" if ref.type == "animal" else "concept", named
                    )
                    self.r.used.add(named.i)
                    for subject in subjects:
                        self._add(subject, pred, pet, words)
                    self._add(pet, "is_a", ref, "be", link=True)
                    continue
                for subject in subjects:
                    self._add(subject, pred, ref, words, ended=lemma == "sell")
            return True
        if lemma in _PLACING_VERBS or words in ("put down", "drop off"):
            places = [(p, o) for p, o in [*preps, *self._preps(dobj)] if p.lower_ in _LOCATIVE_PREPS]
            for thing in self._objects(dobj)[0]:
                for prep, obj in places:
                    for place in self._objects(obj)[0]:
                        self._add(thing, "located_at", place, f"{lemma} {prep.lower_}")
            if places or lemma != "leave":
                return True
        if words in ("pick up", "grab", "take up", "pick", "carry", "hold", "take"):
            pred = "hobby" if words == "take up" else "has"
            if words == "take":
                return False
            for target in self._objects(dobj)[0]:
                for subject in subjects:
                    self._add(subject, pred, target, words)
            return True
        objs, replaces = self._objects(dobj)
        if lemma in ("leave", "quit", "retire"):
            kind = self._kind(dobj)
            if (
                kind == "organization"
                or head_word in ORG_NOUNS
                or (dobj.pos_ == "PROPN" and kind == "concept")
            ):
                for target in objs:
                    for subject in subjects:
                        self._add(subject, "works_at", target, words, ended=True)
                return True
            return False
        if lemma == "join":
            if self._kind(dobj) == "person" and (preps or any(c.dep_ == "conj" for c in dobj.children)):
                return True  # "I joined Sarah for dinner": company, not an employer
            club = dobj.lemma_.lower() in CLUB_NOUNS or any(
                t.lemma_.lower() in CLUB_NOUNS for t in dobj.subtree
            )
            for target in objs:
                for subject in subjects:
                    self._add(subject, "member_of" if club else "works_at", target, "join")
            return True
        if lemma == "divorce":
            for target in objs:
                for subject in subjects:
                    self._add(subject, "spouse", target, "divorce", ended=True)
            return True
        if lemma == "teach" and self._kind(dobj) in ("person", "animal"):
            return True
        if lemma in ("visit", "tour"):
            # "visited some sights in Boston": the named place is what was visited
            in_place = [o for p, o in self._preps(dobj) if p.lower_ in ("in", "around") and o.pos_ == "PROPN"]
            for target in [t for place in in_place for t in self._objects(place)[0]] or objs:
                for subject in subjects:
                    self._add(subject, "visited", target, words)
            return True
        if lemma in STOP_VERBS and canonical_predicate(words) is None:
            return False
        for target in objs:
            if target.literal and target.token is not None and target.token.pos_ == "VERB":
                continue
            for subject in subjects:
                self._add(subject, None, target, words, replaces=replaces)
        # a verb with an object also keeps a preposition the lexicon knows: "teaches math at X"
        return True

    def _prep_object(
        self,
        verb: Token,
        lemma: str,
        words: str,
        prep: Token,
        obj: Token,
        subjects: list[Ref],
        *,
        has_dobj: bool,
    ) -> bool:
        p = prep.lower_
        if p in _NON_ARGUMENT_PREPS:
            return False  # "memories, like our trip": a comparison, not an argument of the verb
        objs, replaces = self._objects(obj)
        if not objs:
            return False
        kind = self._kind(obj)

        def emit(pred: str | None, phrase: str, *, ended: bool = False) -> bool:
            for target in objs:
                if target.literal and pred is None:
                    continue  # "stepping into the unknown": an adjective is no place or thing
                for subject in subjects:
                    self._add(subject, pred, target, phrase, ended=ended, replaces=replaces)
            return True

        if lemma in ("move", "relocate", "emigrate", "immigrate") and p in ("to", "into", "in"):
            return emit("lives_in", f"{lemma} {p}")
        if lemma in ("move", "relocate") and p == "from":
            has_to = any(q.lower_ in ("to", "into") for q, _ in self._preps(verb))
            return emit("lives_in", f"{lemma} {p}", ended=True) if has_to else False
        if (lemma in _MOTION_VERBS and p in ("to", "from")) or (
            words in ("get back", "come back") and p == "from"
        ):
            if lemma in ("take", "get") and words not in ("get back",):
                return False
            if lemma == "come" and words != "come back":
                return False
            event = kind == "event" or obj.lemma_.lower() in EVENT_NOUNS
            return emit("attended" if event else "visited", f"{words} {p}")
        if lemma == "work" and p == "as":
            title = Ref(self.r.common_name(obj, with_of=False), literal=True, token=obj)
            for subject in subjects:
                self._add(subject, "job_title", title, "work as")
            for inner, place in self._preps(obj):
                if inner.lower_ in ("in", "at") and self._kind(place) in ("place", "organization"):
                    pred = "work_in" if self._kind(place) == "place" and place.pos_ == "PROPN" else "works_at"
                    for target in self._objects(place)[0]:
                        for subject in subjects:
                            self._add(subject, pred, target, f"work {inner.lower_}")
            return True
        if (
            lemma in ("work", "teach", "intern", "lecture", "study")
            and p == "in"
            and kind == "place"
            and (obj.pos_ == "PROPN")
        ):
            return emit(f"{lemma}_in", f"{lemma} {p}")
        if lemma in ("work", "teach", "intern", "lecture") and p in ("at", "for", "in", "with"):
            if p == "with" and kind not in ("organization",):
                return False
            if p == "in" and kind == "concept" and not any(c.dep_ in ("det", "poss") for c in obj.children):
                return emit(f"{lemma}_in", f"{lemma} {p}")  # "works in finance": a field, not an employer
            return emit("works_at", f"{lemma} {p}")
        if (
            lemma in ("study", "enrol", "enroll")
            and p in ("at", "in")
            and kind in ("organization", "place", "concept")
        ):
            if p == "in" and kind == "concept":
                return emit("studies", f"{lemma} {p}")
            return emit("studies_at", f"{lemma} {p}")
        if lemma == "retire" and p == "from":
            return emit("works_at", "retire from", ended=True)
        if words == "break up" and p == "with":
            return emit("partner", "break up with", ended=True)
        if lemma in ("leave", "quit") and p in ("from",):
            return False
        phrase = f"{words} {p}"
        known = canonical_predicate(phrase)
        if has_dobj:
            if known is not None and lemma not in _PLACING_VERBS:
                return emit(known, phrase)
            return False
        if known is None and (lemma in STOP_VERBS or p not in _GENERIC_PREPS or p == "with"):
            return False
        return emit(known, phrase)


def _abstract(ref: Ref) -> bool:
    """ "support", "experience", "a lot of fun": nothing a memory should hold as an object."""
    tok = ref.token
    if ref.literal or tok is None or tok.pos_ == "PROPN":
        return False
    return tok.lower_ in ABSTRACT_NOUNS or tok.lemma_.lower() in ABSTRACT_NOUNS


def _generic(ref: Ref) -> bool:
    """A bare common noun subject ("books can transport us", "work can be tough") states a
    generalisation, not a fact about an entity in this memory."""
    tok = ref.token
    if tok is None or ref.role:
        return False
    if tok.tag_ == "VBG" or (tok.pos_ == "NOUN" and tok.lower_.endswith("ing") and tok.dep_ == "conj"):
        return True  # "cooking and eating is rewarding": an activity in general
    if tok.pos_ != "NOUN" or any(
        c.dep_ in ("det", "poss", "compound", "amod", "nummod") for c in tok.children
    ):
        return False
    # a capitalised singular noun is most likely a name the small model mis-tagged ("Ravi speaks ...")
    return tok.tag_ == "NNS" or not tok.text[:1].isupper() or tok.lower_ in ABSTRACT_NOUNS


def _named(ref: Ref) -> bool:
    """Generic (non-lexicon) predicates only for subjects a memory is about: people, named things,
    the speaker, the addressee, owned relatives; not "the other finalist shook my hand"."""
    tok = ref.token
    return ref.role != "" or ref.type in ("person", "animal") or tok is None or tok.pos_ == "PROPN"


def _locative(subject: Ref) -> str:
    """Places and named things are located_in; objects in an agent's world are located_at."""
    return "located_in" if subject.token is not None and subject.token.pos_ == "PROPN" else "located_at"


def _date_value(point: TimePoint) -> str:
    if point.granularity == "day":
        return point.start.date().isoformat()
    if point.granularity in ("month", "season"):
        return point.start.strftime("%Y-%m")
    return str(point.start.year)
