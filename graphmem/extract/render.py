"""Readable sentences for facts: "Maria lives in Lisbon", "Anna is Maria's sister".

A fact's ``text`` is what full-text and vector search match and what an agent reads back, so it is
a plain present-tense English sentence about the current state, with negation, end cues and
modality spelled out ("Maria no longer lives in Paris", "Tom might live in Berlin").

>>> render_fact("Maria", "lives_in", "Lisbon")
'Maria lives in Lisbon'
>>> render_fact("Maria", "sister", "Anna", polarity=False)
"Anna is not Maria's sister"
>>> render_fact("Ben", "eat", "meat", polarity=False, ended=True)
'Ben no longer eats meat'
"""

from __future__ import annotations

from graphmem.extract.lexicon import ROLE_NOUNS
from graphmem.model import Modality

__all__ = ["render_fact"]

# predicate -> (third person singular, base form); "{o}" marks where the object goes when not last
_VERBS: dict[str, tuple[str, str]] = {
    "lives_in": ("lives in", "live in"),
    "works_at": ("works at", "work at"),
    "job_title": ("works as", "work as"),
    "studies_at": ("studies at", "study at"),
    "studies": ("studies", "study"),
    "spouse": ("is married to", "be married to"),
    "partner": ("is the partner of", "be the partner of"),
    "age": ("is {o} years old", "be {o} years old"),
    "born_in": ("was born in", "be born in"),
    "birth_date": ("was born on", "be born on"),
    "grew_up_in": ("grew up in", "grow up in"),
    "comes_from": ("is from", "be from"),
    "nationality": ("is", "be"),
    "likes": ("likes", "like"),
    "loves": ("loves", "love"),
    "dislikes": ("dislikes", "dislike"),
    "prefers": ("prefers", "prefer"),
    "visited": ("visited", "visit"),
    "attended": ("attended", "attend"),
    "did_activity": ("went", "go"),
    "supports": ("supports", "support"),
    "owns": ("owns", "own"),
    "has": ("has", "have"),
    "has_pet": ("has the pet", "have the pet"),
    "knows": ("knows", "know"),
    "met": ("met", "meet"),
    "friend_of": ("is friends with", "be friends with"),
    "member_of": ("is a member of", "be a member of"),
    "plays": ("plays", "play"),
    "speaks": ("speaks", "speak"),
    "drives": ("drives", "drive"),
    "reads": ("reads", "read"),
    "watches": ("watches", "watch"),
    "learns": ("learns", "learn"),
    "teaches": ("teaches", "teach"),
    "uses": ("uses", "use"),
    "wants": ("wants", "want"),
    "plans_to": ("plans to", "plan to"),
    "hobby": ("has the hobby", "have the hobby"),
    "allergic_to": ("is allergic to", "be allergic to"),
    "located_in": ("is located in", "be located in"),
    "located_at": ("is at", "be at"),
    "volunteers_at": ("volunteers at", "volunteer at"),
    "wrote": ("wrote", "write"),
    "founded": ("founded", "found"),
    "graduated_from": ("graduated from", "graduate from"),
    "contains": ("contains", "contain"),
    "relationship_status": ("is", "be"),
    "is_a": ("is a", "be a"),
    "has_property": ("is", "be"),
    "name": ("is called", "be called"),
}
_RELATIONAL = frozenset(ROLE_NOUNS.values()) - {"spouse", "partner", "friend_of"}


def _third_person(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if len(verb) > 1 and verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _forms(predicate: str) -> tuple[str, str]:
    if predicate in _VERBS:
        return _VERBS[predicate]
    words = predicate.replace("_", " ").split()
    if not words:
        return predicate, predicate
    if words[0] == "be" and len(words) > 1:
        return " ".join(["is", *words[1:]]), " ".join(words)
    return " ".join([_third_person(words[0]), *words[1:]]), " ".join(words)


def _place(phrase: str, obj: str) -> str:
    return phrase.replace("{o}", obj) if "{o}" in phrase else f"{phrase} {obj}"


def render_fact(
    subject: str,
    predicate: str,
    obj: str,
    *,
    polarity: bool = True,
    modality: Modality = Modality.asserted,
    ended: bool = False,
) -> str:
    """One readable sentence for a triple and its cues."""
    if predicate.startswith("favourite_"):
        thing = predicate.removeprefix("favourite_").replace("_", " ")
        verb = {True: "is", False: "is not"}[polarity] if not ended else "is no longer"
        if modality is Modality.hypothetical:
            verb = "might be"
        return f"{subject}'s favourite {thing} {verb} {obj}"
    if predicate in _RELATIONAL or predicate in ("has_pet", "friend_of", "partner", "spouse"):
        role = (
            predicate.replace("_", " ")
            if predicate in _RELATIONAL
            else {"has_pet": "pet", "friend_of": "friend", "partner": "partner", "spouse": "spouse"}[
                predicate
            ]
        )
        if obj.startswith(f"{subject}'s "):  # an unnamed relative: "Maria has a brother"
            noun = obj[len(subject) + 3 :]
            have = "does not have" if not polarity else "no longer has" if ended else "has"
            article = (
                ""
                if noun.endswith("s") or noun in ("children", "people")
                else "an "
                if noun[:1] in "aeiou"
                else "a "
            )
            return f"{subject} {have} {article}{noun}"
        if ended:
            verb = "is no longer"
        elif not polarity:
            verb = "is not"
        elif modality is Modality.hypothetical:
            verb = "might be"
        elif modality is Modality.intent:
            verb = "will be"
        else:
            verb = "is"
        return f"{obj} {verb} {subject}'s {role}"
    third, base = _forms(predicate)
    copular = third.split(" ", 1)[0] in ("is", "was")
    if ended:
        if copular:
            rest = third.split(" ", 1)[1] if " " in third else ""
            return f"{subject} {_place(f'is no longer {rest}'.strip(), obj)}"
        return f"{subject} no longer {_place(third, obj)}"
    if not polarity:
        if copular:
            head, _, rest = third.partition(" ")
            return f"{subject} {_place(f'{head} not {rest}'.strip(), obj)}"
        verb = (
            "did not"
            if third in ("visited", "attended", "went", "met", "wrote", "founded", "graduated from")
            else "does not"
        )
        return f"{subject} {verb} {_place(base, obj)}"
    if modality is Modality.hypothetical:
        return f"{subject} might {_place(base, obj)}"
    if modality is Modality.intent:
        return f"{subject} plans to {_place(base, obj)}"
    if modality is Modality.reported:
        return f"{subject} reportedly {_place(third, obj)}"
    return f"{subject} {_place(third, obj)}"
