"""Query analysis with spaCy: what a question names, asks for, over which relations and at what time.

Everything the planner decides (which entities to seed, how deep to go, whether to traverse old
facts) starts from this analysis, so it is kept small, deterministic and explainable: each field is
filled by a rule that can be named in the plan's reasons.

* **mentions**: named entities and proper nouns (strong) and noun chunks (weak concepts), each with the
  normalised key the store looks entities up by; "I / my / me" is the asking user.
* **relations**: words mapped to canonical predicates through the extractor's lexicon
  (``graphmem.extract.lexicon.PREDICATE_WORDS`` and ``canonical_predicate``), e.g. "sister" -> sister,
  "live" -> lives_in, "married" -> spouse.
* **answer type** from the question word: who -> person, where -> place, when -> time, how many ->
  quantity, yes/no questions ...
* **temporal intent**: ``current`` (default), ``historical`` ("used to", "before", "previously", past
  tense of a state) or ``as_of`` a date named in the question ("in 2022", "in March 2023").
* **hop estimate** (1-3): possessive chains ("Maria's sister's husband" = 2 relations before the asked
  one), "X of the Y of Z" chains and relative clauses each add a hop.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from graphmem import limits
from graphmem.errors import InvalidInput
from graphmem.extract.temporal import parse_time, representative
from graphmem.model import entity_key

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "AnswerType",
    "QueryAnalysis",
    "QueryMention",
    "RelationCue",
    "TemporalIntent",
    "analyze_query",
    "mask_mentions",
]

AnswerType = Literal["person", "place", "time", "quantity", "reason", "manner", "thing", "yesno", "unknown"]
TemporalIntent = Literal["current", "historical", "as_of"]

MAX_QUERY_CHARS = limits.MAX_QUERY_CHARS

_WH_ANSWER: dict[str, AnswerType] = {
    "who": "person",
    "whom": "person",
    "whose": "person",
    "where": "place",
    "when": "time",
    "why": "reason",
    "how": "manner",
    "what": "thing",
    "which": "thing",
}
_HOW_QUANTITY = frozenset({"many", "much", "old", "long", "often", "far", "big", "tall"})
_WHAT_TIME = frozenset({"time", "year", "date", "day", "month", "age"})
_PERSON_NOUNS = frozenset({"person", "man", "woman", "guy", "girl", "boy", "people", "friend"})
_PLACE_NOUNS = frozenset({"city", "country", "place", "town", "state", "location"})
_HISTORICAL_CUES = frozenset(
    {
        "before",
        "previously",
        "formerly",
        "originally",
        "earlier",
        "past",
        "ever",
        "prior",
        "history",
        "former",
    }
)
_CURRENT_CUES = frozenset({"now", "currently", "today", "still", "presently", "nowadays", "current"})
_STATE_PREDICATES = frozenset(
    {
        "lives_in",
        "works_at",
        "job_title",
        "studies_at",
        "spouse",
        "partner",
        "husband",
        "wife",
        "relationship_status",
        "member_of",
        "located_at",
        "located_in",
        "age",
        "drives",
        "owns",
        "has_pet",
    }
)
_NAME_LABELS = frozenset(
    {"PERSON", "GPE", "LOC", "ORG", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LANGUAGE", "LAW"}
)
_TIME_LABELS = frozenset({"DATE", "TIME"})
_FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself"})
_KEEP_STOP = frozenset({"from"})
_WH_WORDS = frozenset(_WH_ANSWER)


class QueryMention(BaseModel):
    """A span of the query that may name a stored entity."""

    model_config = ConfigDict(extra="forbid")

    text: str
    key: str
    kind: Literal["name", "concept", "self"]
    label: str = ""
    start: int = 0
    end: int = 0


class RelationCue(BaseModel):
    """A word of the query that points to one or more canonical predicates."""

    model_config = ConfigDict(extra="forbid")

    word: str
    predicates: list[str]
    role: Literal["possessive", "of_chain", "verb", "noun", "other"] = "other"
    target: bool = True
    """True for the relation the question asks for ("live" in "Where does Maria's sister live?"),
    False for the relations that only lead there ("sister")."""


class QueryAnalysis(BaseModel):
    """What the planner knows about a query before touching the store."""

    model_config = ConfigDict(extra="forbid")

    query: str
    mentions: list[QueryMention] = Field(default_factory=list)
    relations: list[RelationCue] = Field(default_factory=list)
    predicates: list[str] = Field(default_factory=list)
    target_predicates: list[str] = Field(default_factory=list)
    answer_type: AnswerType = "unknown"
    wh_word: str | None = None
    temporal: TemporalIntent = "current"
    as_of: datetime | None = None
    time_text: str | None = None
    hops: int = 1
    keywords: list[str] = Field(default_factory=list)
    first_person: bool = False
    answer_many: bool = False
    """The question asks for a list ("What books has Melanie read?", "Which events ..."): its answers
    are spread over several episodes rather than sitting in one turn and its reply."""
    reasons: dict[str, str] = Field(default_factory=dict)

    @property
    def names(self) -> list[QueryMention]:
        """Strong mentions (named things and the asking user), in query order."""
        return [m for m in self.mentions if m.kind in ("name", "self")]


@cache
def _word_predicates() -> dict[str, tuple[str, ...]]:
    """Inverted lexicon: question word -> canonical predicates (most specific first)."""
    from graphmem.extract.lexicon import PREDICATE_WORDS

    inverted: dict[str, list[str]] = {}
    for predicate, words in PREDICATE_WORDS.items():
        for word in words:
            inverted.setdefault(word.lower(), []).append(predicate)
    # a word naming one predicate only is more telling; keep that order stable and specific first
    return {
        word: tuple(sorted(preds, key=lambda p: (len(preds) > 1 and p.startswith("favourite_"), p)))
        for word, preds in inverted.items()
    }


def _relation_predicates(token: Token) -> list[str]:
    from graphmem.extract.lexicon import canonical_predicate

    lookup = _word_predicates()
    found: list[str] = []
    for form in (token.lower_, token.lemma_.lower()):
        found.extend(lookup.get(form, ()))
    if token.pos_ in ("VERB", "AUX", "NOUN", "ADJ"):
        prep = next((c for c in token.children if c.dep_ == "prep"), None)
        if prep is not None:
            phrase = canonical_predicate(f"{token.lemma_} {prep.lower_}")
            if phrase:
                found.insert(0, phrase)
        single = canonical_predicate(token.lemma_)
        if single and single not in ("has_property", "is_a", "has"):
            found.append(single)
    return list(dict.fromkeys(found))


_MANY_WORDS = frozenset({"both", "ways", "kinds", "types", "things", "times", "all"})


def _answer_many(doc: Doc) -> tuple[bool, str]:
    """A list question: a plural noun right after what/which, or a word like "both", "ways", "kinds"."""
    words = [t for t in doc if not t.is_punct]
    for i, token in enumerate(words[:4]):
        if token.lower_ in ("what", "which"):
            plural = next((u for u in words[i + 1 : i + 3] if u.tag_ in ("NNS", "NNPS")), None)
            if plural is not None:
                return True, f"'{token.text} {plural.text}' asks for several things"
    cue = next((t for t in words if t.lower_ in _MANY_WORDS), None)
    if cue is not None:
        return True, f"'{cue.text}' asks for several things"
    return False, "one answer expected"


def _answer_type(doc: Doc) -> tuple[AnswerType, str | None, str]:
    words = [t for t in doc if not t.is_punct]
    if not words:
        return "unknown", None, "empty query"
    for i, token in enumerate(words[:6]):
        lower = token.lower_
        if lower not in _WH_WORDS:
            continue
        nxt = words[i + 1].lower_ if i + 1 < len(words) else ""
        if lower == "how" and nxt in _HOW_QUANTITY:
            kind: AnswerType = "time" if nxt == "long" and "ago" in doc.text.lower() else "quantity"
            return kind, lower, f"'how {nxt}' asks for a quantity"
        if lower in ("what", "which") and nxt in _WHAT_TIME:
            return "time", lower, f"'{lower} {nxt}' asks for a time"
        if lower in ("what", "which") and nxt in _PERSON_NOUNS:
            return "person", lower, f"'{lower} {nxt}' asks for a person"
        if lower in ("what", "which") and nxt in _PLACE_NOUNS:
            return "place", lower, f"'{lower} {nxt}' asks for a place"
        return _WH_ANSWER[lower], lower, f"question word '{lower}'"
    if words[0].pos_ == "AUX" or words[0].lower_ in (
        "do",
        "does",
        "did",
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "can",
        "could",
        "will",
        "would",
    ):
        return "yesno", None, f"starts with the auxiliary '{words[0].text}': a yes/no question"
    return "unknown", None, "no question word"


def _mentions(doc: Doc) -> list[QueryMention]:
    out: list[QueryMention] = []
    covered: set[int] = set()

    def add(span: Span, kind: Literal["name", "concept"], label: str) -> None:
        tokens = [t for t in span if t.tag_ != "POS" and t.dep_ != "case" and t.lower_ not in _WH_WORDS]
        while tokens and (tokens[0].is_stop or tokens[0].pos_ in ("DET", "PRON")):
            tokens = tokens[1:]
        if not tokens:
            return
        text = doc[tokens[0].i : tokens[-1].i + 1].text
        key = entity_key(text)
        if not key or any(m.key == key for m in out):
            return
        out.append(
            QueryMention(
                text=text,
                key=key,
                kind=kind,
                label=label,
                start=tokens[0].idx,
                end=tokens[-1].idx + len(tokens[-1]),
            )
        )
        covered.update(t.i for t in tokens)

    for ent in doc.ents:
        if ent.label_ in _NAME_LABELS:
            add(ent, "name", ent.label_)
    run: list[Token] = []
    for token in [*doc, None]:
        if token is not None and token.pos_ == "PROPN" and token.i not in covered and token.tag_ != "POS":
            run.append(token)
            continue
        if run:
            add(doc[run[0].i : run[-1].i + 1], "name", "PROPN")
            run = []
    for token in doc:
        if token.lower_ in _FIRST_PERSON and not any(m.kind == "self" for m in out):
            out.append(
                QueryMention(
                    text=token.text,
                    key="user",
                    kind="self",
                    label="PRON",
                    start=token.idx,
                    end=token.idx + len(token),
                )
            )
    for chunk in doc.noun_chunks:
        inner = [t for t in chunk if t.i not in covered]
        if not inner or chunk.root.pos_ == "PRON" or chunk.root.lower_ in _WH_WORDS:
            continue
        # "Maria's sister": the possessor is a name already; the rest ("sister") is a concept
        start = max((t.i for t in chunk if t.dep_ == "case"), default=chunk.start - 1) + 1
        add(doc[max(start, chunk.start) : chunk.end], "concept", "NOUN")
    return out


def _verb_like(token: Token) -> bool:
    # the small model often tags the final verb of "Where does X work?" as a NOUN; as ROOT it is the verb
    return token.pos_ in ("VERB", "AUX") or token.dep_ == "ROOT"


_PERSONAL = frozenset({"works_at", "studies_at", "grew_up_in", "job_title"})
"""Predicates only a person has; a cue about a thing's subject drops them (``lives_in`` becomes
``located_in``)."""


def _subject_is_thing(token: Token) -> bool:
    """Whether the subject of a verb cue is a common noun that is not a person ("the company").

    The subject is the verb's own ``nsubj``/``nsubjpass``, the noun a participle modifies ("a museum
    based in Lyon"), else that of the verb it is coordinated with ("was published ... and is based
    where?"). A name, a pronoun or a role noun is not a thing.
    """
    from graphmem.extract.lexicon import ROLE_NOUNS

    if token.pos_ not in ("VERB", "AUX"):
        return False
    verb: Token | None = token
    for _ in range(3):
        if verb is None:
            break
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None and verb.dep_ in ("acl", "amod"):
            subject = verb.head  # "a museum based in Lyon": the participle describes its noun
        if subject is not None:
            return (
                subject.pos_ == "NOUN"
                and subject.ent_type_ not in ("PERSON", "NORP")
                and subject.lemma_.lower() not in ROLE_NOUNS
                and subject.lower_ not in ("people", "person", "man", "woman", "boy", "girl")
            )
        verb = verb.head if verb.dep_ in ("conj", "xcomp", "ccomp") and verb.head is not verb else None
    return False


def _relations(doc: Doc) -> list[RelationCue]:
    found: list[tuple[Token, RelationCue]] = []
    for token in doc:
        if token.is_punct or token.lower_ in _WH_WORDS:
            continue
        if token.is_stop and token.lower_ not in _KEEP_STOP:
            continue
        if token.lower_ == "from" and not any(t.lemma_ == "be" for t in doc):
            continue
        if token.lemma_ == "use" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            continue  # "used to" is a time cue, not the predicate "uses"
        if token.dep_ == "prep" and token.tag_ == "VBG":
            continue  # "including X", "following Y": a preposition introducing examples, not a relation
        predicates = _relation_predicates(token)
        if predicates and _subject_is_thing(token):
            # "Where is the company based?": residence and employment are said of people; of a
            # thing the same words ask where it is
            kept = ("located_in" if p == "lives_in" else p for p in predicates if p not in _PERSONAL)
            predicates = list(dict.fromkeys(kept))
        if not predicates:
            continue
        role: Literal["possessive", "of_chain", "verb", "noun", "other"] = "other"
        if any(c.dep_ == "poss" for c in token.children) or any(c.tag_ == "POS" for c in token.children):
            role = "possessive"
        elif (token.dep_ == "pobj" and token.head.lower_ == "of") or any(
            c.dep_ == "prep" and c.lower_ == "of" for c in token.children
        ):
            role = "of_chain"
        elif token.pos_ in ("VERB", "AUX"):
            role = "verb"
        elif token.pos_ == "NOUN":
            role = "noun"
        found.append((token, RelationCue(word=token.text, predicates=predicates, role=role)))
    # The asked relation is the verb ("live"); without one, the outermost noun of the chain
    # ("husband" in "the husband of the sister of Maria", "Who is Maria's husband?").
    has_verb = any(_verb_like(token) for token, _ in found)
    for token, cue in found:
        if _verb_like(token):
            cue.target = True
        elif has_verb:
            cue.target = False
        else:
            cue.target = not (token.dep_ == "poss" or (token.dep_ == "pobj" and token.head.lower_ == "of"))
    return [cue for _, cue in found]


def _hops(doc: Doc, relations: list[RelationCue]) -> tuple[int, str]:
    # "Maria's sister": Maria is the ``poss`` child of the relation noun it owns
    possessive = sum(1 for t in doc if t.dep_ == "poss" and any(cue.word == t.head.text for cue in relations))
    of_chain = sum(
        1
        for t in doc
        if t.lower_ == "of" and t.head.pos_ == "NOUN" and any(cue.word == t.head.text for cue in relations)
    )
    relative = sum(1 for t in doc if t.dep_ in ("relcl", "acl") and t.head.pos_ in ("NOUN", "PROPN"))
    structural = 1 + possessive + of_chain + relative
    # "Who is the husband of the sister of Maria?": the chain nouns are the hops, the copula adds none
    if of_chain and not possessive and not relative:
        structural = of_chain
    hops = max(1, min(3, structural))
    parts = []
    if possessive:
        parts.append(f"{possessive} possessive relation(s)")
    if of_chain:
        parts.append(f"{of_chain} 'X of Y' link(s)")
    if relative:
        parts.append(f"{relative} relative clause(s)")
    reason = ", ".join(parts) if parts else "no possessive chain, 'of' chain or relative clause"
    return hops, f"{hops} hop(s): {reason}"


def _parse_time(text: str, now: datetime) -> datetime | None:
    """The instant a question's time expression stands for, resolved against ``now`` by the same
    module the write path resolves statements with (graphmem.extract.temporal): "3 months ago" is
    the same calendar date when a fact is stored and when a question asks about it."""
    point = parse_time(text, now)
    return None if point is None else representative(point)


def _temporal(
    doc: Doc, relations: list[RelationCue], now: datetime
) -> tuple[TemporalIntent, datetime | None, str | None, str]:
    lower_words = {t.lower_ for t in doc}
    for ent in doc.ents:
        if ent.label_ in _TIME_LABELS:
            when = _parse_time(ent.text, now)
            if when is not None:
                return "as_of", when, ent.text, f"the question names a time ('{ent.text}'): facts valid then"
    if "used" in lower_words and any(
        t.lower_ == "used" and t.nbor(1).lower_ == "to" for t in doc if t.i + 1 < len(doc)
    ):
        return "historical", None, None, "'used to' asks about the past: history included"
    cue = sorted(lower_words & _HISTORICAL_CUES)
    if cue:
        return "historical", None, None, f"'{cue[0]}' asks about the past: history included"
    current = sorted(lower_words & _CURRENT_CUES)
    if current:
        return "current", None, None, f"'{current[0]}' asks for the current value"
    predicates = {p for cue_ in relations for p in cue_.predicates}
    past_state = (
        any(t.tag_ == "VBD" and t.lemma_ in ("do", "be") for t in doc) and predicates & _STATE_PREDICATES
    )
    if past_state:
        return "historical", None, None, "past tense of a state (lives_in, works_at ...): history included"
    return "current", None, None, "no time named: the current view"


def analyze_query(query: str, nlp: Language, *, now: datetime | None = None) -> QueryAnalysis:
    """Analyse a question with spaCy; pure apart from running the pipeline.

    >>> from graphmem.extract.nlp import load_nlp
    >>> a = analyze_query("Where does Maria's sister live?", load_nlp())
    >>> [m.text for m in a.names], a.answer_type, a.hops, a.predicates[:2]
    (['Maria'], 'place', 2, ['sister', 'lives_in'])
    """
    if not isinstance(query, str):
        raise InvalidInput(f"query must be a string, got {type(query).__name__}")
    text = query.strip()
    if not text:
        raise InvalidInput("query is empty")
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidInput(f"query is longer than {MAX_QUERY_CHARS} characters")
    now = now or datetime.now(UTC)
    doc = nlp(text)
    mentions = _mentions(doc)
    relations = _relations(doc)
    answer_type, wh_word, answer_reason = _answer_type(doc)
    hops, hop_reason = _hops(doc, relations)
    temporal, as_of, time_text, time_reason = _temporal(doc, relations, now)
    answer_many, many_reason = _answer_many(doc)
    keywords = list(
        dict.fromkeys(
            t.lemma_.lower()
            for t in doc
            if not (t.is_stop or t.is_punct or t.is_space)
            and t.lower_ not in _WH_WORDS
            and t.ent_type_ not in _TIME_LABELS
        )
    )
    predicates = list(dict.fromkeys(p for cue in relations for p in cue.predicates))
    target_predicates = list(dict.fromkeys(p for cue in relations if cue.target for p in cue.predicates))
    names = [m.text for m in mentions if m.kind != "concept"]
    reasons = {
        "mentions": (f"named: {', '.join(names)}" if names else "no named entity")
        + (
            f"; concepts: {', '.join(m.text for m in mentions if m.kind == 'concept')}"
            if any(m.kind == "concept" for m in mentions)
            else ""
        ),
        "relations": ", ".join(f"'{c.word}' -> {'/'.join(c.predicates[:3])}" for c in relations)
        or "no relation word the lexicon knows",
        "answer_type": answer_reason,
        "hops": hop_reason,
        "temporal": time_reason,
        "answer_many": many_reason,
    }
    return QueryAnalysis(
        query=text,
        mentions=mentions,
        relations=relations,
        predicates=predicates,
        target_predicates=target_predicates,
        answer_type=answer_type,
        wh_word=wh_word,
        temporal=temporal,
        as_of=as_of,
        time_text=time_text,
        hops=hops,
        keywords=keywords,
        first_person=any(m.kind == "self" for m in mentions),
        answer_many=answer_many,
        reasons=reasons,
    )


def mask_mentions(query: str, mentions: Sequence[QueryMention]) -> str:
    """The query with the given mentions replaced by pronouns: its *topic*, without its *who*.

    Once a named person resolves to an entity, the graph handles the "who" (the entity's facts, the
    episodes it said); the name itself then only pulls the dense and full-text episode channels
    towards every turn that contains it, and away from the ones that match the topic. Masking the
    names lets those channels rank by what is asked (measured on LoCoMo: episode recall@10 +3.4).
    Every occurrence is masked; ``X's`` becomes ``their``, ``X`` becomes ``they``.

    >>> m = QueryMention(text="Melanie", key="melanie", kind="name")
    >>> mask_mentions("What do Melanie's kids like, and did Jon see Melanie?", [m])
    'What do their kids like, and did Jon see they?'
    """
    out = query
    for mention in sorted(mentions, key=lambda m: -len(m.text)):
        if not mention.text.strip():
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(mention.text)}(?:(['’]s)\b|(?!\w))")
        out = pattern.sub(lambda match: "their" if match.group(1) else "they", out)
    return out
