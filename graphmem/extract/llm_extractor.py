"""Optional extractor backed by any OpenAI-compatible chat endpoint (off by default).

An LLM reads phrasing the dependency patterns miss, but it also invents. So its output is treated
as a proposal and checked like user input:

- the request asks for JSON that follows a schema (``response_format`` = ``json_schema``, strict);
- every subject and object must be *grounded*: found in the episode text (case, accents and
  punctuation ignored), or be the speaker / addressee when the text has a first / second person
  pronoun, or be "<grounded owner>'s <role word in the text>"; anything else is dropped;
- predicates go through the same :class:`PredicateCanonicalizer` as the spaCy extractor, and time
  expressions are copied verbatim by the model and normalised here against the episode time by
  :mod:`graphmem.extract.temporal`, so both extractors agree on slots and dates;
- the result is the same :class:`Extraction` record, so resolution and reconsolidation are shared.

No LLM is reachable where graphmem is developed, so the tests run this class against recorded
response bodies served by ``httpx.MockTransport`` (``tests/extract/recorded/``).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)
from tenacity.wait import wait_base

from graphmem.errors import GraphmemError
from graphmem.extract.base import ENTITY_TYPES, ExtractedMention, ExtractInput, Extraction, Triple, check_text
from graphmem.extract.canonical import PredicateCanonicalizer
from graphmem.extract.lexicon import CANONICAL_PREDICATES, LITERAL_PREDICATES, ROLE_NOUNS, is_canonical
from graphmem.extract.render import render_fact
from graphmem.extract.temporal import parse_time
from graphmem.extract.words import FIRST_PERSON, SECOND_PERSON
from graphmem.model import Modality, entity_key

if TYPE_CHECKING:
    from pydantic import SecretStr

    from graphmem.config import Settings
    from graphmem.embed import Encoder

__all__ = ["EXTRACTION_SCHEMA", "LLMExtractionError", "LLMExtractor", "grounded"]

log = logging.getLogger(__name__)

_TYPES = sorted(ENTITY_TYPES)
_NULLABLE_STR = {"type": ["string", "null"]}
EXTRACTION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["mentions", "triples"],
    "properties": {
        "mentions": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["text", "type"],
                "properties": {"text": {"type": "string"}, "type": {"type": "string", "enum": _TYPES}},
            },
        },
        "triples": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "subject",
                    "subject_type",
                    "predicate",
                    "object",
                    "object_type",
                    "object_is_literal",
                    "polarity",
                    "modality",
                    "ended",
                    "time",
                    "time_role",
                    "replaces",
                    "correction",
                ],
                "properties": {
                    "subject": {"type": "string"},
                    "subject_type": {"type": "string", "enum": _TYPES},
                    "predicate": {"type": "string"},
                    "object": {"type": "string"},
                    "object_type": {"type": "string", "enum": _TYPES},
                    "object_is_literal": {"type": "boolean"},
                    "polarity": {"type": "boolean"},
                    "modality": {"type": "string", "enum": [m.value for m in Modality]},
                    "ended": {"type": "boolean"},
                    "time": _NULLABLE_STR,
                    "time_role": {"type": "string", "enum": ["at", "since", "until", "none"]},
                    "replaces": _NULLABLE_STR,
                    "correction": {"type": "boolean"},
                },
            },
        },
    },
}
"""The JSON schema the endpoint must follow (OpenAI ``response_format`` strict mode)."""

_SYSTEM = """You extract durable facts from one chat turn for a knowledge graph.
Return JSON only, following the schema. Rules:
- The turn is said by {speaker}{to}. First person (I, me, my, we) is "{speaker}";
  "you"/"your" is "{addressee}".
- Subjects and objects are names or short noun phrases copied from the turn
  (drop articles and opinion words).
  An unnamed relative is "<owner>'s <role>", e.g. "{speaker}'s sister".
- predicate: one of {predicates}, or favourite_<thing>, or a short verb phrase in lemma form ("sing in").
  Family and social roles are predicates: (X, sister, Y) means Y is X's sister.
- polarity false for negated statements; ended true (and polarity false) for "no longer", "used to",
  "quit", "left"; modality hypothetical for might/maybe/could, intent for want/plan/going to/will,
  reported for hearsay.
