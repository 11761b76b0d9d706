"""The predicate lexicon: canonical predicate names, the phrases that mean them, and question words.

Conflicts are only looked for inside a slot (subject, canonical predicate), so two phrasings of the
same relation ("lives in", "resides in", "moved to") must land on one name or reconsolidation never
sees them collide. This module is the first and cheapest stage of canonicalisation: an exact lookup
of the lemmatised relation words. ``canonical.PredicateCanonicalizer`` adds the embedding stage.

Phrases are written in lemma form ("live in", "be born in"), the way the spaCy extractor builds them;
:func:`canonical_predicate` also accepts inflected words ("lives in", "was born in") by trying a few
de-inflections against the known vocabulary, so other modules (the query analyser) can call it with
surface text.

>>> canonical_predicate("resides in")
'lives_in'
>>> canonical_predicate("favorite colour")
'favourite_color'
>>> canonical_predicate("paint") is None
True
"""

from __future__ import annotations

import re

__all__ = [
    "CANONICAL_PREDICATES",
    "LITERAL_PREDICATES",
    "PREDICATE_WORDS",
    "RELATIONAL_PREDICATES",
    "ROLE_NOUNS",
    "canonical_predicate",
    "deinflect",
    "favourite_predicate",
    "is_canonical",
    "lemma_prep",
]

