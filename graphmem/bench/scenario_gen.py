"""Seeded generator of held-out reconsolidation scenarios (``graphmem bench conflicts --generated``).

The hand-written scenarios of ``tests/scenarios`` were written next to the rules they test, so passing
them says little about a conversation nobody wrote for graphmem. This generator builds conversations
from the phrasings of :mod:`graphmem.bench.scenario_phrases` in three classes, the three ways a memory
fails people in practice:

* ``paraphrase``: a functional slot (residence, employer, role, partner, school, age, car, phone,
  favourite food, pet) stated one way and updated another ("my home is in X" ... "we just moved to
  Y"); the update must replace the old value.
* ``hypothetical``: a stated value, then a hedge ("I might move to Z"): Z must never be served as the
  current value, yet stay reachable when the question asks about plans. Sometimes the plan comes
  true later ("I moved to Z"), and then Z is current.
* ``negation``: a stated value that ends ("I no longer work at G"), sometimes followed by a new value:
  the old value must not be served as current, history must still show it.

Each scenario mixes first person ("I live in ...") and third person ("my sister Sofia lives in ...",
"Sofia, my sister, ..."), puts distractor turns in between, adds a turn giving *someone else* a value
of the same slot, and asks current, as-of, multi-hop ("Where does Maria's sister live now?"), plans
and "did X ever" questions. Every seed draws a share of every template list and vocabulary
(:data:`DEFAULT_SHARE`), so two seeds are partly disjoint: tune on one seed and report on another to
see how the rules generalise to phrasings they were not written for.

Generation is pure (no memory, no model); :mod:`graphmem.bench.scenario_check` runs the scenarios
through the public SDK and scores them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from graphmem.bench.scenario_phrases import DISTRACTORS, RELATIONS, SLOTS, SPEAKERS, THIRD_PERSONS, VALUES
from graphmem.errors import InvalidInput

__all__ = [
    "CLASSES",
    "DEFAULT_PER_CLASS",
    "DEFAULT_SHARE",
    "Check",
    "GeneratedScenario",
    "Turn",
    "Vocabulary",
    "generate",
    "render",
]

ScenarioClass = Literal["paraphrase", "hypothetical", "negation"]
CheckKind = Literal["current", "as_of", "multihop", "plans", "ever", "facts"]

CLASSES: tuple[ScenarioClass, ...] = ("paraphrase", "hypothetical", "negation")
DEFAULT_PER_CLASS = 30
"""Scenarios per class; about five turns and four checks each."""
DEFAULT_SHARE = 0.6
"""Share of every template list and vocabulary a seed draws: two seeds overlap on about 60 %."""


@dataclass(frozen=True, slots=True)
class Turn:
    """One dated chat turn, added with ``Memory.add(text, speaker=speaker, timestamp=at)``."""

    at: datetime
    text: str
    speaker: str
    step: str = "distractor"


@dataclass(frozen=True, slots=True)
class Check:
    """One question and what a careful reader answers.

    ``answer`` None: no current value (after a negation nothing replaced). ``wrong``: values that must
    not be served as the answer (stale, hedged, ended, someone else's). ``subject`` is whose slot it is;
    for ``facts`` checks ``expected`` is the set of current values among ``values``.
    """

    kind: CheckKind
    subject: str
    question: str = ""
    answer: str | None = None
    wrong: tuple[str, ...] = ()
    as_of: datetime | None = None
    values: tuple[str, ...] = ()
    expected: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GeneratedScenario:
    name: str
    klass: ScenarioClass
    slot: str
    person: Literal["first", "third"]
    speaker: str
    turns: tuple[Turn, ...]
    checks: tuple[Check, ...]


@dataclass(slots=True)
class Vocabulary:
    """The seed's share of every pool: templates per (slot, step), questions, names and values."""

    templates: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    values: dict[str, list[str]] = field(default_factory=dict)
    speakers: list[str] = field(default_factory=list)
    persons: list[tuple[str, str]] = field(default_factory=list)
    relations: dict[str, list[str]] = field(default_factory=dict)
    distractors: list[str] = field(default_factory=list)

    @classmethod
    def draw(cls, rng: random.Random, share: float) -> Vocabulary:
        def part(items: Sequence[str], minimum: int = 1) -> list[str]:
            count = max(minimum, round(len(items) * share))
            return rng.sample(list(items), min(len(items), count))

        vocab = cls()
        for slot, spec in SLOTS.items():
            for step, texts in spec.items():
                if isinstance(texts, tuple):
                    vocab.templates[(slot, step)] = part(texts)
        vocab.values = {kind: part(pool, 4) for kind, pool in VALUES.items()}
        vocab.speakers = part(SPEAKERS, 4)
        vocab.persons = rng.sample(list(THIRD_PERSONS), max(4, round(len(THIRD_PERSONS) * share)))
        vocab.relations = {g: part(rels, 2) for g, rels in RELATIONS.items()}
        vocab.distractors = part(DISTRACTORS, 4)
        return vocab


# --- rendering ---------------------------------------------------------------------------------------

_CHOICE = re.compile(r"\[([^\[\]|]*)\|([^\[\]|]*)\]")


def _article(value: str) -> str:
    return ("an " if value[:1].lower() in "aeiou" else "a ") + value


def render(
    template: str,
    *,
    third: bool,
    subject: str = "",
    possessive: str = "",
    gender: str = "f",
    x: str = "",
    y: str = "",
) -> str:
    """Expand one template (syntax in :mod:`graphmem.bench.scenario_phrases`) into a sentence.

    >>> render("[I live|{S} lives] in {X}.", third=True, subject="my sister Sofia", x="Porto")
    'My sister Sofia lives in Porto.'
    >>> render("[My|{S's}] home is in {X}.", third=False, x="Lisbon")
    'My home is in Lisbon.'
    """
    text = _CHOICE.sub(lambda m: m.group(2 if third else 1), template)
    replacements = {
        "{S's}": possessive,
        "{S}": subject,
        "{their}": "her" if gender == "f" else "his",
        "{she}": "she" if gender == "f" else "he",
        "{aX}": _article(x) if x else "",
        "{aY}": _article(y) if y else "",
        "{X}": x,
        "{Y}": y,
    }
    for key, value in replacements.items():
        text = text.replace(key, value)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:1].upper() + text[1:]