- time: the time expression copied verbatim from the turn ("last month", "in 2019"), or null; time_role
  "since"/"until" for since/until, "at" otherwise, "none" when time is null.
- object_is_literal true for values (ages, adjectives, dates), false for entities.
- Questions, greetings and feelings of the moment are not facts: return no triples for them."""

_WORD = re.compile(r"\w+")


class LLMExtractionError(GraphmemError):
    """The LLM endpoint failed or answered something that is not the requested JSON."""


class _Transient(Exception):
    """A failure worth retrying; carries the response so ``Retry-After`` can be read."""

    def __init__(self, message: str, response: httpx.Response | None = None) -> None:
        super().__init__(message)
        self.response = response


class _RetryAfter(wait_base):
    """Wait what the server asked for in ``Retry-After`` (seconds, capped at 60), else the fallback."""

    def __init__(self, fallback: wait_base) -> None:
        self.fallback = fallback

    def __call__(self, retry_state: RetryCallState) -> float:
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome is not None else None
        if isinstance(exc, _Transient) and exc.response is not None:
            header = exc.response.headers.get("retry-after", "")
            try:
                return min(60.0, max(0.0, float(header)))
            except ValueError:
                pass
        return float(self.fallback(retry_state))


def _tokens(text: str) -> list[str]:
    return _WORD.findall(entity_key(text))


def _contains(haystack: list[str], needle: list[str]) -> bool:
    if not needle:
        return False
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def grounded(name: str, text: str, *, speaker: str, addressee: str | None) -> bool:
    """Whether ``name`` is supported by the text (see the module docstring for the rules).

    >>> grounded("Lisbon", "I moved to lisbon!", speaker="Maria", addressee=None)
    True
    >>> grounded("Paris", "I moved to Lisbon", speaker="Maria", addressee=None)
    False
    >>> grounded("Maria's sister", "My sister is a nurse", speaker="Maria", addressee=None)
    True
    """
    words = _tokens(text)
    raw_words = set(_WORD.findall(text.lower()))
    if name == speaker and raw_words & FIRST_PERSON:
        return True
    if addressee and name == addressee and raw_words & SECOND_PERSON:
        return True
    if _contains(words, _tokens(name)):
        return True
    owner, sep, role = name.partition("'s ")
    if sep and role:
        role_words = _tokens(role)
        role_ok = _contains(words, role_words) or any(
            ROLE_NOUNS.get(w) == ROLE_NOUNS.get(role_words[-1]) for w in words if w in ROLE_NOUNS
        )
        return role_ok and grounded(owner, text, speaker=speaker, addressee=addressee)
    return False


class LLMExtractor:
    """Extractor that asks an OpenAI-compatible ``/chat/completions`` endpoint for JSON triples.

    ``transport`` is an ``httpx`` transport (``httpx.MockTransport`` in tests). ``concurrency``
    requests run at once in :meth:`extract_many`.
    """

    def __init__(
        self,
        url: str,
        model: str,
        api_key: str | SecretStr | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout_s: float = 60.0,
        encoder: Encoder | None = None,
        canonicalizer: PredicateCanonicalizer | None = None,
        concurrency: int = 4,
        retries: int = 4,
        backoff_s: float = 1.0,
    ) -> None:
        if not url or not model:
            raise GraphmemError("the LLM extractor needs a URL and a model name")
        self.url = url.rstrip("/")
        self.model = model
        key = api_key if api_key is None or isinstance(api_key, str) else api_key.get_secret_value()
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        self._client = httpx.Client(transport=transport, timeout=timeout_s, headers=headers)
        self.canonicalizer = canonicalizer or PredicateCanonicalizer(encoder)
        self.concurrency = max(1, concurrency)
        self.retries = max(0, retries)
        self.backoff_s = max(0.0, backoff_s)

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        encoder: Encoder | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> LLMExtractor | None:
        """The configured extractor, or None when ``GRAPHMEM_LLM_EXTRACTOR_URL`` is not set (the default)."""
        if not settings.llm_extractor_url:
            return None
        return cls(
            settings.llm_extractor_url,
            settings.llm_extractor_model,
            settings.llm_extractor_key,
            transport=transport,
            encoder=encoder,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> LLMExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- public -------------------------------------------------------------------------------------

    def extract(
        self, text: str, *, speaker: str, addressee: str | None = None, occurred_at: datetime
    ) -> Extraction:
        check_text(text, speaker=speaker, occurred_at=occurred_at)
        item = ExtractInput(text=text, speaker=speaker, addressee=addressee, occurred_at=occurred_at)
        return self._extract(item)

    def extract_many(self, items: Sequence[ExtractInput]) -> list[Extraction]:
        for item in items:
            check_text(item.text, speaker=item.speaker, occurred_at=item.occurred_at)
        if self.concurrency == 1 or len(items) < 2:
            return [self._extract(item) for item in items]
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            return list(pool.map(self._extract, items))

    def request_body(self, item: ExtractInput) -> dict[str, Any]:
        """The JSON body posted for one item (public so it can be inspected and logged)."""
        predicates = ", ".join(sorted(p for p in CANONICAL_PREDICATES if not p.startswith("favourite_")))
        system = _SYSTEM.format(
            speaker=item.speaker,
            to=f" to {item.addressee}" if item.addressee else "",
            addressee=item.addressee or "(unknown: skip facts about 'you')",
            predicates=predicates,
        )
        user = f"Turn time: {item.occurred_at.astimezone(UTC).isoformat()}\nTurn:\n{item.text}"
        return {
            "model": self.model,
            "temperature": 0,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "graphmem_extraction", "strict": True, "schema": EXTRACTION_SCHEMA},
            },
        }

    # --- internals ----------------------------------------------------------------------------------

    def _send(self, body: dict[str, Any]) -> httpx.Response:
        """POST with retries: rate limits (429), server errors (5xx) and dropped connections are
        transient on hosted LLM endpoints, and one of them must not fail a whole ingest batch.
        ``Retry-After`` is honoured when the server sends one; other 4xx answers are final."""
        retrying = Retrying(
            stop=stop_after_attempt(self.retries + 1),
            wait=_RetryAfter(
                wait_exponential_jitter(multiplier=self.backoff_s, max=30.0, jitter=self.backoff_s)
            ),
            retry=retry_if_exception_type(_Transient),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    try:
                        response = self._client.post(f"{self.url}/chat/completions", json=body)
                    except httpx.TransportError as exc:
                        raise _Transient(f"LLM extractor request failed: {exc}") from exc
                    if response.status_code == 429 or response.status_code >= 500:
                        raise _Transient(
                            f"LLM extractor answered HTTP {response.status_code}: {response.text[:200]}",
                            response,
                        )
        except _Transient as exc:
            raise LLMExtractionError(f"{exc.args[0]} (after {self.retries + 1} attempts)") from exc
        except httpx.HTTPError as exc:
            raise LLMExtractionError(f"LLM extractor request failed: {exc}") from exc
        if response.status_code in (401, 403):
            raise LLMExtractionError(f"LLM extractor refused the API key (HTTP {response.status_code})")
        if response.status_code >= 400:
            raise LLMExtractionError(
                f"LLM extractor answered HTTP {response.status_code}: {response.text[:200]}"
            )
        return response

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        response = self._send(body)
        try:
            payload = response.json()
            content = payload["choices"][0]["message"]["content"]
            data = json.loads(content) if isinstance(content, str) else content
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise LLMExtractionError(
                f"LLM extractor answered something that is not the JSON asked for: {exc}"
            ) from exc
        if not isinstance(data, dict):
            raise LLMExtractionError("LLM extractor JSON is not an object")
        return data

    def _extract(self, item: ExtractInput) -> Extraction:
        data = self._post(self.request_body(item))
        mentions = self._mentions(data.get("mentions") or [], item)
        proposals = [t for t in (data.get("triples") or []) if isinstance(t, dict)]
        phrases = [str(t.get("predicate", "")) for t in proposals]
        canonical = (
            self.canonicalizer.canonicalize_many([p for p in phrases if p and not is_canonical(p)])
            if phrases
            else []
        )
        mapping = dict(zip([p for p in phrases if p and not is_canonical(p)], canonical, strict=True))
        triples: list[Triple] = []
        for proposal in proposals:
            triple = self._triple(proposal, item, mapping)
            if triple is not None:
                triples.append(triple)
        return Extraction(mentions=mentions, triples=triples)

    def _mentions(self, raw: list[Any], item: ExtractInput) -> list[ExtractedMention]:
        out: list[ExtractedMention] = []
        lowered = item.text.lower()
        for m in raw:
            if not isinstance(m, dict) or not isinstance(m.get("text"), str):
                continue
            start = lowered.find(m["text"].lower())
            if start < 0:
                continue  # not in the text: an invention
            kind = m.get("type") if m.get("type") in ENTITY_TYPES else "concept"
            out.append(
                ExtractedMention(
                    text=item.text[start : start + len(m["text"])],
                    name=m["text"],
                    type=kind,
                    start=start,
                    end=start + len(m["text"]),
                )
            )
        return out

    def _name(self, value: Any, item: ExtractInput) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return None
        name = value.strip()
        if name.lower() in FIRST_PERSON:
            return item.speaker
        if name.lower() in SECOND_PERSON:
            return item.addressee
        return name

    def _triple(self, t: dict[str, Any], item: ExtractInput, mapping: dict[str, str]) -> Triple | None:
        subject = self._name(t.get("subject"), item)
        obj = self._name(t.get("object"), item)
        raw_predicate = str(t.get("predicate") or "").strip()
        if not subject or not obj or not raw_predicate:
            return None
        literal = bool(t.get("object_is_literal")) or raw_predicate in LITERAL_PREDICATES
        if not grounded(subject, item.text, speaker=item.speaker, addressee=item.addressee):
            log.debug("LLM triple dropped, subject not in text: %r", subject)
            return None
        if not grounded(obj, item.text, speaker=item.speaker, addressee=item.addressee) and not (
            literal and self._date_grounded(obj, item.text)
        ):
            log.debug("LLM triple dropped, object not in text: %r", obj)
            return None
        predicate = (
            raw_predicate if is_canonical(raw_predicate) else mapping.get(raw_predicate, raw_predicate)
        )
        modality = (
            Modality(t["modality"]) if t.get("modality") in {m.value for m in Modality} else Modality.asserted
        )
        ended = bool(t.get("ended"))
        polarity = bool(t.get("polarity", True)) and not ended
        valid_from = valid_to = None
        expression = t.get("time")
        if isinstance(expression, str) and expression.strip() and expression.lower() in item.text.lower():
            future = modality in (Modality.intent, Modality.hypothetical) or t.get("time_role") == "until"
            point = parse_time(expression, item.occurred_at, future=future)
            if point is not None:
                role = t.get("time_role")
                if role == "until" or (role == "at" and ended):
                    valid_to = point.start
                else:
                    valid_from = point.start
        replaces = self._name(t.get("replaces"), item)
        if replaces and not grounded(replaces, item.text, speaker=item.speaker, addressee=item.addressee):
            replaces = None
        kinds = ENTITY_TYPES
        try:
            return Triple(
                subject=subject,
                subject_type=t.get("subject_type") if t.get("subject_type") in kinds else "concept",
                predicate=predicate,
                predicate_raw=raw_predicate,
                object=None if literal else obj,
                object_type=None
                if literal
                else (t.get("object_type") if t.get("object_type") in kinds else "concept"),
                object_value=obj if literal else None,
                polarity=polarity,
                modality=modality,
                valid_from=valid_from,
                valid_to=valid_to,
                ended=ended,
                replaces=replaces,
                correction=bool(t.get("correction")),
                text=render_fact(subject, predicate, obj, polarity=polarity, modality=modality, ended=ended),
                confidence=0.7,
            )
        except ValueError as exc:  # pydantic validation of one proposal: drop it, keep the rest
            log.debug("LLM triple dropped, invalid: %s", exc)
            return None

    @staticmethod
    def _date_grounded(value: str, text: str) -> bool:
        """A literal date the model normalised ("1990-06-12") is kept when its year is in the text."""
        match = re.fullmatch(r"((?:19|20)\d\d)(?:-\d\d(?:-\d\d)?)?", value.strip())
        return match is not None and match.group(1) in text
