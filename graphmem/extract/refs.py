"""Noun phrases -> the entity names a triple should use (speaker resolution, roles, pronouns).

A triple's subject and object must be the names the entities are stored under, so this module turns
a parse token into a :class:`Ref`: "I" is the speaker, "you" the addressee, "my sister Anna" is Anna
(and implies the fact (speaker, sister, Anna)), an unnamed "my brother" becomes the entity
"Maria's brother" so later statements about him still attach to one node, "she" is the nearest
person mentioned before, and common nouns lose articles and opinion adjectives ("my new car" -> car).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graphmem.extract.lexicon import ROLE_NOUNS
from graphmem.extract.words import (
    ABSTRACT_NOUNS,
    ANIMALS,
    COLLECTIVE_ROLES,
    DROP_MODIFIERS,
    EVENT_NOUNS,
    FIRST_PERSON,
    NATIONALITIES,
    NON_ENTITY_WORDS,
    OBJECT_NOUNS,
    OCCUPATIONS,
    ORG_NOUNS,
    PLACE_NOUNS,
    QUANTITY_NOUNS,
    SECOND_PERSON,
    THIRD_PERSON,
    TITLES,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["ENT_TYPES", "Link", "Ref", "Resolver", "span_text"]

ENT_TYPES: dict[str, str] = {
    "PERSON": "person",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "ORG": "organization",
    "NORP": "group",
    "EVENT": "event",
    "WORK_OF_ART": "work",
    "PRODUCT": "object",
    "LANGUAGE": "concept",
    "DATE": "date",
    "TIME": "date",
}
_NAME_LABELS = frozenset(
    {"PERSON", "GPE", "LOC", "FAC", "ORG", "NORP", "EVENT", "WORK_OF_ART", "PRODUCT", "LANGUAGE"}
)
_ROLE_DISPLAY = {
    "mom": "mother",
    "mum": "mother",
    "mama": "mother",
    "mommy": "mother",
    "mummy": "mother",
    "dad": "father",
    "daddy": "father",
    "papa": "father",
    "kid": "child",
    "grandma": "grandmother",
    "granny": "grandmother",
    "nana": "grandmother",
    "gran": "grandmother",
    "grandpa": "grandfather",
    "neighbour": "neighbor",
    "bro": "brother",
    "sis": "sister",
}
_PLURALS = {"child": "children", "wife": "wives", "person": "people"}
_NAMING_VERBS = frozenset({"name", "call"})
_PERSONAL_TYPES = frozenset({"person"})
_PERSON_VERBS = frozenset({"meet", "marry", "date", "divorce", "befriend", "hug", "kiss", "call", "text"})


@dataclass(slots=True, eq=False)
class Ref:
    """A resolved noun phrase: the entity name (or literal) and what the phrase itself implies.

    Compared by identity, not by field values: a Ref's ``links`` can point back at the Ref itself
    ("my sister Anna" links Anna to the speaker, whose Ref may link on), so a field-wise ``__eq__``
    recursed through these cycles until RecursionError on long encyclopedic sentences. The resolver
    caches one Ref per token, so identity is also what "the same phrase" means.
    """

    name: str
    type: str = "concept"
    token: Token | None = None
    literal: bool = False
    role: str = ""  # "speaker", "addressee", "coref" or ""
    negated: bool = False  # "no pets"
    links: list[Link] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.name.lower()


@dataclass(slots=True, eq=False)
class Link:
    """A fact implied by a noun phrase itself: "my sister Anna" -> (speaker, sister, Anna)."""

    subject: Ref
    predicate: str
    object: Ref


def span_text(tokens: list[Token]) -> str:
    """Text of tokens in order, keeping the original spacing between adjacent ones."""
    tokens = sorted(tokens, key=lambda t: t.i)
    parts: list[str] = []
    for i, tok in enumerate(tokens):
        parts.append(tok.text)
        if i + 1 < len(tokens):
            gap = tokens[i + 1].i - tok.i
            if gap == 2 and tok.nbor(1).tag_ == "HYPH":  # keep "self-discovery" whole
                parts.append(tok.whitespace_ + tok.nbor(1).text_with_ws)
            else:
                parts.append(tok.whitespace_ if gap == 1 else " ")
    return "".join(parts).strip()


_COMMON_WORDS = frozenset().union(
    ANIMALS,
    OCCUPATIONS,
    PLACE_NOUNS,
    ORG_NOUNS,
    EVENT_NOUNS,
    OBJECT_NOUNS,
    ABSTRACT_NOUNS,
    NON_ENTITY_WORDS,
    ROLE_NOUNS,
    QUANTITY_NOUNS,
)


def _looks_common(tok: Token) -> bool:
    """Whether a capitalised sentence-initial noun is an ordinary word rather than a mis-tagged name."""
    word = tok.lower_
    return (
        word in _COMMON_WORDS or tok.lemma_.lower() in _COMMON_WORDS or word.endswith(("ing", "ness", "tion"))
    )


def _word(tok: Token) -> str:
    return tok.lower_ if tok.lower_ in ROLE_NOUNS or tok.lower_ in ANIMALS else tok.lemma_.lower()


class Resolver:
    """Resolves tokens of one document; keeps the state pronouns and "I have a sister" need."""

    def __init__(self, doc: Doc, *, speaker: str, addressee: str | None, anchor: str | None = None) -> None:
        self.doc = doc
        self.speaker = Ref(speaker, "person", role="speaker")
        self.addressee = Ref(addressee, "person", role="addressee") if addressee else None
        # a document's title entity: what "he" / "it" / "its" refer to when the text names nothing
        self.anchor = Ref(anchor, "concept", role="coref") if anchor else None
        self.ent_of: dict[int, Span] = {t.i: ent for ent in doc.ents for t in ent}
        self.implicit_owner: dict[int, Ref] = {}
        self.alias: dict[int, Ref] = {}  # "Tom is my neighbour": the role token stands for Tom
        self.used: set[int] = set()  # tokens a pattern consumed: no stray role link for them
        self._cache: dict[int, Ref | None] = {}
        self._resolving: set[int] = set()

    # --- public -------------------------------------------------------------------------------------

    def ref(self, tok: Token, *, as_object: bool = False) -> Ref | None:
        """The entity (or literal) a noun-phrase head denotes; None when it names nothing storable."""
        key = tok.i if not as_object else -tok.i - 1
        if key in self._cache:
            return self._cache[key]
        if key in self._resolving:
            # Resolution can come back to the token it started from (an apposition's owner is a
            # pronoun whose antecedent is the apposition itself: "her son Edward, ..."). A phrase
            # cannot be its own antecedent, so the inner request finds nothing instead of recursing.
            return None
        self._resolving.add(key)
        try:
            resolved = self._resolve(tok, as_object=as_object)
        finally:
            self._resolving.discard(key)
        self._cache[key] = resolved
        return resolved

    def expand(self, tok: Token) -> tuple[list[Token], list[Token]]:
        """The token and its coordinated siblings ("English, Spanish and Portuguese"), and the ones
        negated inside the phrase ("Porto, not Lisbon" -> Lisbon is replaced, not asserted)."""
        kept, replaced = [tok], []
        negated_here = any(c.dep_ == "neg" for c in tok.children)
        # "jazz instead of rock music" / "tea rather than coffee" parse as coordination
        contrast = any(
            c.dep_ == "cc"
            and (c.lower_ == "than" or (c.lower_ == "of" and any(g.lower_ == "instead" for g in c.children)))
            for c in tok.children
        )
        stack = [c for c in tok.children if c.dep_ in ("conj", "appos")]
        while stack:
            child = stack.pop(0)
            if child.dep_ == "appos" and not negated_here and not self._is_list_appos(tok, child):
                continue
            if negated_here or contrast or any(c.dep_ == "neg" for c in child.children):
                replaced.append(child)
            else:
                kept.append(child)
            stack.extend(c for c in child.children if c.dep_ == "conj")
        return kept, replaced

    def owner(self, tok: Token) -> Ref | None:
        """Whose X is it: the possessor of "my sister", "Anna's husband", or an implicit owner."""
        for child in tok.children:
            if child.dep_ == "poss":
                return self.ref(child)
        return self.implicit_owner.get(tok.i)

    def name_of(self, tok: Token) -> str:
        """The stored name for a noun-phrase head, without the reference logic."""
        if tok.pos_ == "PROPN" or (tok.i in self.ent_of and self.ent_of[tok.i].label_ in _NAME_LABELS):
            return self.proper_name(tok)
        return self.common_name(tok)

    def entity_type(self, tok: Token) -> str:
        ent = self.ent_of.get(tok.i)
        word = tok.lower_
        lemma = tok.lemma_.lower()
        if ent is not None and ent.label_ in ENT_TYPES and ent.label_ not in ("DATE", "TIME"):
            return ENT_TYPES[ent.label_]
        if word in ROLE_NOUNS or lemma in ROLE_NOUNS or lemma in OCCUPATIONS:
            return "person"
        for words, kind in (
            (ANIMALS, "animal"),
            (EVENT_NOUNS, "event"),
            (PLACE_NOUNS, "place"),
            (ORG_NOUNS, "organization"),
            (OBJECT_NOUNS, "object"),
        ):
            if word in words or lemma in words:
                return kind
        if ent is not None and ent.label_ in ("DATE", "TIME"):
            return "date"
        return "concept"

    def proper_name(self, tok: Token) -> str:
        tokens = {tok}
        ent = self.ent_of.get(tok.i)
        if ent is not None and ent.label_ in _NAME_LABELS:
            # Only the entity's tokens syntactically tied to this one: the small model sometimes runs
            # a name into what follows it ("moved to Lisbon 3 months ago" tagged as one ORG).
            subtree = {t.i for t in tok.subtree}
            tokens.update(t for t in ent if t.i in subtree or tok.i in {s.i for s in t.subtree})
        stack = [c for c in tok.lefts if c.dep_ in ("compound", "nmod", "amod", "poss") and c.pos_ == "PROPN"]
        stack += [c for c in tok.lefts if c.dep_ == "compound" and c.lower_.rstrip(".") + "." in TITLES]
        stack += [c for c in tok.lefts if c.dep_ == "compound" and c.lower_ in TITLES]
        while stack:
            child = stack.pop()
            if child.lower_ in ROLE_NOUNS and child.lower_ not in TITLES:
                continue
            tokens.add(child)
            stack.extend(c for c in child.lefts if c.dep_ in ("compound", "case") or c.pos_ == "PROPN")
        for right in tok.rights:
            if right.dep_ in ("flat", "compound") and right.pos_ == "PROPN":
                tokens.add(right)
        for prep in tok.rights:  # "Lord of the Rings", "Bank of America"
            if prep.dep_ == "prep" and prep.lower_ == "of" and (ent is None or ent.label_ == "PERSON"):
                objs = [o for o in prep.children if o.dep_ == "pobj" and o.pos_ == "PROPN"]
                between: list[Token] = list(self.doc[prep.i : objs[0].i + 1]) if objs else []
                if objs and all(t.pos_ in ("PROPN", "DET", "ADP", "PUNCT") for t in between):
                    tokens.update(self.doc[prep.i : objs[0].right_edge.i + 1])
        lo, hi = min(t.i for t in tokens), max(t.i for t in tokens)
        span = [t for t in self.doc[lo : hi + 1]]
        while span and (span[0].lower_ == "the" or span[0].dep_ in ("det", "poss") or span[0].is_punct):
            if span[0].lower_ == "the" and len(span) > 1 and ent is not None and ent.label_ == "WORK_OF_ART":
                break
            span = span[1:]
        while span and (
            span[-1].tag_ == "POS"
            or (span[-1].is_punct and span[-1].text != ".")
            or span[-1].pos_ in ("ADP", "DET", "CCONJ", "PART", "SCONJ")
        ):
            span = span[:-1]
        return self.full_name(span_text(span) if span else tok.text)

    def full_name(self, name: str) -> str:
        """A short form of a conversation party's name is that party: "Mel" is Melanie when
        Melanie is the speaker or the addressee ("Hey Mel!", "Thanks, Deb"). One word of 3+ letters
        that begins their first name; anything else is returned unchanged."""
        short = name.lower()
        if len(short) < 3 or " " in short or not short.isalpha():
            return name
        for party in (self.speaker, self.addressee):
            if party is None:
                continue
            first = party.name.lower().split()[0] if party.name.strip() else ""
            if first != short and first.startswith(short):
                return party.name
        return name

    def common_name(self, tok: Token, *, with_of: bool = True) -> str:
        """Modifiers that classify (compounds, most adjectives) + head; opinions and sizes dropped."""
        keep: list[Token] = []
        stack = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod", "nn")]
        while stack:
            child = stack.pop()
            if (
                child.lower_ in DROP_MODIFIERS
                or child.pos_ in ("DET", "PRON", "NUM", "ADV")
                or child.is_punct
            ):
                continue
            if child.lower_ in ROLE_NOUNS and tok.lower_ not in ROLE_NOUNS and child.dep_ != "compound":
                continue
            keep.append(child)
            stack.extend(
                c for c in child.lefts if c.dep_ in ("compound", "amod", "nmod", "punct", "npadvmod")
            )
            stack.extend(c for c in child.rights if c.dep_ == "punct" and c.text == "-")
        head = tok.text
        if tok.pos_ == "NOUN" and tok.is_sent_start and tok.text[:1].isupper() and _looks_common(tok):
            head = tok.text.lower()  # "Hiking is fun" -> hiking; but "Ines left ..." keeps its capital
        words = [t.text for t in sorted(keep, key=lambda t: t.i)]
        name = span_text([*sorted(keep, key=lambda t: t.i), tok]) if keep else head
        if keep and head != tok.text:
            name = " ".join([*words, head])
        if keep and keep[0].is_sent_start and keep[0].pos_ in ("NOUN", "ADJ") and keep[0].text.istitle():
            name = name[0].lower() + name[1:]
        if with_of:
            for prep in tok.rights:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    objs = [c for c in prep.children if c.dep_ == "pobj"]
                    if objs and (objs[0].pos_ == "PROPN" or objs[0].i in self.ent_of):
                        return f"{name} of {self.proper_name(objs[0])}"
        return name

    # --- resolution ---------------------------------------------------------------------------------

    def _resolve(self, tok: Token, *, as_object: bool) -> Ref | None:
        word = tok.lower_
        if word in FIRST_PERSON:
            return self.speaker
        if word in SECOND_PERSON:
            return self.addressee
        if word in THIRD_PERSON:
            found = self._antecedent(tok, person=True)
            return Ref(found.name, found.type, found.token, role="coref") if found else self.anchor
        if word in ("it", "its"):
            found = self._antecedent(tok, person=False) if as_object else None
            if found is None and self.anchor is not None and not as_object:
                return self.anchor  # "It was released in 1986." in a passage titled by a film
            return Ref(found.name, found.type, found.token, role="coref") if found else None
        if tok.pos_ in ("ADJ", "NUM") or (tok.pos_ == "VERB" and tok.tag_ != "VBG"):
            return Ref(tok.text, literal=True, token=tok)
        if word in QUANTITY_NOUNS:
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    for obj in prep.children:
                        if obj.dep_ == "pobj":
                            return self.ref(obj, as_object=as_object)
            return None
        if word in NON_ENTITY_WORDS or tok.pos_ == "PRON":
            return None
        negated = any(c.dep_ == "det" and c.lower_ in ("no", "zero") for c in tok.children)
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        owner_ref = self.ref(poss) if poss is not None else None
        if poss is not None and tok.pos_ == "NOUN" and owner_ref is None:
            return None  # "their hard work": whose is unknown, so it is no entity we can store
        if word in COLLECTIVE_ROLES:
            return None
        role = ROLE_NOUNS.get(word) or ROLE_NOUNS.get(tok.lemma_.lower())
        if role is not None and (owner := self.owner(tok)) is not None:
            return self._role_ref(tok, role, owner, negated)
        if (word in ANIMALS or tok.lemma_ in ANIMALS) and (owner := self.owner(tok)) is not None:
            return self._pet_ref(tok, owner, negated)
        if tok.pos_ == "PROPN" or (tok.i in self.ent_of and self.ent_of[tok.i].label_ in _NAME_LABELS):
            kind = self.entity_type(tok)
            if (
                tok.dep_ == "dobj"
                and tok.head.lemma_ in _PERSON_VERBS
                and kind in ("place", "concept", "organization")
            ):
                kind = "person"  # "I met Kenji": NER calls many first names GPE or ORG
            ref = Ref(self.proper_name(tok), kind, tok, negated=negated)
            self._appositive_links(tok, ref)
            return ref
        name = self.common_name(tok)
        if owner_ref is not None and owner_ref.role not in ("speaker", "addressee") and not owner_ref.literal:
            name = f"{owner_ref.name}'s {name}"  # "I love his tech" is about Iron Man's tech
        ref = Ref(name, self.entity_type(tok), tok, negated=negated)
        self._appositive_links(tok, ref)
        return ref

    def given_name(self, tok: Token) -> Token | None:
        """ "my sister Anna", "a cat named Luna", "my boss, Linda," -> the name token."""
        for child in tok.children:
            if (
                child.dep_ in ("appos", "compound")
                and child.i > tok.i
                and (child.pos_ == "PROPN" or self._is_person(child))
            ):
                if self.is_vocative(child):
                    continue  # "Sorry about your friend, Deb.": Deb is the one spoken to
                return child
        for child in tok.children:
            if child.dep_ == "acl" and child.lemma_ in _NAMING_VERBS:
                for grand in child.children:
                    if grand.dep_ in ("oprd", "attr", "dobj") and grand.pos_ in ("PROPN", "NOUN"):
                        return grand
        return None

    def _role_ref(self, tok: Token, role: str, owner: Ref, negated: bool) -> Ref:
        named = self.given_name(tok)
        if named is not None:
            person = Ref(self.proper_name(named), "person", named, negated=negated)
            self.used.add(named.i)
        else:
            plural = tok.tag_ == "NNS" or tok.lower_ in (
                "kids",
                "children",
                "parents",
                "siblings",
                "grandparents",
            )
            display = tok.lemma_.lower() if plural else tok.lower_
            display = _ROLE_DISPLAY.get(display, display)
            if plural:
                display = _PLURALS.get(display, display if display.endswith("s") else display + "s")
            person = Ref(f"{owner.name}'s {display}", "person", tok, negated=negated)
        person.links.append(Link(owner, role, person))
        person.links.extend(owner.links)
        return person

    def _pet_ref(self, tok: Token, owner: Ref, negated: bool) -> Ref:
        named = self.given_name(tok)
        if named is not None:
            pet = Ref(self.proper_name(named), "animal", named, negated=negated)
            self.used.add(named.i)
            pet.links.append(Link(owner, "has_pet", pet))
            pet.links.append(Link(pet, "is_a", Ref(self.common_name(tok), "animal", tok)))
        else:
            pet = Ref(self.common_name(tok), "animal", tok, negated=negated)
            pet.links.append(Link(owner, "has_pet", pet))
        pet.links.extend(owner.links)
        return pet

    def _appositive_links(self, tok: Token, ref: Ref) -> None:
        """ "Tom, my neighbour," / "Clara, a photographer from Lyon" / "my sister Anna" (compound)."""
        if any(c.dep_ == "neg" for c in tok.children):
            return  # "Ana, not Anna": a correction, not a description
        for child in tok.children:
            if child.dep_ not in ("appos", "compound", "amod") or child.i == tok.i:
                continue
            if any(c.dep_ == "neg" for c in child.children):
                continue
            role = ROLE_NOUNS.get(child.lower_) or ROLE_NOUNS.get(child.lemma_.lower())
            animal = child.lower_ in ANIMALS and child.pos_ == "NOUN" and tok.pos_ == "PROPN"
            owner = (
                (self.owner(child) or (self.owner(tok) if child.dep_ in ("compound", "amod") else None))
                if (role or animal)
                else None
            )
            if child.dep_ in ("compound", "amod") and owner is None:
                continue
            if child.dep_ == "appos" and self._is_list_appos(tok, child):
                continue
            if animal and owner is not None:
                ref.type = "animal"
                ref.links.append(Link(owner, "has_pet", ref))
                ref.links.append(Link(ref, "is_a", Ref(self.common_name(child), "animal", child)))
                ref.links.extend(owner.links)
                self.used.add(child.i)
                continue
            if role and owner is not None:
                ref.links.append(Link(owner, role, ref))
                ref.links.extend(owner.links)
                self.used.add(child.i)
                continue
            if child.dep_ != "appos" or child.pos_ != "NOUN":
                continue
            if (
                child.pos_ == "NOUN"
                and not any(c.dep_ == "det" and c.lower_ in ("a", "an", "the") for c in child.children)
                and child.lemma_.lower() not in OCCUPATIONS
            ):
                continue  # "Marie, my roommate, studies physics": a misparsed verb, not a description
            self.used.add(child.i)
            occupation = child.lemma_.lower() in OCCUPATIONS
            if child.lower_ in PLACE_NOUNS and ref.type in ("person", "concept", "organization"):
                ref.type = "place"
            if occupation:
                ref.links.append(Link(ref, "job_title", Ref(self.common_name(child), literal=True)))
            elif child.lower_ in NATIONALITIES:
                ref.links.append(Link(ref, "nationality", Ref(child.text, literal=True)))
            else:
                ref.links.append(
                    Link(ref, "is_a", Ref(self.common_name(child), self.entity_type(child), child))
                )
            for prep in child.children:
                if prep.dep_ != "prep":
                    continue
                for obj in prep.children:
                    kind = self.entity_type(obj)
                    if obj.dep_ != "pobj" or (
                        kind not in ("place", "organization")
                        and not (obj.pos_ == "PROPN" and kind != "date" and prep.lower_ == "from")
                    ):
                        continue
                    place = Ref(
                        self.proper_name(obj) if obj.pos_ == "PROPN" else self.common_name(obj),
                        self.entity_type(obj),
                        obj,
                    )
                    if prep.lower_ == "from":
                        place.type = "place" if place.type in ("person", "concept") else place.type
                        ref.links.append(Link(ref, "comes_from", place))
                    elif prep.lower_ in ("in", "near") and ref.type in ("place", "organization", "concept"):
                        ref.links.append(Link(ref, "located_in", place))
                    elif prep.lower_ in ("at", "in") and occupation and kind == "organization":
                        ref.links.append(Link(ref, "works_at", place))

    def is_vocative(self, tok: Token) -> bool:
        """A name or "my friend" said to the addressee: set off by a comma at the end of the sentence
        ("Thanks, Deb!", "Wishing you a great day, my friend!")."""
        start, end = tok.left_edge.i, tok.right_edge.i
        before = self.doc[start - 1] if start > 0 else None
        after = self.doc[end + 1] if end + 1 < len(self.doc) else None
        if before is None or before.text != "," or (after is not None and not after.is_punct):
            return False
        if tok.pos_ == "PROPN":
            name = tok.text.lower()
            addressee = (self.addressee.name if self.addressee else "").lower()
            return bool(addressee) and (addressee.startswith(name[:3]) or name.startswith(addressee[:3]))
        return tok.dep_ in ("npadvmod", "dep", "intj", "appos", "conj") and any(
            c.dep_ == "poss" and c.lower_ in FIRST_PERSON for c in tok.children
        )

    def _is_list_appos(self, head: Token, child: Token) -> bool:
        """spaCy sometimes parses "Rome, Florence and Venice" with appositions; same-type proper
        names in a comma list are coordination, not description."""
        return (
            head.pos_ == "PROPN"
            and child.pos_ == "PROPN"
            and self.entity_type(head) == self.entity_type(child) != "person"
        )

    def _is_person(self, tok: Token) -> bool:
        ent = self.ent_of.get(tok.i)
        return ent is not None and ent.label_ == "PERSON"

    def _antecedent(self, pron: Token, *, person: bool) -> Ref | None:
        """Nearest earlier mention: a named person or an owned role ("my sister") for he/she; the
        nearest non-person object noun for "it"."""
        for i in range(pron.i - 1, max(-1, pron.i - 80), -1):
            cand = self.doc[i]
            if cand.lower_ in FIRST_PERSON or cand.lower_ in SECOND_PERSON or cand.pos_ == "PRON":
                continue
            if person:
                if i in self.alias:
                    return self.alias[i]
                ent = self.ent_of.get(i)
                is_role = (
                    cand.lower_ in ROLE_NOUNS or cand.lemma_.lower() in ROLE_NOUNS
                ) and cand.pos_ == "NOUN"
                if ent is not None and ent.label_ == "PERSON" and cand.i == ent.root.i:
                    return self._named_person(cand)
                if is_role and (self.owner(cand) is not None):
                    ref = self.ref(cand)
                    if ref is not None and ref.type in _PERSONAL_TYPES:
                        return ref
                if (
                    cand.pos_ == "PROPN"
                    and cand.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "appos")
                    and (
                        self.entity_type(cand) in ("person", "concept")
                        or (ent is not None and len(ent) == 1 and ent.label_ in ("ORG", "NORP"))
                        or (cand.dep_ == "dobj" and cand.head.lemma_ in _PERSON_VERBS)
                    )
                ):
                    return self._named_person(cand)
            elif (
                cand.pos_ in ("NOUN", "PROPN")
                and cand.dep_ in ("dobj", "pobj", "attr", "nsubj")
                and (cand.lower_ not in NON_ENTITY_WORDS and cand.i not in self.ent_of)
            ):
                # only concrete things ("bought a guitar ... plays it"), never "a ride" or "an idea"
                if self.entity_type(cand) in ("object", "animal", "place"):
                    return self.ref(cand)
                return None
        return None

    def _named_person(self, tok: Token) -> Ref:
        ref = self.ref(tok)
        if ref is None:  # pragma: no cover - a PERSON token always resolves
            ref = Ref(self.proper_name(tok), "person", tok)
        return Ref(ref.name, "person", ref.token)