# --- generation --------------------------------------------------------------------------------------

_SLOT_WEIGHTS: Mapping[ScenarioClass, Mapping[str, int]] = {
    "paraphrase": {"residence": 6, "employer": 6, "role": 2, "partner": 2, "school": 2, "age": 1,
                   "car": 1, "phone": 1, "favourite": 1, "pet": 1},
    "hypothetical": {"residence": 5, "employer": 5, "role": 2, "partner": 1, "school": 2},
    "negation": {"residence": 5, "employer": 6, "role": 2, "partner": 2, "school": 1},
}  # fmt: skip


@dataclass(slots=True)
class _Person:
    """Who a scenario is about: the speaker (first person) or someone the speaker talks about."""

    third: bool
    name: str
    gender: str = "f"
    relation: str = ""
    speaker: str = ""

    def forms(self, rng: random.Random, *, first_mention: bool) -> tuple[str, str]:
        """(subject, possessive) as the speaker would say them at this point of the conversation."""
        if not self.third:
            return "", ""
        rel, name = self.relation, self.name
        if first_mention:
            subject = rng.choice([f"my {rel} {name}", f"{name}, my {rel},", f"my {rel}, {name},"])
            return subject, f"my {rel} {name}'s"
        if rng.random() < 0.3:
            return f"my {rel}", f"my {rel}'s"
        return name, f"{name}'s"