# canonical -> lemma phrases that mean it (the canonical name itself always maps to itself)
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "lives_in": (
        "live in",
        "live at",
        "reside in",
        "reside at",
        "move to",
        "relocate to",
        "settle in",
        "be based in",
        "base in",
        "live",
        "reside",
        "make home in",
    ),
    "works_at": (
        "work at",
        "work for",
        "work in",
        "be employed by",
        "be employed at",
        "employ by",
        "employ at",
        "get hired at",
        "get hired by",
        "hire at",
        "hire by",
        "get a job at",
        "get job at",
        "start work at",
        "join the staff of",
        "employer",
    ),
    "job_title": (
        "work as",
        "be employed as",
        "employ as",
        "serve as",
        "promote to",
        "occupation",
        "profession",
        "job title",
        "job",
    ),
    "studies_at": (
        "study at",
        "enrol at",
        "enroll at",
        "enrol in",
        "enroll in",
        "be a student at",
        "go to school at",
        "attend school at",
        "go to college at",
    ),
    "studies": ("study", "major in", "specialise in", "specialize in"),
    "spouse": ("marry", "be married to", "get married to", "wed", "be wed to", "married to"),
    "partner": (
        "date",
        "be engaged to",
        "get engaged to",
        "engage to",
        "go out with",
        "be in a relationship with",
        "be together with",
        "partner",
    ),
    "age": ("aged", "how old"),
    "born_in": ("be born in", "born in", "bear in", "be born at", "bear at"),
    "birth_date": ("be born on", "born on", "bear on", "birthday", "date of birth", "birthdate"),
    "grew_up_in": ("grow up in", "raise in", "be raised in", "grow up at", "spend childhood in"),
    "comes_from": ("be from", "come from", "hail from", "originate from", "originally from", "hometown"),
    "nationality": ("be a citizen of", "citizen of", "citizenship"),
    "likes": (
        "like",
        "enjoy",
        "be into",
        "be fond of",
        "fancy",
        "be a fan of",
        "fan of",
        "be keen on",
        "be passionate about",
        "be obsessed with",
    ),
    "loves": ("love", "adore"),
    "dislikes": (
        "dislike",
        "hate",
        "detest",
        "loathe",
        "can not stand",
        "cannot stand",
        "despise",
        "can't stand",
        "not stand",
    ),
    "prefers": ("prefer", "would rather"),
    "visited": (
        "visit",
        "go to",
        "travel to",
        "fly to",
        "be to",
        "tour",
        "drive to",
        "head to",
        "take trip to",
        "go on trip to",
        "vacation in",
        "holiday in",
        "spend vacation in",
        "travel around",
        "come back from",
        "get back from",
        "return from",
    ),
    "attended": ("attend", "participate in", "take part in", "show up at"),
    "owns": ("own", "buy", "purchase", "acquire", "be the owner of", "possess"),
    "has": ("have", "pick up", "grab", "carry", "hold", "get", "obtain"),
    "has_pet": ("have pet", "pet", "adopt"),
    "knows": ("know", "be acquainted with", "be familiar with"),
    "met": ("meet", "run into", "bump into", "get to know"),
    "friend_of": (
        "be friends with",
        "befriend",
        "be friend of",
        "friend",
        "be friend with",
        "make friends with",
    ),
    "member_of": ("belong to", "be a member of", "member of", "be part of", "be in the team"),
    "plays": ("play",),
    "speaks": ("speak", "be fluent in"),
    "drives": ("drive", "ride"),
    "reads": ("read",),
    "watches": ("watch", "binge", "stream"),
    "learns": ("learn", "practise", "practice", "take lessons in", "take class in"),
    "teaches": ("teach", "coach", "tutor", "instruct"),
    "uses": ("use", "utilise", "utilize", "rely on"),
    "wants": ("want", "wish for", "long for", "crave"),
    "plans_to": ("plan", "intend", "plan to", "intend to", "aim to"),
    "hobby": ("take up", "hobby", "pastime", "do as a hobby"),
    "allergic_to": ("be allergic to", "allergic to", "have allergy to", "allergy"),
    "located_in": ("be located in", "lie in", "be situated in", "locate in", "be in the country of"),
    "located_at": (
        "be at",
        "be on",
        "be under",
        "be inside",
        "sit on",
        "lie on",
        "be placed on",
        "be put in",
        "leave in",
        "leave on",
        "put in",
        "put on",
        "place on",
        "place in",
        "store in",
        "keep in",
        "drop in",
        "drop on",
        "hide in",
        "hide under",
        "locate at",
    ),
    "volunteers_at": ("volunteer at", "volunteer for", "volunteer with", "volunteer in"),
    "wrote": ("write", "author", "pen", "compose"),
    "founded": ("found", "establish", "co-found", "cofound", "set up company"),
    "graduated_from": ("graduate from", "get degree from", "finish school at"),
    "contains": ("contain", "hold inside", "include"),
    "relationship_status": ("relationship status",),
    "is_a": ("be a", "be an", "be kind of", "be type of", "is a"),
    "has_property": ("has property",),
    "name": ("be named", "be called", "name is", "named"),
    # family and social roles: (X, sister, Y) = Y is X's sister
    "sister": ("sister",),
    "brother": ("brother",),
    "sibling": ("sibling", "siblings"),
    "mother": ("mother", "mom", "mum", "mama", "mommy", "mummy"),
    "father": ("father", "dad", "daddy", "papa"),
    "parent": ("parent", "parents"),
    "child": ("child", "children", "kid", "kids"),
    "son": ("son",),
    "daughter": ("daughter",),
    "husband": ("husband",),
    "wife": ("wife",),
    "cousin": ("cousin",),
    "aunt": ("aunt", "auntie"),
    "uncle": ("uncle",),
    "grandmother": ("grandmother", "grandma", "granny", "nana", "gran"),
    "grandfather": ("grandfather", "grandpa"),
    "grandparent": ("grandparent", "grandparents"),
    "grandchild": ("grandchild", "grandson", "granddaughter"),
    "niece": ("niece",),
    "nephew": ("nephew",),
    "colleague": ("colleague", "coworker", "co-worker", "workmate"),
    "boss": ("boss", "manager", "supervisor"),
    "neighbor": ("neighbor", "neighbour"),
    "roommate": ("roommate", "flatmate", "housemate"),
    "mentor": ("mentor",),
}

CANONICAL_FAVOURITES: tuple[str, ...] = (
    "color",
    "food",
    "movie",
    "book",
    "band",
    "song",
    "sport",
    "artist",
    "place",
    "drink",
    "game",
    "animal",
    "season",
    "singer",
    "show",
    "restaurant",
    "team",
    "author",
    "city",
    "music",
    "genre",
    "dish",
    "hobby",
    "actor",
    "painter",
    "flower",
    "number",
    "holiday",
    "subject",
    "album",
    "fruit",
    "dessert",
    "snack",
)
_FAVOURITE_NORMAL = {
    "colour": "color",
    "film": "movie",
    "tv show": "show",
    "series": "show",
    "meal": "food",
    "cuisine": "food",
    "writer": "author",
    "musician": "artist",
    "sports": "sport",
}

CANONICAL_PREDICATES: frozenset[str] = frozenset(
    {*_SYNONYMS, *(f"favourite_{thing}" for thing in CANONICAL_FAVOURITES)}
)
"""Every canonical predicate name; any ``favourite_<thing>`` is canonical as well (see is_canonical)."""

