"""Passive patterns: "was born in / on", "was hired by / at", "is called Noor", "is married to",
placing verbs ("is located in"), relationship statuses, and agent passives ("was painted by X").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphmem.extract.clause_words import (
    _LOCATIVE_PREPS,
    _PLACING_VERBS,
    _lemma,
)
from graphmem.extract.lexicon import ROLE_NOUNS
from graphmem.extract.reader import ReaderBase, _date_value, _generic, _locative
from graphmem.extract.refs import Ref
from graphmem.extract.temporal import parse_time
from graphmem.extract.words import (
    ANIMALS,
    RELATIONSHIP_STATUSES,
    STOP_VERBS,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["PassivePatterns"]


class PassivePatterns(ReaderBase):
    """Reads clauses whose head verb is passive."""

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
