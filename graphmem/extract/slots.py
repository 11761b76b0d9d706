"""Canonical slot vocabulary: the ways people say where they live, work, study, who they date, what
they drive and how to reach them, mapped onto the functional predicates reconsolidation relies on.

Reconsolidation only supersedes a value inside a slot (subject, canonical predicate). If "my home is
in Lisbon" is stored as ``home located_at Lisbon`` and "we just moved to Porto" as ``lives_in Porto``,
both stay current. The clause patterns (:mod:`graphmem.extract.clauses`) read the general grammar;
this layer runs after them, on the same spaCy parse of one sentence, and knows the *slot frames*:

* verb frames, a verb (lemma, particle, preposition) with an object of the right kind: "reside in",
  "be based in", "settle in", "call X home", "make the move to", "move out of" (ends), "earn a living
  at", "do marketing for", "be on the payroll at", "get hired by", "resign from" (ends), "walk out of
  my job at" (ends), "switch / move / jump from Y to X", "go out with", "see" (dating), "break up
  with" (ends), "be enrolled at", "do a degree at", "drop out of" (ends), "retrain as";
* possessed slot nouns in a copula, first or third person: "my home is in X", "Nadia's employer is
  X", "my son Pedro's car is a Renault", "my number is 555-0142", "Rex is my dog",
  "home for my neighbour Ivan is Prague".

A frame that matches a fact the patterns already produced (same subject and object) fixes its
predicate (and its subject, for a possessed noun the patterns attached to the wrong owner); a frame
the patterns missed adds a fact, with negation and modality read from the verb chain the same way
(might / could / would / thinking about / hoping to ... are hedges, "no longer" / n't ... anymore
negate and end). Objects are typed by the entity recogniser and the lexicon, so "moved to Bosch for
work" is an employer and "moved to Madrid" a residence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphmem.extract.clauses import RawFact, is_question
from graphmem.extract.refs import Ref, Resolver
from graphmem.model import Modality, entity_key

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["refine_slots"]

_HOME_NOUNS = frozenset({"home", "house", "flat", "apartment", "place", "address", "base", "residence"})
_POSSESSED: dict[str, str] = {
    **dict.fromkeys(_HOME_NOUNS, "lives_in"),
    **dict.fromkeys(("employer", "company", "workplace", "firm"), "works_at"),
    **dict.fromkeys(("car", "vehicle", "ride"), "drives"),
    **dict.fromkeys(("number", "phone", "mobile", "cell"), "phone_number"),
    **dict.fromkeys(("school", "university", "college", "uni"), "studies_at"),
    **dict.fromkeys(("dog", "cat", "pet", "puppy", "kitten", "parrot", "rabbit", "hamster"), "has_pet"),
}
"""Nouns that name a functional slot when someone's possession: "my employer is X". Family and
partner roles ("Anna's husband is Tom") are the clause patterns' role links, not listed here."""

_LITERAL = frozenset({"phone_number"})
_JOB_NOUNS = frozenset({"job", "position", "role", "post", "internship", "contract", "gig", "placement"})
_STUDY_NOUNS = frozenset(
    {"degree", "master", "masters", "phd", "doctorate", "bachelor", "course", "studies", "mba"}
)
_SCHOOL_WORDS = frozenset({"university", "college", "institute", "school", "academy", "polytechnic"})
_WORK_WORDS = frozenset({"work", "job", "career", "employer", "office", "company"})
_STUDY_WORDS = _STUDY_NOUNS | {"study", "studies", "studying", "student", "semester", "thesis"}
_TIME_NOUNS = frozenset({"moment", "minute", "time", "present", "day", "week", "month", "year", "while"})