ROLE_NOUNS: dict[str, str] = {
    word: canonical
    for canonical in (
        "sister",
        "brother",
        "sibling",
        "mother",
        "father",
        "parent",
        "child",
        "son",
        "daughter",
        "husband",
        "wife",
        "cousin",
        "aunt",
        "uncle",
        "grandmother",
        "grandfather",
        "grandparent",
        "grandchild",
        "niece",
        "nephew",
        "colleague",
        "boss",
        "neighbor",
        "roommate",
        "mentor",
    )
    for word in (canonical, *_SYNONYMS[canonical])
}
"""Role nouns ("my sister Anna") -> the predicate of (owner, predicate, person)."""
ROLE_NOUNS.update(
    {
        "spouse": "spouse",
        "partner": "partner",
        "boyfriend": "partner",
        "girlfriend": "partner",
        "fiance": "partner",
        "fiancee": "partner",
        "fiancé": "partner",
        "fiancée": "partner",
        "friend": "friend_of",
        "bff": "friend_of",
        "buddy": "friend_of",
        "pal": "friend_of",
        "stepmother": "mother",
        "stepfather": "father",
        "stepson": "son",
        "stepdaughter": "daughter",
        "stepsister": "sister",
        "stepbrother": "brother",
        "bro": "brother",
        "sis": "sister",
        "twin": "sibling",
        "teacher": "teacher",
        "coach": "coach",
        "dentist": "dentist",
        "doctor": "doctor",
        "therapist": "therapist",
        "landlord": "landlord",
        "landlady": "landlord",
        "classmate": "classmate",
        "teammate": "teammate",
        "student": "student",
        "employee": "employee",
        "assistant": "assistant",
        "tutor": "tutor",
        "pastor": "pastor",
        "babysitter": "babysitter",
        "nanny": "nanny",
    }
)

RELATIONAL_PREDICATES: frozenset[str] = frozenset({*ROLE_NOUNS.values(), "spouse", "partner", "knows", "met"})
"""Predicates whose object is a person related to the subject."""

LITERAL_PREDICATES: frozenset[str] = frozenset(
    {"age", "has_property", "relationship_status", "birth_date", "nationality", "name", "job_title"}
)
"""Predicates whose object is a literal value, never an entity."""