class _Builder:
    def __init__(self, rng: random.Random, vocab: Vocabulary, klass: ScenarioClass, index: int) -> None:
        self.rng = rng
        self.vocab = vocab
        self.klass = klass
        self.index = index
        weights = _SLOT_WEIGHTS[klass]
        self.slot = rng.choices(list(weights), weights=list(weights.values()))[0]
        self.spec = SLOTS[self.slot]
        self.speaker = rng.choice(vocab.speakers)
        name, gender = rng.choice([p for p in vocab.persons if p[0] != self.speaker])
        relation = rng.choice(vocab.relations[gender])
        third = rng.random() < 0.5
        self.person = _Person(third, name if third else self.speaker, gender, relation, self.speaker)
        self.other = _Person(not third, self.speaker if third else name, gender, relation, self.speaker)
        self.turns: list[Turn] = []
        self.mentioned = False
        self.clock = datetime(2021, 1, 4, 10, tzinfo=UTC) + timedelta(days=rng.randrange(0, 900))

    # -- pieces --

    def values(self, count: int) -> list[str]:
        return self.rng.sample(self.vocab.values[str(self.spec["values"])], count)

    def template(self, step: str, *, needs_y: bool | None = None) -> str:
        choices = self.vocab.templates[(self.slot, step)]
        if needs_y is not None:
            fitting = [t for t in choices if ("{Y}" in t or "{aY}" in t) == needs_y]
            choices = fitting or choices
        return self.rng.choice(choices)

    def say(
        self,
        step: str,
        x: str = "",
        y: str = "",
        *,
        who: _Person | None = None,
        template: str | None = None,
        days: tuple[int, int] = (1, 20),
    ) -> datetime:
        who = who or self.person
        self.clock += timedelta(days=self.rng.randint(*days), hours=self.rng.randint(0, 8))
        first = who is self.person and not self.mentioned
        subject, possessive = who.forms(self.rng, first_mention=first or (who is self.other))
        if who is self.person:
            self.mentioned = True
        text = render(
            template or self.template(step),
            third=who.third,
            subject=subject,
            possessive=possessive,
            gender=who.gender,
            x=x,
            y=y,
        )
        self.turns.append(Turn(self.clock, text, self.speaker, step))
        return self.clock

    def distract(self, count: int) -> None:
        unused = [d for d in self.vocab.distractors if d not in {t.text for t in self.turns}]
        for line in self.rng.sample(unused, min(count, len(unused))):
            self.clock += timedelta(days=self.rng.randint(1, 15), hours=self.rng.randint(0, 8))
            self.turns.append(Turn(self.clock, line, self.speaker))

    def someone_else(self, value: str) -> None:
        """Give the other person a value of the same slot (an update told about someone else)."""
        self.say("state", value, who=self.other)

    def ask(self, key: str, **extra: str) -> str:
        found = self.spec.get(key, ())
        templates = [str(q) for q in found] if isinstance(found, tuple) else []
        chosen = self.rng.choice(templates) if templates else ""
        return chosen.format(N=self.person.name, SP=self.speaker, R=self.person.relation, **extra)

    def current_checks(self, answer: str | None, wrong: Sequence[str], values: Sequence[str]) -> list[Check]:
        who = self.person.name
        checks = [
            Check("current", who, self.ask("ask"), answer, tuple(wrong)),
            Check("facts", who, values=tuple(values), expected=(answer,) if answer else ()),
        ]
        if self.person.third and "ask_rel" in self.spec:
            checks.append(Check("multihop", who, self.ask("ask_rel"), answer, tuple(wrong)))
        return checks

    def scenario(self, checks: list[Check]) -> GeneratedScenario:
        return GeneratedScenario(
            name=f"{self.klass}_{self.index:03d}_{self.slot}",
            klass=self.klass,
            slot=self.slot,
            person="third" if self.person.third else "first",
            speaker=self.speaker,
            turns=tuple(self.turns),
            checks=tuple(checks),
        )

    # -- classes --

    def paraphrase(self) -> GeneratedScenario:
        if "update" not in self.spec:  # a slot told once (pet): the first value must reach the slot
            (v1, other) = self.values(2)
            self.say("state", v1, days=(0, 1))
            self.distract(1)
            self.someone_else(other)
            return self.scenario(self.current_checks(v1, [other], [v1]))
        v1, v2, other = self.values(3)
        t1 = self.say("state", v1, days=(0, 1))
        self.distract(self.rng.randint(1, 2))
        self.someone_else(other)
        t2 = self.say("update", v2, v1, days=(120, 400))
        self.distract(1)
        checks = self.current_checks(v2, [v1, other], [v1, v2])
        mid = t1 + (t2 - t1) / 2
        checks.insert(1, Check("as_of", self.person.name, self.ask("ask_past"), v1, (v2, other), as_of=mid))
        return self.scenario(checks)

    def hypothetical(self) -> GeneratedScenario:
        v1, hedged, other = self.values(3)
        self.say("state", v1, days=(0, 1))
        self.distract(1)
        self.someone_else(other)
        self.say("hedge", hedged, v1, days=(60, 300))
        self.distract(self.rng.randint(1, 2))
        if self.rng.random() < 0.25:  # the plan comes true
            self.say("update", hedged, v1, template=self.template("update", needs_y=False), days=(60, 200))
            return self.scenario(self.current_checks(hedged, [v1, other], [v1, hedged]))
        checks = self.current_checks(v1, [hedged, other], [v1, hedged])
        if "ask_plans" in self.spec:
            checks.append(Check("plans", self.person.name, self.ask("ask_plans"), hedged, (other,)))
        return self.scenario(checks)

    def negation(self) -> GeneratedScenario:
        v1, v2, other = self.values(3)
        t1 = self.say("state", v1, days=(0, 1))
        self.distract(1)
        self.someone_else(other)
        t2 = self.say("negate", y=v1, days=(120, 400))
        self.distract(1)
        replaced = self.rng.random() < 0.4
        if replaced:
            self.say("state", v2, days=(30, 90))
        answer = v2 if replaced else None
        checks = self.current_checks(answer, [v1, other], [v1, v2] if replaced else [v1])
        mid = t1 + (t2 - t1) / 2
        checks.insert(1, Check("as_of", self.person.name, self.ask("ask_past"), v1, (other,), as_of=mid))
        if "ask_ever" in self.spec:
            question = self.ask("ask_ever", Y=v1, aY=_article(v1))
            checks.append(Check("ever", self.person.name, question, v1, (other,)))
        return self.scenario(checks)