_RESIDE = frozenset({"live", "reside", "settle", "base", "dwell", "locate"})
_RELOCATE = frozenset({"move", "relocate", "emigrate", "immigrate", "return", "transfer", "switch", "jump"})
_QUIT = frozenset({"quit", "leave", "resign", "exit"})
_RESIDE_MOVES = frozenset({"move", "relocate", "emigrate", "immigrate", "return"})
_EMPLOYER_ONLY = frozenset({"resign", "lay", "fire", "sack", "hire", "earn"})
"""Verbs whose object is an employer whatever the entity recogniser calls it ("resigned from Ericsson")."""
_ANY_EMPLOYER = frozenset({"org", "place", "school"})
_TRADE_VERBS = frozenset({"market", "consult", "design", "code", "program", "freelance", "advertise", "sell"})
_DATE_VERBS = frozenset({"date", "see", "court"})
_TRAIN = frozenset({"retrain", "train", "qualify", "requalify", "work", "serve", "start", "begin"})

_CHAIN_DEPS = frozenset({"xcomp", "pcomp", "ccomp", "advcl", "conj", "pobj", "prep", "acl"})
_HEDGE_AUX = frozenset({"might", "may", "could", "should", "would", "can"})
_HEDGE_ADV = frozenset({"maybe", "perhaps", "possibly", "probably", "potentially", "someday", "eventually"})
_HEDGE_HEADS = frozenset({"think", "consider", "wonder", "dream", "toy", "debate", "weigh", "contemplate"})
_INTENT_HEADS = frozenset(
    {"want", "hope", "plan", "intend", "wish", "aim", "aspire", "like", "love", "tempt", "apply", "expect"}
)


@dataclass(slots=True)
class _Claim:
    subject: Ref
    predicate: str
    object: Ref
    ends: bool = False
    owner_fix: bool = False  # a possessed noun: the patterns may have attached the value to the noun
    span: frozenset[int] = frozenset()  # tokens of the value: other readings of them are dropped


def refine_slots(sent: Span, resolver: Resolver, raws: list[RawFact]) -> list[RawFact]:
    """The sentence's facts with slot paraphrases mapped onto canonical functional predicates.

    ``raws`` are what the clause patterns read from ``sent``; the result keeps their order, fixes
    the facts a slot frame recognises and adds the facts a frame found that the patterns missed.
    """
    if is_question(sent):
        return raws
    out = [r for r in raws if not _noise(r)]
    for raw in out:
        _remap(raw)
    for claim in _claims(sent, resolver):
        _merge(out, claim, sent)
    return out


# --- fixes of what the patterns produced -------------------------------------------------------------


def _noise(raw: RawFact) -> bool:
    """ "working for Siemens at the moment": the moment is not an employer."""
    tok = raw.object.token
    return (
        not raw.link
        and raw.predicate in ("works_at", "lives_in", "studies_at")
        and tok is not None
        and tok.lemma_.lower() in _TIME_NOUNS
    )


def _person_like(ref: Ref) -> bool:
    return ref.role in ("speaker", "addressee") or ref.type == "person"


def _remap(raw: RawFact) -> None:
    """A person "located at / in" a place lives there ("I'm based in Porto", "not in Vienna any more")."""
    if raw.link or raw.predicate not in ("located_at", "located_in"):
        return
    if _person_like(raw.subject) and raw.object.type == "place":
        raw.predicate = "lives_in"


# --- frames on the parse -----------------------------------------------------------------------------


def _kind(ref: Ref | None, sent: Span) -> str:
    """residence / employer / school / person / other: what slot an object can fill."""
    if ref is None:
        return "other"
    if ref.type == "place":
        return "place"
    if ref.type == "person":
        return "person"
    words = {t.lower_ for t in sent}
    name_words = {w.lower() for w in ref.name.split()}
    if name_words & _SCHOOL_WORDS or (words & _STUDY_WORDS and not words & _WORK_WORDS):
        return "school"
    if ref.type in ("organization", "group") or (ref.token is not None and ref.token.pos_ == "PROPN"):
        return "org"
    return "other"