PREDICATE_WORDS: dict[str, tuple[str, ...]] = {
    "lives_in": (
        "live",
        "lives",
        "lived",
        "living",
        "reside",
        "resides",
        "resided",
        "home",
        "moved",
        "move",
        "based",
        "address",
        "relocated",
    ),
    "works_at": (
        "work",
        "works",
        "worked",
        "working",
        "job",
        "employer",
        "employed",
        "company",
        "hired",
        "workplace",
        "joined",
    ),
    "job_title": (
        "job",
        "occupation",
        "profession",
        "career",
        "title",
        "position",
        "role",
        "do for a living",
    ),
    "studies_at": (
        "study",
        "studies",
        "studied",
        "studying",
        "school",
        "university",
        "college",
        "student",
        "enrolled",
    ),
    "studies": ("study", "studies", "studying", "major", "subject", "degree"),
    "spouse": ("married", "marry", "spouse", "husband", "wife", "wed"),
    "husband": ("husband",),
    "wife": ("wife",),
    "partner": ("partner", "boyfriend", "girlfriend", "dating", "date", "fiance", "fiancee", "engaged"),
    "relationship_status": ("single", "married", "relationship", "divorced", "status", "engaged"),
    "age": ("age", "old", "years", "turned"),
    "born_in": ("born", "birthplace"),
    "birth_date": ("birthday", "born", "birth"),
    "grew_up_in": ("grew", "grow", "raised", "childhood"),
    "comes_from": ("from", "hometown", "origin", "originally"),
    "nationality": ("nationality", "citizen", "citizenship"),
    "likes": (
        "like",
        "likes",
        "liked",
        "enjoy",
        "enjoys",
        "enjoyed",
        "fan",
        "into",
        "interests",
        "interested",
    ),
    "loves": ("love", "loves", "loved", "adore", "adores"),
    "dislikes": ("dislike", "dislikes", "hate", "hates", "stand"),
    "prefers": ("prefer", "prefers", "preferred"),
    "visited": (
        "visit",
        "visited",
        "visiting",
        "been",
        "travel",
        "traveled",
        "travelled",
        "trip",
        "went",
        "go",
    ),
    "attended": ("attend", "attended", "went", "go", "event", "concert", "conference"),
    "owns": ("own", "owns", "owned", "bought", "buy", "purchased"),
    "has": ("have", "has", "had", "holding", "carry", "carrying", "possess"),
    "has_pet": ("pet", "pets", "dog", "dogs", "cat", "cats", "adopted", "puppy", "kitten"),
    "knows": ("know", "knows", "knew"),
    "met": ("met", "meet"),
    "friend_of": ("friend", "friends", "bff", "buddy"),
    "sister": ("sister", "sisters"),
    "brother": ("brother", "brothers"),
    "sibling": ("sibling", "siblings"),
    "mother": ("mother", "mom", "mum"),
    "father": ("father", "dad"),
    "parent": ("parent", "parents"),
    "child": ("child", "children", "kid", "kids"),
    "son": ("son", "sons"),
    "daughter": ("daughter", "daughters"),
    "cousin": ("cousin", "cousins"),
    "grandmother": ("grandmother", "grandma"),
    "grandfather": ("grandfather", "grandpa"),
    "colleague": ("colleague", "colleagues", "coworker", "coworkers"),
    "boss": ("boss", "manager"),
    "neighbor": ("neighbor", "neighbour", "neighbors", "neighbours"),
    "is_a": ("kind", "type"),
    "has_property": ("like",),
    "located_in": ("located", "where", "in"),
    "located_at": ("where", "located", "put", "left", "find"),
    "member_of": ("member", "club", "belong", "belongs", "joined", "team"),
    "plays": ("play", "plays", "played", "playing"),
    "speaks": ("speak", "speaks", "language", "languages"),
    "drives": ("drive", "drives", "car"),
    "hobby": ("hobby", "hobbies", "pastime", "free time"),
    "reads": ("read", "reads", "reading", "book", "books"),
    "watches": ("watch", "watches", "watching", "show", "series"),
    "learns": ("learn", "learns", "learning"),
    "teaches": ("teach", "teaches", "taught"),
    "wants": ("want", "wants", "wish"),
    "plans_to": ("plan", "plans", "planning", "intend", "going"),
    "allergic_to": ("allergic", "allergy", "allergies"),
    "volunteers_at": ("volunteer", "volunteers", "volunteering"),
    "graduated_from": ("graduated", "graduate", "degree"),
    "founded": ("founded", "found", "established", "started"),
    "wrote": ("wrote", "write", "author", "written"),
    "name": ("name", "called"),
    "contains": ("contains", "contain", "inside"),
    **{f"favourite_{thing}": ("favourite", "favorite", thing) for thing in CANONICAL_FAVOURITES},
}
"""Canonical predicate -> words (including question words) that point to it, for the query analyser."""

_LOOKUP: dict[str, str] = {}
for _canonical, _phrases in _SYNONYMS.items():
    _LOOKUP[_canonical.replace("_", " ")] = _canonical
    for _phrase in _phrases:
        _LOOKUP.setdefault(_phrase, _canonical)
_VOCAB: frozenset[str] = frozenset(
    word
    for phrase in (*(p for ps in _SYNONYMS.values() for p in ps), *CANONICAL_FAVOURITES, *_FAVOURITE_NORMAL)
    for word in phrase.split()
)

_IRREGULAR = {
    "was": "be",
    "were": "be",
    "is": "be",
    "are": "be",
    "am": "be",
    "been": "be",
    "being": "be",
    "'s": "be",
    "'m": "be",
    "'re": "be",
    "went": "go",
    "gone": "go",
    "goes": "go",
    "has": "have",
    "had": "have",
    "having": "have",
    "grew": "grow",
    "grown": "grow",
    "met": "meet",
    "bought": "buy",
    "sold": "sell",
    "left": "leave",
    "taught": "teach",
    "wrote": "write",
    "written": "write",
    "spoke": "speak",
    "spoken": "speak",
    "drove": "drive",
    "driven": "drive",
    "got": "get",
    "gotten": "get",
    "knew": "know",
    "known": "know",
    "took": "take",
    "taken": "take",
    "flew": "fly",
    "flown": "fly",
    "ran": "run",
    "began": "begin",
    "begun": "begin",
    "came": "come",
    "made": "make",
    "did": "do",
    "does": "do",
    "done": "do",
    "saw": "see",
    "seen": "see",
    "felt": "feel",
    "held": "hold",
    "kept": "keep",
    "put": "put",
    "rode": "ride",
    "ridden": "ride",
    "wed": "wed",
    "lay": "lie",
    "lain": "lie",
    "hid": "hide",
    "hidden": "hide",
    "born": "born",
    "raised": "raise",
    "married": "marry",
    "children": "children",
    "favorite": "favourite",
    "n't": "not",
    "ca": "can",
    "wo": "will",
}
_SPACES = re.compile(r"\s+")
_STRIP = re.compile(r"[^\w\s'-]")
_ARTICLES = frozenset({"a", "an", "the"})
_AUXILIARIES = frozenset({"be", "currently", "still", "now", "also"})


