"""Predicate canonicalisation: lexicon, then the real encoder above a threshold, else lemma_prep."""

from __future__ import annotations

import pytest

from graphmem.extract.canonical import DEFAULT_THRESHOLD, PredicateCanonicalizer


def test_without_encoder_unknown_words_become_lemma_prep() -> None:
    canon = PredicateCanonicalizer()
    assert canon.canonicalize_many(["lives in", "sang in", "dwell in"]) == ["lives_in", "sang_in", "dwell_in"]
    assert canon.nearest("dwell in") is None


@pytest.mark.parametrize(
    ("words", "canonical"),
    [
        ("reside within", "lives_in"),
        ("be enrolled at", "studies_at"),
        ("tour around", "visited"),
        ("be a big fan of", "likes"),
        ("be wed to", "spouse"),
    ],
)
def test_encoder_maps_paraphrases(encoder, words, canonical) -> None:
    assert PredicateCanonicalizer(encoder).canonicalize(words) == canonical


@pytest.mark.parametrize(
    ("words", "kept"),
    [("eat", "eat"), ("research", "research"), ("stay in", "stay_in"), ("sing in", "sing_in")],
)
def test_encoder_keeps_unrelated_predicates(encoder, words, kept) -> None:
    """Below the threshold nothing is forced onto a canonical name (0.82 for research~studies)."""
    assert PredicateCanonicalizer(encoder).canonicalize(words) == kept


def test_one_encoder_call_per_batch_and_cached(encoder) -> None:
    canon = PredicateCanonicalizer(encoder)
    canon.canonicalize("lives in")  # lexicon: no encoder call needed, but builds nothing either
    canon.canonicalize_many(["reside within", "warmup"])  # builds the lexicon matrix
    calls = encoder.calls
    canon.canonicalize_many(["abide in", "labour at", "abide in", "lives in"])
    assert encoder.calls == calls + 1
    canon.canonicalize_many(["abide in", "labour at"])
    assert encoder.calls == calls + 1


def test_threshold_is_validated() -> None:
    assert 0.8 <= DEFAULT_THRESHOLD < 1
    with pytest.raises(ValueError):
        PredicateCanonicalizer(threshold=0)
    with pytest.raises(ValueError):
        PredicateCanonicalizer(threshold=1.5)