def _preps(verb: Token) -> list[tuple[str, Token]]:
    """(preposition, object) pairs of a verb, including "out of", "away from", "on the payroll at"."""
    found: list[tuple[str, Token]] = []
    stack = [c for c in verb.children if c.dep_ in ("prep", "prt", "advmod", "agent", "dative")]
    while stack:
        node = stack.pop(0)
        for child in node.children:
            if child.dep_ == "pobj":
                found.append((node.lower_, child))
                stack.extend(g for g in child.children if g.dep_ == "prep")  # "on the payroll at X"
            elif child.dep_ == "prep":
                stack.append(child)
    return found


def _subject(verb: Token, resolver: Resolver) -> Ref | None:
    node: Token | None = verb
    for _ in range(4):
        assert node is not None
        subj = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            return _named(subj, resolver)
        if node.dep_ not in ("xcomp", "pcomp", "conj", "advcl", "relcl", "acl") or node.head is node:
            return None
        node = node.head
        if node.dep_ == "prep":  # "thinking about moving": about -> thinking
            node = node.head
        if node.dep_ in ("pobj", "dobj"):  # "the idea of moving": idea -> toying
            node = node.head.head if node.head.dep_ == "prep" else node.head
    return None


def _named(tok: Token, resolver: Resolver) -> Ref | None:
    """The resolver's reference, but a person named in the text keeps the name: in "Felix, my brother,
    is based in Zurich" the fact is about Felix, not about an unnamed "Victor's brother"."""
    ref = resolver.ref(tok)
    if ref is None or tok.pos_ != "PROPN" or ref.role in ("speaker", "addressee"):
        return ref
    name = resolver.proper_name(tok)
    if name and entity_key(name) not in entity_key(ref.name) and "'s " in ref.name:
        return Ref(name, "person", tok)
    return ref


def _obj(tok: Token, resolver: Resolver) -> Ref | None:
    ref = resolver.ref(tok, as_object=True)
    if ref is None or not ref.name.strip():
        return None
    return ref


def _claims(sent: Span, resolver: Resolver) -> Iterable[_Claim]:
    for tok in sent:
        if tok.pos_ in ("VERB", "AUX"):
            yield from _verb_frames(tok, sent, resolver)
        if tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in _POSSESSED:
            claim = _possessed(tok, resolver)
            if claim is not None:
                yield claim