def generate(
    seed: int,
    *,
    per_class: int = DEFAULT_PER_CLASS,
    share: float = DEFAULT_SHARE,
    classes: Sequence[str] = CLASSES,
) -> list[GeneratedScenario]:
    """``per_class`` scenarios of each class, fully determined by ``seed``.

    >>> a = generate(7, per_class=2)
    >>> [s.klass for s in a] == ["paraphrase"] * 2 + ["hypothetical"] * 2 + ["negation"] * 2
    True
    >>> a == generate(7, per_class=2)
    True
    """
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise InvalidInput(f"seed must be an integer, got {seed!r}")
    if not 1 <= per_class <= 1000:
        raise InvalidInput(f"per_class must be from 1 to 1000, got {per_class}")
    if not 0.2 <= share <= 1.0:
        raise InvalidInput(f"share must be from 0.2 to 1.0, got {share}")
    unknown = set(classes) - set(CLASSES)
    if unknown:
        raise InvalidInput(f"unknown scenario class(es) {sorted(unknown)}; expected some of {CLASSES}")
    rng = random.Random(seed)
    vocab = Vocabulary.draw(rng, share)
    out: list[GeneratedScenario] = []
    for klass in CLASSES:
        if klass not in classes:
            continue
        for index in range(per_class):
            builder = _Builder(rng, vocab, klass, index)
            out.append(getattr(builder, klass)())
    return out
