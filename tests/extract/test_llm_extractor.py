"""The optional LLM extractor, against recorded OpenAI-compatible response bodies.

No LLM is reachable here: ``httpx.MockTransport`` serves the bodies in ``recorded/`` (see its README)
and checks what the extractor sends. What is tested is everything graphmem does around the model:
the request, grounding (invented entities are dropped), canonicalisation, time normalisation, and
clear errors for a broken or misbehaving endpoint.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from graphmem.config import Settings
from graphmem.errors import GraphmemError, InvalidInput
from graphmem.extract.base import ExtractInput, Extractor
from graphmem.extract.llm_extractor import EXTRACTION_SCHEMA, LLMExtractionError, LLMExtractor, grounded
from graphmem.model import Modality

RECORDED = Path(__file__).parent / "recorded"
AT = datetime(2024, 3, 15, 10, 0, tzinfo=UTC)


def serve(name: str, seen: list[httpx.Request] | None = None, status: int = 200) -> httpx.MockTransport:
    body = (RECORDED / f"{name}.json").read_text()

    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return httpx.Response(status, content=body, headers={"Content-Type": "application/json"})

    return httpx.MockTransport(handler)


def make(name: str, seen: list[httpx.Request] | None = None, **kwargs: Any) -> LLMExtractor:
    return LLMExtractor(
        "http://llm.test/v1/", "graphmem-test-model", "sk-test", transport=serve(name, seen), **kwargs
    )


def facts(extraction) -> set[tuple[str, str, str, bool]]:  # type: ignore[no-untyped-def]
    return {(t.subject, t.predicate, t.object_text, t.polarity) for t in extraction.triples}


def test_request_is_an_openai_json_schema_call() -> None:
    seen: list[httpx.Request] = []
    ex = make("moved_lisbon", seen)
    assert isinstance(ex, Extractor)
    ex.extract(
        "I moved to Lisbon last month and my sister Anna works at Google.", speaker="Maria", occurred_at=AT
    )
    request = seen[0]
    assert request.method == "POST" and str(request.url) == "http://llm.test/v1/chat/completions"
    assert request.headers["Authorization"] == "Bearer sk-test"
    body = json.loads(request.content)
    assert body["model"] == "graphmem-test-model" and body["temperature"] == 0
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["schema"] == EXTRACTION_SCHEMA
    system, user = body["messages"]
    assert "Maria" in system["content"] and "lives_in" in system["content"]
    assert "I moved to Lisbon last month" in user["content"] and "2024-03-15" in user["content"]


def test_grounded_triples_are_kept_with_normalised_time() -> None:
    ex = make("moved_lisbon").extract(
        "I moved to Lisbon last month and my sister Anna works at Google.", speaker="Maria", occurred_at=AT
    )
    assert facts(ex) == {
        ("Maria", "lives_in", "Lisbon", True),
        ("Maria", "sister", "Anna", True),
        ("Anna", "works_at", "Google", True),
    }
    lives = next(t for t in ex.triples if t.predicate == "lives_in")
    assert lives.valid_from == datetime(2024, 2, 1, tzinfo=UTC) and lives.text == "Maria lives in Lisbon"
    assert {m.name for m in ex.mentions} == {"Lisbon", "Anna", "Google"}  # "Berlin" is not in the text


def test_invented_subjects_and_objects_are_dropped() -> None:
    ex = make("hallucination").extract("I love jazz.", speaker="Maria", occurred_at=AT)
    assert facts(ex) == {
        ("Maria", "loves", "jazz", True)
    }  # "I" became the speaker; Tom and Miles Davis dropped


def test_predicates_are_canonicalised_like_the_spacy_extractor() -> None:
    ex = make("synonyms").extract(
        "Tom resides in Oslo and sings in a choir; his favourite food is ramen.",
        speaker="Sam",
        occurred_at=AT,
    )
    assert facts(ex) == {
        ("Tom", "lives_in", "Oslo", True),
        ("Tom", "sing_in", "choir", True),
        ("Tom", "favourite_food", "ramen", True),
    }
    raw = {t.predicate: t.predicate_raw for t in ex.triples}
    assert raw["lives_in"] == "resides in"
    assert next(t for t in ex.triples if t.predicate == "favourite_food").object_value == "ramen"


def test_negation_end_and_time_of_the_end() -> None:
    ex = make("negation_time").extract(
        "I don't work at the bank anymore, I quit in March.", speaker="Maria", occurred_at=AT
    )
    (triple,) = ex.triples
    assert (triple.predicate, triple.object, triple.polarity, triple.ended) == (
        "works_at",
        "bank",
        False,
        True,
    )
    assert triple.valid_to == datetime(2024, 3, 1, tzinfo=UTC) and triple.valid_from is None


def test_modality_and_correction_pass_through() -> None:
    ex = make("modality_correction").extract(
        "Actually, I might move to Porto next year, not Madrid.", speaker="Maria", occurred_at=AT
    )
    (triple,) = ex.triples
    assert triple.modality is Modality.hypothetical and triple.correction and triple.replaces == "Madrid"
    assert triple.valid_from == datetime(2025, 1, 1, tzinfo=UTC)


def test_you_without_addressee_is_dropped() -> None:
    assert make("you_no_addressee").extract("You live in Rome.", speaker="Bot", occurred_at=AT).triples == []


def test_extract_many_runs_concurrently_and_keeps_order() -> None:
    ex = make("hallucination", concurrency=3)
    items = [
        ExtractInput(text="I love jazz.", speaker=name, occurred_at=AT) for name in ("Maria", "Ana", "Li")
    ]
    out = ex.extract_many(items)
    assert [t.subject for e in out for t in e.triples] == ["Maria", "Ana", "Li"]


def test_malformed_answer_is_a_clear_error() -> None:
    with pytest.raises(LLMExtractionError, match="not the JSON"):
        make("malformed").extract("I live in Lisbon.", speaker="Maria", occurred_at=AT)


@pytest.mark.parametrize(("status", "message"), [(500, "HTTP 500"), (401, "API key"), (429, "HTTP 429")])
def test_http_errors_are_clear(status, message) -> None:
    seen: list[httpx.Request] = []
    ex = LLMExtractor(
        "http://llm.test/v1", "m", "k", transport=serve("moved_lisbon", seen, status=status), backoff_s=0
    )
    with pytest.raises(LLMExtractionError, match=message) as info:
        ex.extract("I live in Lisbon.", speaker="Maria", occurred_at=AT)
    assert isinstance(info.value, GraphmemError)
    # rate limits and server errors are retried, a refused key is final
    assert len(seen) == (1 if status == 401 else 5)


def flaky(failures: list[httpx.Response], seen: list[httpx.Request]) -> httpx.MockTransport:
    """Answers the queued failures first, then the recorded ``moved_lisbon`` body."""
    body = (RECORDED / "moved_lisbon.json").read_text()

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if failures:
            return failures.pop(0)
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    return httpx.MockTransport(handler)


def test_rate_limits_and_server_errors_are_retried_until_an_answer() -> None:
    seen: list[httpx.Request] = []
    failures = [httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(503, text="busy")]
    ex = LLMExtractor("http://llm.test/v1", "m", "k", transport=flaky(failures, seen), backoff_s=0)
    out = ex.extract("I moved to Lisbon last month.", speaker="Maria", occurred_at=AT)
    assert len(seen) == 3
    assert ("Maria", "lives_in", "Lisbon", True) in facts(out)


def test_dropped_connections_are_retried() -> None:
    seen: list[httpx.Request] = []
    calls = {"n": 0}
    body = (RECORDED / "moved_lisbon.json").read_text()

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        calls["n"] += 1
        if calls["n"] == 1:
            raise httpx.ReadTimeout("timed out", request=request)
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    ex = LLMExtractor("http://llm.test/v1", "m", "k", transport=httpx.MockTransport(handler), backoff_s=0)
    ex.extract("I moved to Lisbon last month.", speaker="Maria", occurred_at=AT)
    assert len(seen) == 2


def test_no_retries_when_asked() -> None:
    seen: list[httpx.Request] = []
    failures = [httpx.Response(429)]
    ex = LLMExtractor("http://llm.test/v1", "m", "k", transport=flaky(failures, seen), retries=0)
    with pytest.raises(LLMExtractionError, match="after 1 attempts"):
        ex.extract("I moved to Lisbon last month.", speaker="Maria", occurred_at=AT)
    assert len(seen) == 1


def test_unreachable_endpoint_is_a_clear_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    ex = LLMExtractor("http://llm.test/v1", "m", None, transport=httpx.MockTransport(refuse), backoff_s=0)
    with pytest.raises(LLMExtractionError, match="request failed"):
        ex.extract("I live in Lisbon.", speaker="Maria", occurred_at=AT)


def test_bad_input_is_refused_before_any_request() -> None:
    seen: list[httpx.Request] = []
    with pytest.raises(InvalidInput):
        make("moved_lisbon", seen).extract("  ", speaker="Maria", occurred_at=AT)
    assert seen == []


def test_off_by_default_and_built_from_settings() -> None:
    assert LLMExtractor.from_settings(Settings(llm_extractor_url="")) is None
    settings = Settings(
        llm_extractor_url="http://llm.test/v1", llm_extractor_model="m", llm_extractor_key="secret"
    )
    seen: list[httpx.Request] = []
    ex = LLMExtractor.from_settings(settings, transport=serve("hallucination", seen))
    assert ex is not None
    ex.extract("I love jazz.", speaker="Maria", occurred_at=AT)
    assert seen[0].headers["Authorization"] == "Bearer secret"
    with pytest.raises(GraphmemError):
        LLMExtractor("", "m")


@pytest.mark.parametrize(
    ("name", "text", "ok"),
    [
        ("Lisbon", "I moved to lisbon!", True),
        ("Paris", "I moved to Lisbon", False),
        ("Maria", "I moved", True),
        ("Maria", "Tom moved", False),
        ("Maria's sister", "My sister is a nurse", True),
        ("Maria's sister", "My brother is a nurse", False),
        ("Café Lisboa", "we met at cafe lisboa", True),
        ("New York", "I love York", False),
    ],
)
def test_grounding(name: str, text: str, ok: bool) -> None:
    assert grounded(name, text, speaker="Maria", addressee=None) is ok


def test_recorded_bodies_are_valid_chat_completions() -> None:
    for path in RECORDED.glob("*.json"):
        body: dict[str, Any] = json.loads(path.read_text())
        assert body["object"] == "chat.completion" and body["choices"][0]["message"]["role"] == "assistant"
