"""Fixtures for the extraction tests: the real spaCy model and the real encoder, loaded once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from graphmem.extract.base import Extraction, Triple
from graphmem.extract.nlp import load_nlp
from graphmem.extract.spacy_extractor import SpacyExtractor

AT = datetime(2024, 3, 15, 10, 0, tzinfo=UTC)  # a Friday

Key = tuple[str, str, str, bool]


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    pipeline = load_nlp()
    if "parser" not in pipeline.pipe_names:
        pytest.skip("no spaCy English model installed")
    return pipeline


@pytest.fixture(scope="session")
def encoder():  # type: ignore[no-untyped-def]
    from graphmem.embed import Encoder

    return Encoder()


@pytest.fixture(scope="session")
def extractor(nlp) -> SpacyExtractor:  # type: ignore[no-untyped-def]
    """Lexicon-only canonicalisation: deterministic and quick; the encoder stage has its own tests."""
    return SpacyExtractor(nlp)


@pytest.fixture(scope="session")
def run(extractor: SpacyExtractor) -> Callable[..., Extraction]:
    def _run(
        text: str, speaker: str = "Maria", addressee: str | None = None, at: datetime = AT
    ) -> Extraction:
        return extractor.extract(text, speaker=speaker, addressee=addressee, occurred_at=at)

    return _run


@pytest.fixture(scope="session")
def keys(run: Callable[..., Extraction]) -> Callable[..., set[Key]]:
    """(subject, predicate, object, polarity) of every triple, lower-cased."""

    def _keys(text: str, speaker: str = "Maria", addressee: str | None = None, at: datetime = AT) -> set[Key]:
        return {
            (t.subject.lower(), t.predicate, t.object_text.lower(), t.polarity)
            for t in run(text, speaker, addressee, at).triples
        }

    return _keys


def _find(extraction: Extraction, predicate: str, obj: str | None = None) -> Triple:
    hits = [
        t for t in extraction.triples if t.predicate == predicate and (obj is None or t.object_text == obj)
    ]
    found = [(t.subject, t.predicate, t.object_text) for t in extraction.triples]
    assert hits, f"no {predicate} {obj or ''} triple in {found}"
    return hits[0]


@pytest.fixture(scope="session")
def find() -> Callable[..., Triple]:
    """The first triple with this predicate (and object); fails the test when absent."""
    return _find
