"""The spaCy extractor's clause structure on the real en_core_web_sm model: roles, conjunctions, cues,
time, speakers, corrections and the records (the pattern families have their own files:
test_active.py, test_copula.py, test_passive.py).

Sentences here are deliberately different from the labelled benchmark set, so these tests check the
patterns generalise rather than repeat the benchmark.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conftest import AT

from graphmem.errors import InvalidInput
from graphmem.extract.base import ExtractInput, Extractor
from graphmem.model import Modality


def test_is_an_extractor(extractor) -> None:
    assert isinstance(extractor, Extractor)


# --- possessive roles and appositives ------------------------------------------------------------------


def test_named_possessive_role(keys) -> None:
    found = keys("My brother Luca works at Ferrari.")
    assert ("maria", "brother", "luca", True) in found
    assert ("luca", "works_at", "ferrari", True) in found


def test_third_person_possessive_role(keys) -> None:
    assert ("anna", "husband", "tom", True) in keys("Anna's husband is Tom.")
    assert ("anna", "husband", "tom", True) in keys("Tom is Anna's husband.")


def test_unnamed_relative_becomes_an_owned_entity(run) -> None:
    found = {(t.subject, t.predicate, t.object_text) for t in run("My aunt lives in Nice.").triples}
    assert ("Maria", "aunt", "Maria's aunt") in found
    assert ("Maria's aunt", "lives_in", "Nice") in found


def test_appositive_role_and_description(keys) -> None:
    found = keys("Ines, my colleague, is a chemist.")
    assert ("maria", "colleague", "ines", True) in found
    assert ("ines", "job_title", "chemist", True) in found


def test_pet_with_a_name(keys) -> None:
    found = keys("I have a hamster named Pip.")
    assert ("maria", "has_pet", "pip", True) in found
    assert ("pip", "is_a", "hamster", True) in found


# --- conjunctions ---------------------------------------------------------------------------------------


def test_conjoined_objects_give_one_triple_each(keys) -> None:
    found = keys("I like hiking and chess.")
    assert {("maria", "likes", "hiking", True), ("maria", "likes", "chess", True)} <= found


def test_conjoined_subjects_and_verbs(keys) -> None:
    assert {("ali", "lives_in", "leeds", True), ("sara", "lives_in", "leeds", True)} <= keys(
        "Ali and Sara live in Leeds."
    )
    found = keys("I work at Philips and live in Eindhoven.")
    assert {("maria", "works_at", "philips", True), ("maria", "lives_in", "eindhoven", True)} <= found


# --- negation, end cues, modality --------------------------------------------------------------------


def test_plain_negation_is_not_an_end(run, find) -> None:
    triple = find(run("I don't like coffee."), "likes", "coffee")
    assert triple.polarity is False and triple.ended is False
    assert triple.text == "Maria does not like coffee"


@pytest.mark.parametrize(
    ("text", "predicate", "obj"),
    [
        ("I no longer live in Rome.", "lives_in", "Rome"),
        ("I don't play golf anymore.", "plays", "golf"),
        ("I used to work at Nokia.", "works_at", "Nokia"),
        ("I stopped playing tennis.", "plays", "tennis"),
        ("I left Nokia in 2020.", "works_at", "Nokia"),
        ("I quit my job at the bakery.", "works_at", "bakery"),
    ],
)
def test_end_cues(run, find, text, predicate, obj) -> None:
    triple = find(run(text), predicate, obj)
    assert triple.ended is True and triple.polarity is False


def test_cant_stand_is_a_dislike_not_a_negation(run, find) -> None:
    triple = find(run("I can't stand traffic."), "dislikes", "traffic")
    assert triple.polarity is True


@pytest.mark.parametrize(
    ("text", "predicate", "obj", "modality"),
    [
        ("I might move to Oslo.", "lives_in", "Oslo", Modality.hypothetical),
        ("Maybe I'll learn Greek.", "learns", "Greek", Modality.hypothetical),
        ("I want to visit Peru.", "visited", "Peru", Modality.intent),
        ("I plan to buy a van.", "owns", "van", Modality.intent),
        ("I'm going to adopt a rabbit.", "has_pet", "rabbit", Modality.intent),
        ("I'm thinking about moving to Spain.", "lives_in", "Spain", Modality.hypothetical),
        ("I live in Oslo.", "lives_in", "Oslo", Modality.asserted),
    ],
)
def test_modality(run, find, text, predicate, obj, modality) -> None:
    assert find(run(text), predicate, obj).modality is modality


def test_wanting_a_thing_is_an_asserted_want(run, find) -> None:
    assert find(run("I want a bicycle."), "wants", "bicycle").modality is Modality.asserted


# --- time ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "predicate", "field", "day"),
    [
        ("I moved to Lyon last month.", "lives_in", "valid_from", "2024-02-01"),
        ("I joined Airbus two weeks ago.", "works_at", "valid_from", "2024-03-01"),
        ("I've lived in Graz since 2016.", "lives_in", "valid_from", "2016-01-01"),
        ("I've worked at Lego since March.", "works_at", "valid_from", "2024-03-01"),
        ("Yesterday I visited the Prado.", "visited", "valid_from", "2024-03-14"),
        ("I met Jonas on 3 May 2022.", "met", "valid_from", "2022-05-03"),
        ("I lived in Bonn until 2019.", "lives_in", "valid_to", "2019-01-01"),
        ("I'll stay in Bonn until June.", "stay_in", "valid_to", "2024-06-01"),
        ("Ines left Microsoft last year.", "works_at", "valid_to", "2023-01-01"),
    ],
)
def test_time_is_normalised_against_the_episode(run, find, text, predicate, field, day) -> None:
    value = getattr(find(run(text), predicate), field)
    assert value is not None and value.tzinfo is not None and value.utcoffset().total_seconds() == 0
    assert value.date().isoformat() == day


def test_range_sets_both_ends(run, find) -> None:
    triple = find(run("I worked at Bosch from 2011 to 2014."), "works_at", "Bosch")
    assert triple.valid_from.year == 2011 and triple.valid_to.year == 2014


def test_valid_from_defaults_to_none(run, find) -> None:
    assert find(run("I live in Porto."), "lives_in").valid_from is None


def test_relative_time_follows_the_episode_time_not_the_clock(run, find) -> None:
    at = datetime(2019, 7, 10, tzinfo=UTC)
    triple = find(run("I moved to Lyon last month.", at=at), "lives_in")
    assert triple.valid_from == datetime(2019, 6, 1, tzinfo=UTC)


# --- speaker and addressee --------------------------------------------------------------------------------


def test_first_person_is_the_speaker_and_we_too(keys) -> None:
    assert ("zoe", "lives_in", "kyiv", True) in keys("We live in Kyiv.", speaker="Zoe")


def test_unnamed_user_keeps_the_user_name(keys) -> None:
    assert ("user", "lives_in", "lagos", True) in keys("I live in Lagos.", speaker="USER")


def test_you_is_the_addressee(keys) -> None:
    assert ("maria", "works_at", "ikea", True) in keys("You work at IKEA.", speaker="Bot", addressee="Maria")


def test_you_without_an_addressee_is_dropped(run) -> None:
    assert run("You work at IKEA.", speaker="Bot", addressee=None).triples == []


def test_reported_speech_is_reported(run, find) -> None:
    triple = find(run("You told me you work at IKEA.", speaker="Bot", addressee="Maria"), "works_at")
    assert triple.subject == "Maria" and triple.modality is Modality.reported


def test_pronoun_refers_to_the_last_person(keys) -> None:
    found = keys("I met Kenji last week. He is a pilot.")
    assert ("kenji", "job_title", "pilot", True) in found


def test_pronoun_refers_to_an_owned_role(keys) -> None:
    found = keys("I have a cousin. She lives in Accra.")
    assert ("maria s cousin", "lives_in", "accra", True) in {
        (s.replace("'", " "), p, o, pol) for s, p, o, pol in found
    }


# --- corrections -------------------------------------------------------------------------------------------


def test_correction_flags_and_replaced_object(run, find) -> None:
    triple = find(run("Actually, I work at Adobe, not Apple."), "works_at", "Adobe")
    assert triple.correction is True and triple.replaces == "Apple"
    assert not [t for t in run("Actually, I work at Adobe, not Apple.").triples if t.object_text == "Apple"]


def test_instead_of_names_the_replaced_object(run, find) -> None:
    assert find(run("I drink water instead of soda."), "drink", "water").replaces == "soda"


# --- what must give nothing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Do you like jazz?",
        "Where do you live?",
        "Thanks so much!",
        "That sounds amazing!",
        "I see.",
        "Let me know if you need anything.",
        "It was so much fun.",
        "Is it going to rain today?",
        "I totally agree with you.",
    ],
)
def test_questions_and_small_talk_give_no_triples(run, text) -> None:
    assert run(text, addressee="Tom").triples == []


# --- the records ------------------------------------------------------------------------------------------


def test_every_triple_has_readable_text(run) -> None:
    texts = {t.text for t in run("My sister Anna lives in Rome. I no longer work at IBM.").triples}
    assert {"Anna lives in Rome", "Anna is Maria's sister", "Maria no longer works at IBM"} <= texts


def test_mentions_cover_entities_and_the_speaker(run) -> None:
    ex = run("I met Kenji in Osaka.")
    by_name = {m.name: m for m in ex.mentions}
    assert by_name["Kenji"].type == "person" and by_name["Osaka"].type == "place"
    assert by_name["Maria"].text == "I"
    text = "I met Kenji in Osaka."
    assert all(text[m.start : m.end] == m.text for m in ex.mentions)


def test_extract_many_matches_extract(extractor) -> None:
    texts = ["I live in Porto.", "My brother Luca works at Ferrari.", "Do you like jazz?"]
    items = [ExtractInput(text=t, speaker="Maria", occurred_at=AT) for t in texts]
    batch = extractor.extract_many(items)
    single = [extractor.extract(t, speaker="Maria", occurred_at=AT) for t in texts]
    assert [e.model_dump() for e in batch] == [e.model_dump() for e in single]


def test_multi_sentence_text(keys) -> None:
    found = keys("I live in Porto. My wife Ana is a nurse. We have two cats.")
    assert {
        ("maria", "lives_in", "porto", True),
        ("maria", "wife", "ana", True),
        ("ana", "job_title", "nurse", True),
        ("maria", "has_pet", "cats", True),
    } <= found


# --- bad input -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker", "at"),
    [
        ("", "Maria", AT),
        ("   \n ", "Maria", AT),
        (None, "Maria", AT),
        (42, "Maria", AT),
        ("I live in Porto.", "", AT),
        ("I live in Porto.", "Maria", datetime(2024, 1, 1)),
        ("I live in Porto.", "Maria", "2024-01-01"),
    ],
)
def test_bad_input_raises_invalid_input(extractor, text, speaker, at) -> None:
    with pytest.raises(InvalidInput):
        extractor.extract(text, speaker=speaker, occurred_at=at)


def test_bad_item_in_a_batch_raises_before_any_work(extractor) -> None:
    with pytest.raises(ValueError):
        extractor.extract_many([ExtractInput(text=" ", speaker="Maria", occurred_at=AT)])
