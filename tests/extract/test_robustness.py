"""No text crashes the real spaCy extractor: property tests over generated sentences of real shapes.

The shapes are those that broke or slowed extraction on encyclopedic and conversational text: long
coordinations, nested relative clauses, passives inside lists, parentheses, dates, numbers, quotes,
non-English names, run-on paragraphs of 1,000 words. Each example is a batch of sentences fed
through ``extract_many`` (the path ingest uses) and each sentence through ``extract``; the budget
per sentence is deliberately generous (it catches runaway recursion or quadratic blow-ups, not
ordinary slowness on a loaded machine).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphmem.extract.base import ExtractInput
from graphmem.extract.spacy_extractor import SpacyExtractor

AT = datetime(2023, 5, 8, 13, 56, tzinfo=UTC)
SECONDS_PER_SENTENCE = 5.0  # generous: typical is ~20 ms

NAMES = [
    "Anna", "Björn Ødegaard", "José María Aznar", "Nguyễn Văn An", "Zoë", "Łukasz", "Siobhán O'Neill",
    "Müller", "François", "Aiko Tanaka", "Olufemi Adeyemi", "Sir John Stanley", "Caroline", "Mel",
    "the 4th Baron Sheffield", "Dr. Ana Lúcia", "Jean-Luc", "Melanie", "Ṣàngó", "María-José",
]  # fmt: skip
NOUNS = [
    "painting", "the kids", "my mom", "a dog", "the museum", "pottery", "Porto", "the Board of Trade",
    "a title", "camping", "women's education", "the family seat", "her son Edward", "a concert",
    "the Liberal Party", "running shoes", "the County of Chester", "my friends", "an LGBTQ support group",
]  # fmt: skip
VERBS_PAST = ["founded", "visited", "married", "left", "joined", "painted", "sold", "adopted", "met"]
PASSIVES = [
    "was born in", "was raised in", "was hired by", "was created for", "was succeeded by",
    "was married to", "was located in", "was named after", "been created", "was sold to",
]  # fmt: skip
DATES = ["in 1839", "on 8 May, 2023", "last year", "4 years ago", "since 2019", "until March", "yesterday"]
NUMBERS = ["3", "2nd", "1,000", "42%", "$5", "four times", "7th", "1909", "0.5"]
INTERJECTIONS = ["Wow!", "Glad to hear!", "Haha,", "Hey Mel!", "Oh no.", "Yeah,", "Thanks!"]

name = st.sampled_from(NAMES)
noun = st.sampled_from(NOUNS)
thing = st.one_of(name, noun)
date = st.sampled_from(DATES)
number = st.sampled_from(NUMBERS)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


coordination = st.lists(thing, min_size=1, max_size=14).map(_join)
clause = st.builds(lambda s, v, o: f"{s} {v} {o}", thing, st.sampled_from(VERBS_PAST), coordination)
passive = st.builds(lambda s, v, o: f"{s} {v} {o}", thing, st.sampled_from(PASSIVES), thing)
passive_list = st.lists(
    st.builds(lambda v, o: f"{v} {o}", st.sampled_from(PASSIVES), thing), min_size=2, max_size=6
)


@st.composite
def relative(draw: st.DrawFn, depth: int = 0) -> str:
    """Nested relative clauses: "Anna, who met Zoë, who sold the museum that ..."."""
    head = draw(thing)
    if depth >= 4 or draw(st.booleans()):
        return head
    rel = draw(st.sampled_from(["who", "which", "that", "whose son"]))
    verb = draw(st.sampled_from(VERBS_PAST + PASSIVES))
    return f"{head}, {rel} {verb} {draw(relative(depth + 1))},"


@st.composite
def sentence(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        text = draw(clause)
    elif kind == 1:
        text = draw(passive)
    elif kind == 2:
        text = f"{draw(thing)} {_join(draw(passive_list))}"
    elif kind == 3:
        text = f"{draw(relative())} {draw(st.sampled_from(VERBS_PAST))} {draw(coordination)}"
    elif kind == 4:
        aside = f"({draw(number)}–{draw(number)}, {draw(thing)})"
        text = f"{draw(thing)} {aside} {draw(passive_list)[0]} {draw(thing)}"
    elif kind == 5:
        text = f'{draw(name)} said, "{draw(clause)} {draw(date)}," and {draw(clause)}'
    elif kind == 6:
        opener = draw(st.sampled_from(INTERJECTIONS))
        text = f"{opener} I went {draw(noun)} with {draw(coordination)} {draw(date)}"
    elif kind == 7:
        kin = draw(st.sampled_from(["friends", "kids", "sister", "mom"]))
        text = f"My {kin} {draw(coordination)} {draw(clause)}"
    elif kind == 8:
        text = f"{draw(date).capitalize()}, {draw(passive)} {draw(date)} ({draw(number)})"
    else:
        text = " ".join(
            draw(st.lists(st.one_of(thing, number, date, st.sampled_from(VERBS_PAST)), max_size=30))
        )
    end = draw(st.sampled_from([".", "!", "?", "...", "", ";"]))
    return (text or "Hm") + end


def _check(extractor: SpacyExtractor, texts: list[str]) -> None:
    items = [ExtractInput(text=t, speaker="Caroline", addressee="Melanie", occurred_at=AT) for t in texts]
    start = time.perf_counter()
    results = extractor.extract_many(items)
    elapsed = time.perf_counter() - start
    assert len(results) == len(items)
    assert all(r.error is None for r in results)
    assert elapsed < SECONDS_PER_SENTENCE * max(1, sum(t.count(".") + 1 for t in texts)), elapsed


@settings(
    max_examples=120,
    deadline=timedelta(seconds=60),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(texts=st.lists(sentence(), min_size=5, max_size=25))
def test_generated_sentences_never_raise(extractor: SpacyExtractor, texts: list[str]) -> None:
    _check(extractor, texts)  # each sentence alone
    for text in texts[:3]:
        extractor.extract(text, speaker="Caroline", occurred_at=AT)  # the unbatched path too
    _check(extractor, [" ".join(texts)])  # and all of them as one paragraph


@settings(
    max_examples=3,
    deadline=timedelta(seconds=120),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(texts=st.lists(sentence(), min_size=80, max_size=100))
def test_thousand_word_paragraphs_never_raise(extractor: SpacyExtractor, texts: list[str]) -> None:
    paragraph = " ".join(texts)
    while len(paragraph.split()) < 1000:
        paragraph += " " + " ".join(texts)
    _check(extractor, [paragraph, paragraph.replace(".", ",")])  # run-on: one endless sentence


def test_apposition_whose_owner_resolves_back_to_itself(extractor: SpacyExtractor) -> None:
    """Found by the property test: "her son Edward" in a list resolved its owner "her", whose
    antecedent was Edward himself, whose owner was "her" ... until RecursionError."""
    text = (
        'Jean-Luc said, "my mom sold José María Aznar, her son Edward, Porto, the County of Chester and '
        "my mom yesterday,\" and François met the kids, women's education, Melanie, painting, a title, "
        "Olufemi Adeyemi, her son Edward and pottery."
    )
    result = extractor.extract(text, speaker="Caroline", addressee="Melanie", occurred_at=AT)
    assert ("François", "met", "Melanie") in {(t.subject, t.predicate, t.object) for t in result.triples}