def _verb_frames(verb: Token, sent: Span, resolver: Resolver) -> Iterable[_Claim]:
    lemma = verb.lemma_.lower()
    subject = _subject(verb, resolver)
    if subject is None or subject.literal:
        return
    preps = _preps(verb)
    particles = {
        c.lower_
        for c in verb.children
        if c.dep_ in ("prt", "advmod") or (c.dep_ == "prep" and not any(g.dep_ == "pobj" for g in c.children))
    }  # "moved out of X": "out" is a particle even where the parser calls it a preposition
    dobj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    by_prep: dict[str, Token] = {}
    for prep, pobj in preps:
        by_prep.setdefault(prep, pobj)

    def obj(tok: Token | None) -> tuple[Ref | None, str]:
        ref = _obj(tok, resolver) if tok is not None else None
        return ref, _kind(ref, sent)

    # residence: "reside in", "be based in", "settle in", "stay in"
    if lemma in _RESIDE and lemma != "locate":
        for prep in ("in", "at"):
            ref, kind = obj(by_prep.get(prep))
            if ref is not None and kind == "place":
                yield _Claim(subject, "lives_in", ref)
    # "move out of X", "move away from X": the residence ends
    if lemma in ("move", "relocate") and ("out" in particles or "away" in particles or "out" in by_prep):
        ref, kind = obj(by_prep.get("of") or by_prep.get("from"))
        if ref is not None and kind == "place":
            yield _Claim(subject, "lives_in", ref, ends=True)
    # "move / relocate / switch / transfer / jump (from Y) to X": the slot depends on what X is
    if lemma in _RELOCATE and "to" in by_prep and not ("out" in particles or "away" in particles):
        target, kind = obj(by_prep["to"])
        source, source_kind = obj(by_prep.get("from"))
        predicate = {"place": "lives_in", "org": "works_at", "school": "studies_at"}.get(kind)
        if kind == "org" and lemma in _RESIDE_MOVES:
            # "moved to Lyon" is a home, even where the recogniser calls Lyon a company; only "moved
            # from X to Y for work / for a job" is a job change
            predicate = "works_at" if {t.lower_ for t in sent} & _WORK_WORDS else "lives_in"
        if lemma in ("switch", "jump", "transfer") and kind == "place":
            predicate = None  # "transferred to the Lisbon office" says nothing about a home
        if target is not None and predicate is not None:
            yield _Claim(subject, predicate, target)
            if source is not None and source_kind == kind:
                yield _Claim(subject, predicate, source, ends=True)
    # "make the move to X"
    if lemma == "make" and dobj is not None and dobj.lemma_.lower() in ("move", "switch", "jump"):
        for prep, pobj in _preps(dobj):
            ref, kind = obj(pobj)
            if prep == "to" and ref is not None and kind == "place":
                yield _Claim(subject, "lives_in", ref)
    # "call X home"
    home = next((c for c in verb.children if c.lower_ == "home"), None)
    if lemma == "call" and home is not None:
        # "I call Lisbon home"; the parser often makes "Lisbon home" one noun phrase
        named = [c for c in verb.children if c.dep_ == "dobj" and c is not home]
        named += [c for c in home.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
        for tok in named[:1]:
            ref, kind = obj(tok)
            if ref is not None and kind in ("place", "org"):
                name = ref.name[: -len(" home")] if ref.name.lower().endswith(" home") else ref.name
                yield _Claim(subject, "lives_in", Ref(name, "place", tok))
    # "rent / have / get / buy a flat in X (where I live)"
    homes = _HOME_NOUNS - {"address", "base"}
    home_noun = dobj is not None and dobj.lemma_.lower() in homes
    # "a flat in X" (the preposition may hang on the verb): X is a town whatever the recogniser says
    home_places = [
        ref
        for prep, pobj in (_preps(dobj) if dobj is not None else []) + preps
        if prep in ("in", "at") and (ref := obj(pobj)[0]) is not None and obj(pobj)[1] in ("place", "org")
    ]
    if lemma in ("rent", "have", "get", "own", "share") and home_noun:
        for ref in home_places:
            yield _Claim(subject, "lives_in", ref)
    # "give up my flat in X", "leave X" (a place): the residence ends
    if lemma in ("leave", "give", "vacate", "quit") and dobj is not None:
        ref, kind = obj(dobj)
        if ref is not None and kind == "place" and lemma != "give":
            yield _Claim(subject, "lives_in", ref, ends=True)
        if home_noun and (lemma != "give" or "up" in particles):
            for ref in home_places:
                yield _Claim(subject, "lives_in", ref, ends=True)
    # employer
    yield from _work_frames(verb, lemma, subject, by_prep, dobj, particles, obj)
    # partner: "dating X", "seeing X", "going out with X", "break up with X"
    if lemma in _DATE_VERBS and dobj is not None and (lemma != "see" or verb.tag_ == "VBG"):
        ref, kind = obj(dobj)
        if ref is not None and kind == "person":
            yield _Claim(subject, "partner", ref)
    if lemma == "go" and "out" in particles:
        ref, kind = obj(by_prep.get("with"))
        if ref is not None and kind == "person":
            yield _Claim(subject, "partner", ref)
    if lemma in ("break", "split", "separate") and ("up" in particles or lemma != "break"):
        ref, kind = obj(by_prep.get("with") or by_prep.get("from"))
        if ref is not None and kind == "person":
            yield _Claim(subject, "partner", ref, ends=True)
    if lemma == "ask" and "out" in particles and dobj is not None and _hedged(verb):
        ref, kind = obj(dobj)
        if ref is not None and kind == "person":
            yield _Claim(subject, "partner", ref)
    # school
    if lemma in ("enrol", "enroll", "attend") or (lemma == "be" and verb.dep_ != "aux"):
        for prep in ("at", "in"):
            ref, kind = obj(by_prep.get(prep))
            if ref is not None and kind == "school" and lemma != "be":
                yield _Claim(subject, "studies_at", ref)
        if lemma == "attend" and dobj is not None:
            ref, kind = obj(dobj)
            if ref is not None and kind in ("school", "org"):
                yield _Claim(subject, "studies_at", ref)
    if lemma == "drop" and "out" in particles:
        ref, kind = obj(by_prep.get("of"))
        if ref is not None and kind in ("school", "org"):
            yield _Claim(subject, "studies_at", ref, ends=True)
    if lemma == "do" and dobj is not None and dobj.lemma_.lower().rstrip("'s") in _STUDY_NOUNS:
        ref, kind = obj(
            next((p for prep, p in _preps(dobj) if prep in ("at", "in")), None) or by_prep.get("at")
        )
        if ref is not None and kind in ("school", "org"):
            yield _Claim(subject, "studies_at", ref)
    # role: "retrain as a surveyor", "train as a nurse"
    if lemma in _TRAIN and "as" in by_prep and lemma not in ("work", "start", "begin", "serve"):
        job = by_prep["as"]
        ref = _obj(job, resolver)
        if ref is not None:
            yield _Claim(subject, "job_title", Ref(job.lemma_.lower(), "concept", job, literal=True))


def _work_frames(
    verb: Token,
    lemma: str,
    subject: Ref,
    by_prep: dict[str, Token],
    dobj: Token | None,
    particles: set[str],
    obj: Callable[[Token | None], tuple[Ref | None, str]],
) -> Iterator[_Claim]:
    """Employment frames: "earn a living at", "do marketing for", "be on the payroll at", "got hired by",
    "be an engineer at", "be with X now", "resign from", "walk out of my job at", "quit my job at"."""
    if lemma == "earn" and dobj is not None and dobj.lemma_.lower() in ("living", "wage", "salary"):
        for prep in ("at", "with", "for"):
            ref, kind = obj(by_prep.get(prep) or _noun_prep(dobj, prep))
            if ref is not None and kind in _ANY_EMPLOYER:
                yield _Claim(subject, "works_at", ref)
    if lemma == "do" and dobj is not None:
        ref, kind = obj(by_prep.get("for") or _noun_prep(dobj, "for"))
        if ref is not None and kind == "org":
            yield _Claim(subject, "works_at", ref)
    if lemma in _TRADE_VERBS and any(c.dep_ == "aux" and c.lemma_ == "do" for c in verb.children):
        ref, kind = obj(by_prep.get("for"))  # "I do marketing for X" (parsed as the verb "market")
        if ref is not None and ref.type == "organization":
            yield _Claim(subject, "works_at", ref)
    if lemma == "hire" and "by" in by_prep:
        ref, kind = obj(by_prep["by"])
        if ref is not None and kind in ("org", "person"):
            yield _Claim(subject, "works_at", ref)
    taking = lemma in ("take", "land", "accept", "start", "get", "have", "find") and dobj is not None
    if taking and dobj is not None and (dobj.lemma_.lower() in _JOB_NOUNS or dobj.lemma_.lower() == "offer"):
        offer = dobj.lemma_.lower() == "offer"
        for prep in ("at", "with", "for", "from") if offer else ("at", "with", "for"):
            ref, kind = obj(_noun_prep(dobj, prep) or by_prep.get(prep))
            if ref is not None and kind in _ANY_EMPLOYER:  # "a job at X" names an employer
                yield _Claim(subject, "works_at", ref)
    if lemma == "be" and verb.dep_ != "aux":
        attr = next((c for c in verb.children if c.dep_ in ("attr", "acomp")), None)
        places = list(by_prep.items())
        if attr is not None:
            places += [(p, o) for p, o in _preps_of(attr)]
        for prep, pobj in places:
            ref, kind = obj(pobj)
            if ref is None:
                continue
            employer = kind == "org" and (prep != "with" or ref.type == "organization")
            timely = attr is not None and attr.lemma_.lower() in _TIME_NOUNS
            if (
                prep in ("at", "for", "with")
                and employer
                and (attr is not None or prep != "for")
                and not timely
            ):
                yield _Claim(subject, "works_at", ref)
            if prep == "with" and attr is None and kind in ("person", "org") and ref.type != "organization":
                yield _Claim(subject, "partner", ref)
            if prep in ("at", "in") and kind == "school" and attr is not None:
                yield _Claim(subject, "studies_at", ref)
    if lemma in _QUIT or (lemma == "walk" and "out" in particles) or lemma in ("lay", "let", "fire", "sack"):
        targets = [(by_prep.get(p), lemma in _EMPLOYER_ONLY) for p in ("from", "of", "at", "by")]
        if dobj is not None and dobj.lemma_.lower() in _JOB_NOUNS:
            targets.append((_noun_prep(dobj, "at") or _noun_prep(dobj, "with"), True))
        elif dobj is not None:
            targets.append((dobj, False))
        out_of = by_prep.get("of")
        if lemma == "walk" and out_of is not None and out_of.lemma_.lower() in _JOB_NOUNS:
            where = _noun_prep(out_of, "at") or _noun_prep(out_of, "with") or by_prep.get("at")
            targets.append((where, True))
        for tok, employer_only in targets:
            ref, kind = obj(tok)
            if ref is not None and (
                kind == "org" or (employer_only and ref.role not in ("speaker", "addressee"))
            ):
                yield _Claim(subject, "works_at", ref, ends=True)


def _noun_prep(noun: Token, prep: str) -> Token | None:
    return next((o for p, o in _preps_of(noun) if p == prep), None)


def _preps_of(noun: Token) -> list[tuple[str, Token]]:
    found = []
    for child in noun.children:
        if child.dep_ == "prep":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    found.append((child.lower_, grand))
    return found


def _possessed(noun: Token, resolver: Resolver) -> _Claim | None:
    """ "my home is in X", "Nadia's employer is X", "home for Ivan is X", "Rex is my dog"."""
    predicate = _POSSESSED[noun.lemma_.lower()]
    owner_tok = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner_tok is None and noun.lemma_.lower() == "home":
        owner_tok = next((o for p, o in _preps_of(noun) if p == "for"), None)
    if owner_tok is None:
        return None
    owner = _named(owner_tok, resolver)
    if owner is None or owner.literal:
        return None
    anchor = noun.head if noun.dep_ == "appos" else noun  # "My son Pedro's car is ...": car is an appos
    verb = anchor.head
    if verb.lemma_.lower() != "be":
        return None
    value_tok: Token | None = None
    if anchor.dep_ == "nsubj":
        value_tok = next((c for c in verb.children if c.dep_ in ("attr", "acomp", "oprd")), None)
        if value_tok is None:
            value_tok = next((o for p, o in _preps(verb) if p in ("in", "at", "with")), None)
    elif anchor.dep_ == "attr":
        value_tok = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if value_tok is None or value_tok.lemma_.lower() in _POSSESSED:
        return None
    if predicate in _LITERAL:
        text = "".join(t.text_with_ws for t in value_tok.subtree).strip()
        value = Ref(text, "concept", value_tok, literal=True)
    else:
        found = _obj(value_tok, resolver)
        if found is None:
            return None
        value = found
        if predicate == "lives_in" and value.type not in ("place", "concept"):
            return None
    return _Claim(owner, predicate, value, owner_fix=True, span=frozenset(t.i for t in value_tok.subtree))


# --- stance of added facts ---------------------------------------------------------------------------


def _hedged(verb: Token) -> bool:
    return _stance(verb)[1] is not Modality.asserted


def _stance(verb: Token) -> tuple[bool, Modality, bool]:
    """(negated, modality, ended) read from the verb and the chain of verbs above it."""
    negated = ended = anymore = False
    modality = Modality.asserted
    node: Token | None = verb
    for depth in range(5):
        assert node is not None
        for c in node.children:
            word = c.lower_
            if c.dep_ == "neg" or (c.dep_ == "advmod" and word == "never"):
                negated = depth == 0 or negated
            elif word == "longer" and any(g.lower_ == "no" for g in c.children):
                negated = ended = True
            elif word == "anymore" or (word == "more" and c.i > 0 and c.doc[c.i - 1].lower_ == "any"):
                anymore = True
            elif c.dep_ == "aux" and (c.lemma_.lower() in _HEDGE_AUX or word == "'d"):
                modality = Modality.hypothetical
            elif c.dep_ == "aux" and (c.lemma_.lower() in ("will", "shall") or word == "'ll"):
                modality = Modality.intent if modality is Modality.asserted else modality
            elif (c.dep_ in ("advmod", "npadvmod") and word in _HEDGE_ADV) or (
                c.dep_ == "mark" and word in ("if", "unless", "whether")
            ):
                modality = Modality.hypothetical
        lemma = node.lemma_.lower()
        if depth > 0 and lemma in _HEDGE_HEADS:
            modality = Modality.hypothetical
        elif depth > 0 and lemma in _INTENT_HEADS and modality is Modality.asserted:
            modality = Modality.intent
        if depth > 0 and lemma in ("stop", "quit") and node is not verb:
            negated = ended = True
        if node.dep_ not in _CHAIN_DEPS or node.head is node:
            break
        node = node.head
    if anymore and negated:
        ended = True
    if any(t.lower_ in ("someday", "maybe", "perhaps") for t in verb.sent):
        modality = Modality.hypothetical
    return negated, modality, ended


# --- merging -----------------------------------------------------------------------------------------


def _merge(out: list[RawFact], claim: _Claim, sent: Span) -> None:
    subject_key, object_key = entity_key(claim.subject.name), entity_key(claim.object.name)
    if not subject_key or not object_key or subject_key == object_key:
        return
    same_object = [r for r in out if not r.link and entity_key(r.object.name) == object_key]
    if claim.owner_fix:
        # the patterns attached the value to the noun or to a role ("home located_at X", "son Renault")
        misread = [
            r
            for r in out
            if entity_key(r.object.name) == object_key
            or (r.object.token is not None and r.object.token.i in claim.span)
        ]
        for raw in misread:
            if entity_key(raw.subject.name) != subject_key or raw.predicate != claim.predicate:
                out.remove(raw)
        same_object = [r for r in out if entity_key(r.object.name) == object_key]
    matched = [r for r in same_object if entity_key(r.subject.name) == subject_key]
    if matched:
        for raw in matched:
            if raw.predicate != claim.predicate:
                raw.predicate = claim.predicate
                raw.phrase = raw.phrase or claim.predicate
            if claim.ends and raw.polarity:
                raw.ended, raw.polarity = True, False
        return
    verb = claim.object.token.head if claim.object.token is not None else sent.root
    while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb:
        verb = verb.head
    negated, modality, ended = _stance(verb)
    fact = RawFact(
        claim.subject,
        claim.object,
        claim.predicate,
        claim.predicate.replace("_", " "),
        polarity=not (negated or ended or claim.ends),
        modality=modality,
        ended=ended or claim.ends,
    )
    out.append(fact)