def _deinflect(word: str) -> str:
    """Best-effort lemma of one English word, preferring forms the lexicon knows."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word in _VOCAB:
        return word
    candidates: list[str] = []
    if word.endswith("ies") and len(word) > 4:
        candidates.append(word[:-3] + "y")
    if word.endswith("ied") and len(word) > 4:
        candidates.append(word[:-3] + "y")
    if word.endswith("es"):
        candidates.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        candidates.append(word[:-1])
    if word.endswith("ed"):
        stem = word[:-2]
        candidates += [stem, stem + "e"]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            candidates.append(stem[:-1])
    if word.endswith("ing"):
        stem = word[:-3]
        candidates += [stem, stem + "e"]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            candidates.append(stem[:-1])
    for candidate in candidates:
        if candidate in _VOCAB:
            return candidate
    return word


def deinflect(word: str, known: frozenset[str] = frozenset()) -> str:
    """Lemma of one word, preferring a form in ``known`` or in the lexicon ("hopes" -> "hope").

    spaCy's small model sometimes lemmatises a verb wrongly ("hopes" -> "hop", "hates" -> "hat");
    checking the candidates against a known vocabulary repairs the cases patterns depend on.
    """
    word = word.lower()
    if known and word not in known:
        for candidate in _candidates(word):
            if candidate in known:
                return candidate
    return _deinflect(word)


def _candidates(word: str) -> list[str]:
    out: list[str] = []
    if word.endswith(("ies", "ied")) and len(word) > 4:
        out.append(word[:-3] + "y")
    if word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
    if word.endswith("es"):
        out.append(word[:-2])
    for suffix in ("ed", "ing"):
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            out += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                out.append(stem[:-1])
    return out


def _normalise(words: str) -> list[str]:
    text = _STRIP.sub(" ", words.replace("_", " ").lower())
    return [w for w in _SPACES.split(text.strip()) if w]


def favourite_predicate(thing: str) -> str:
    """``favourite_<thing>`` with spelling variants folded ("colour" -> "color", "film" -> "movie").

    >>> favourite_predicate("Colours")
    'favourite_color'
    """
    words = [_deinflect(w) for w in _normalise(thing)]
    key = " ".join(words)
    key = _FAVOURITE_NORMAL.get(key, key)
    return "favourite_" + key.replace(" ", "_")


def canonical_predicate(words: str) -> str | None:
    """The canonical predicate for relation words, from the lexicon only; None when unknown."""
    tokens = _normalise(words)
    if not tokens:
        return None
    if tokens[0] in ("favourite", "favorite") and len(tokens) > 1:
        return favourite_predicate(" ".join(tokens[1:]))
    joined = " ".join(tokens)
    if joined in _LOOKUP:
        return _LOOKUP[joined]
    lemmas = [_deinflect(t) for t in tokens]
    no_articles = [t for t in lemmas if t not in _ARTICLES]
    # "was living in" -> "live in"; never "have like" -> "like" (one bare word left is too weak)
    no_aux = no_articles[1:] if len(no_articles) > 2 and no_articles[0] in _AUXILIARIES else no_articles
    be_only = [_IRREGULAR.get(t, t) if _IRREGULAR.get(t) == "be" else t for t in tokens]  # "is married to"
    for candidate in (lemmas, no_articles, no_aux, be_only):
        phrase = " ".join(candidate)
        if phrase in _LOOKUP:
            return _LOOKUP[phrase]
    return None


def is_canonical(predicate: str) -> bool:
    """Whether a predicate name is one of the canonical ones (any ``favourite_<thing>`` counts)."""
    return predicate in CANONICAL_PREDICATES or (
        predicate.startswith("favourite_") and len(predicate) > len("favourite_")
    )


def lemma_prep(words: str) -> str:
    """Normalised name for a predicate the lexicon does not know: lemmas joined by ``_``.

    >>> lemma_prep("Went to")
    'go_to'
    """
    tokens = [_deinflect(t) for t in _normalise(words)]
    tokens = [t for t in tokens if t not in _ARTICLES] or tokens
    return "_".join(tokens)
