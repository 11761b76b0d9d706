"""Active-verb patterns: state changes (moved to -> lives_in, joined -> works_at, married -> spouse,
adopted -> has_pet), liking and activities ("I love to paint"), subject-verb-object and
verb + preposition triples, with the object decided by the verb ("went to Paris" -> visited).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphmem.extract.clause_words import (
    _ACQUIRE,
    _DIRECTIONAL,
    _EMPLOYING,
    _GENERIC_PREPS,
    _JOB_NOUNS,
    _LIKING,
    _LOCATIVE_PREPS,
    _MOTION_VERBS,
    _NON_ARGUMENT_PREPS,
    _PLACING_VERBS,
    _lemma,
    gerund,
)
from graphmem.extract.lexicon import ROLE_NOUNS, canonical_predicate
from graphmem.extract.reader import ReaderBase, _Cues
from graphmem.extract.refs import Ref
from graphmem.extract.temporal import parse_number
from graphmem.extract.words import (
    CLUB_NOUNS,
    EVENT_NOUNS,
    NON_ENTITY_WORDS,
    ORG_NOUNS,
    STOP_VERBS,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["ActivePatterns"]


class ActivePatterns(ReaderBase):
    """Reads clauses whose head is an active verb."""

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
        if activity is None and lemma == "go":  # "we went camping": the gerund parsed as a clause
            activity = next((c for c in verb.children if c.dep_ == "advcl" and c.tag_ == "VBG"), None)
            activity = activity if activity is not None and activity.i == verb.i + 1 else None
        if lemma == "go" and activity is None:
            outing = next((o for p, o in preps if p.lower_ in ("for", "on") and o.pos_ == "NOUN"), None)
            if outing is not None and self._kind(outing) in ("concept", "event", "object"):
                # "went for a jog", "going on a road trip": an outing, done with its companions
                self._did(Ref(self.r.common_name(outing), "event", outing), preps, subjects, "go")
        if lemma == "go" and activity is not None:  # "went camping at Lake Tahoe"
            name = activity.lower_ if activity.lower_.endswith("ing") else gerund(activity)
            self._did(Ref(name, "concept", activity), self._preps(activity) + preps, subjects, "go")
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

    def _did(self, activity: Ref, preps: list[tuple[Token, Token]], subjects: list[Ref], phrase: str) -> None:
        """An activity done (``did_activity``), by the subjects and the people they did it with
        ("went camping with my family": the speaker and the speaker's family)."""
        companions = [
            ref
            for prep, obj in preps
            if prep.lower_ == "with"
            for ref in self._objects(obj)[0]
            if ref.type in ("person", "group") or obj.lower_ in ROLE_NOUNS
        ]
        for doer in [*subjects, *companions]:
            self._add(doer, "did_activity", activity, f"{phrase} {activity.name}")

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
