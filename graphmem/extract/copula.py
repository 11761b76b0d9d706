"""Copula patterns: "X is a Y", "X is 34", "my favourite Z is W", "X is from / in Y", "there is",
"my name is", adjectives ("I'm vegan", "I'm allergic to nuts") and fan-of phrases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphmem.extract.clause_words import (
    _EMOTIONS,
    _INTENSIFIERS,
    _LOCATIVE_PREPS,
)
from graphmem.extract.lexicon import ROLE_NOUNS, favourite_predicate
from graphmem.extract.reader import ReaderBase, _abstract, _generic, _locative
from graphmem.extract.refs import Ref
from graphmem.extract.temporal import parse_number
from graphmem.extract.words import (
    ANIMALS,
    DROP_MODIFIERS,
    NATIONALITIES,
    OCCUPATIONS,
    RELATIONSHIP_STATUSES,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["CopulaPatterns"]


class CopulaPatterns(ReaderBase):
    """Reads clauses whose head is the copula *be*."""

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
