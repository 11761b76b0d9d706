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

from typing import TYPE_CHECKING

from graphmem.extract.active import ActivePatterns
from graphmem.extract.clause_words import (
    _BELIEF_VERBS,
    _HEAD_DEPS,
    _HUMAN_PREDICATES,
    _KNOWN_VERBS,
    _REPORT_VERBS,
    _VERBAL,
    _is_correction,
    _lemma,
    gerund,
    is_question,
)
from graphmem.extract.copula import CopulaPatterns
from graphmem.extract.lexicon import ROLE_NOUNS
from graphmem.extract.passive import PassivePatterns
from graphmem.extract.reader import RawFact, _Cues
from graphmem.extract.refs import Ref
from graphmem.extract.words import (
    ANIMALS,
    FIRST_PERSON,
    HYPOTHETICAL_WORDS,
    INTENT_VERBS,
)
from graphmem.model import Modality

if TYPE_CHECKING:
    from spacy.tokens import Token

_SUPPORT_NOUNS = frozenset(
    {"support", "help", "encouragement", "backing", "advice", "guidance", "kindness", "cheer"}
)

__all__ = ["_HUMAN_PREDICATES", "RawFact", "SentenceReader", "gerund", "is_question"]


class SentenceReader(CopulaPatterns, PassivePatterns, ActivePatterns):
    """Reads one sentence; the resolver carries names and pronoun state across sentences.

    The structure (clause heads, verb chains, cues, subjects) is here; the patterns live in one
    module per family, mixed in: :mod:`~graphmem.extract.copula`, :mod:`~graphmem.extract.passive`,
    :mod:`~graphmem.extract.active`; the shared helpers in :mod:`~graphmem.extract.reader`.
    """

    def read(self) -> list[RawFact]:
        if is_question(self.sent):
            return []
        correction = _is_correction(self.sent)
        for tok in self.sent:
            if self._is_clause_head(tok):
                self._clause(tok)
        self._stray_links()
        self._support()
        for fact in self.facts:
            if not fact.link:
                fact.correction = fact.correction or correction
        return self.facts

    def _support(self) -> None:
        """Support named as such between the two parties: "your support means a lot", "thanks for
        your help" -> (addressee, supports, speaker); "I'm (always) here for you" -> (speaker,
        supports, addressee). Only literal support nouns count, owned by "your", never negated."""
        addressee, speaker = self.r.addressee, self.r.speaker
        if addressee is None or any(t.dep_ == "neg" for t in self.sent):
            return
        for tok in self.sent:
            if tok.lemma_.lower() in _SUPPORT_NOUNS and any(
                c.dep_ == "poss" and c.lower_ == "your" for c in tok.children
            ):
                self._add(addressee, "supports", speaker, "support", link=True)
                return
            if (
                tok.lower_ == "here"
                and tok.head.lemma_ == "be"
                and any(c.dep_ == "nsubj" and c.lower_ == "i" for c in tok.head.children)
                and any(_for_you(c) for c in tok.head.children)
            ):
                self._add(speaker, "supports", addressee, "support", link=True)
                return

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

    def _subjects(self, verb: Token) -> list[Ref]:
        refs: list[Ref] = []
        for tok in self._subject_tokens(verb):
            kept, _ = self.r.expand(tok)
            for t in kept:
                ref = self.r.ref(t)
                if ref is not None and not ref.literal:
                    refs.append(ref)
        if not refs and self._elided_first_person(verb):
            refs.append(self.r.speaker)
        return refs

    def _elided_first_person(self, verb: Token) -> bool:
        """Chat drops the "I" of a past-tense report: "Just got some new shoes", "Went camping last
        weekend", "Found a perfect spot". A sentence-initial root verb in the past tense with no
        subject is the speaker's; imperatives ("Check out this pic") are base forms and stay out."""
        if (
            verb.dep_ != "ROOT"
            or verb.tag_ != "VBD"
            or any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in verb.children)
        ):
            return False
        before = [t for t in self.sent if t.i < verb.i and not (t.is_punct or t.is_space)]
        return all(t.dep_ in ("advmod", "intj", "cc") and t.head.i == verb.i for t in before)

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


def _for_you(prep: Token) -> bool:
    return prep.lower_ == "for" and any(o.lower_ == "you" for o in prep.children)
