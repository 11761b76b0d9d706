"""The base of the sentence reader: the raw fact record, the cue record, and the shared helpers
the pattern families (:mod:`copula`, :mod:`passive`, :mod:`active`) build on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from graphmem.extract.clause_words import (
    _CONCRETE,
    _DIRECTIONAL,
    _HEAD_DEPS,
    _TIME_WORDS,
    _VERBAL,
)
from graphmem.extract.lexicon import ROLE_NOUNS, canonical_predicate
from graphmem.extract.refs import Ref, Resolver
from graphmem.extract.temporal import TimePoint, parse_range, parse_time
from graphmem.extract.words import (
    ABSTRACT_NOUNS,
)
from graphmem.model import Modality

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["RawFact", "ReaderBase"]


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


class ReaderBase:
    """State and helpers every pattern family uses: the resolver, the facts read so far, ``_add``
    (the one gate every fact passes), object expansion, prepositions and time spans."""

    def __init__(self, resolver: Resolver, sent: Span, anchor: datetime) -> None:
        self.r = resolver
        self.sent = sent
        self.anchor = anchor
        self.facts: list[RawFact] = []
        self.consumed: set[int] = set()  # token indices of dates used as objects ("born on 12 June")

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
