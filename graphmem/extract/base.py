"""The records every extractor returns, and the interface they share.

The spaCy extractor (default) and the optional LLM extractor both produce these records, so the
write path (resolution, reconsolidation) never needs to know which one ran. Subjects and objects are
entity *names* as they should be stored: first person is already replaced by the ``speaker`` name and
"you" by the ``addressee``; resolution to entity ids happens later, against the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, field_validator

from graphmem.errors import InvalidInput
from graphmem.model import Modality, UTCDateTime

__all__ = [
    "ENTITY_TYPES",
    "ExtractInput",
    "ExtractedMention",
    "Extraction",
    "ExtractionFailure",
    "Extractor",
    "Triple",
    "check_text",
]

ENTITY_TYPES: frozenset[str] = frozenset(
    {"person", "place", "organization", "date", "event", "object", "concept", "animal", "work", "group"}
)
"""Entity types the extractors emit; ``concept`` is the catch-all for untyped noun phrases."""


class ExtractedMention(BaseModel):
    """A span of the text that names an entity, with the name it should be stored under."""

    model_config = ConfigDict(extra="forbid")

    text: str
    name: str
    type: str = "concept"
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Triple(BaseModel):
    """One extracted statement, before entity resolution and reconsolidation.

    ``object`` names an entity; ``object_value`` is a literal (an age, an adjective, a date). Exactly
    one of the two is set. ``ended`` marks a state-change end cue ("no longer", "used to", "left X"):
    the relation held before and does not now, so ``polarity`` is False and the write path can close
    the earlier positive fact (or record it as already closed when none is stored).
    """

    model_config = ConfigDict(extra="forbid")

    subject: str
    subject_type: str = "concept"
    predicate: str
    predicate_raw: str = ""
    object: str | None = None
    object_type: str | None = None
    object_value: str | None = None
    polarity: bool = True
    modality: Modality = Modality.asserted
    valid_from: UTCDateTime | None = None
    valid_to: UTCDateTime | None = None
    ended: bool = False
    replaces: str | None = None
    correction: bool = False
    text: str
    confidence: float = Field(default=0.8, ge=0.0, le=1.0)

    @property
    def object_text(self) -> str:
        """The object as text, whichever kind it is."""
        return self.object if self.object is not None else (self.object_value or "")


class ExtractionFailure(BaseModel):
    """Why extraction of one text failed: the exception's class name and message.

    A failure is contained to its own item: the episode is still stored (it is the raw record) and
    carries this on its metadata, so one unforeseen parse cannot lose a whole batch.
    """

    model_config = ConfigDict(extra="forbid")

    type: str
    message: str

    @classmethod
    def of(cls, exc: BaseException) -> ExtractionFailure:
        message = str(exc) or repr(exc)
        return cls(type=type(exc).__name__, message=message[:500])


class Extraction(BaseModel):
    """What one text yields: the entity mentions and the triples (or, when it failed, why)."""

    model_config = ConfigDict(extra="forbid")

    mentions: list[ExtractedMention] = Field(default_factory=list)
    triples: list[Triple] = Field(default_factory=list)
    error: ExtractionFailure | None = None


class ExtractInput(BaseModel):
    """One item for :meth:`Extractor.extract_many`."""

    model_config = ConfigDict(extra="forbid")

    text: str
    speaker: str
    addressee: str | None = None
    occurred_at: UTCDateTime
    anchor: str | None = None
    """A document's title entity: a pronoun with no antecedent in the text refers to it."""

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is empty")
        return value


@runtime_checkable
class Extractor(Protocol):
    """Text -> mentions and triples. Implementations: SpacyExtractor (default), LLMExtractor."""

    def extract(
        self, text: str, *, speaker: str, addressee: str | None = None, occurred_at: datetime
    ) -> Extraction: ...

    def extract_many(self, items: Sequence[ExtractInput]) -> list[Extraction]: ...


def check_text(text: object, *, speaker: object, occurred_at: object) -> str:
    """Validate the arguments every extractor takes; raise InvalidInput with a clear message."""
    if not isinstance(text, str):
        raise InvalidInput(f"text must be a str, got {type(text).__name__}")
    if not text.strip():
        raise InvalidInput("text is empty")
    if not isinstance(speaker, str) or not speaker.strip():
        raise InvalidInput("speaker must be a non-empty str (use 'USER' for an unnamed user)")
    if not isinstance(occurred_at, datetime):
        raise InvalidInput(f"occurred_at must be a datetime, got {type(occurred_at).__name__}")
    if occurred_at.tzinfo is None or occurred_at.utcoffset() is None:
        raise InvalidInput("occurred_at must be timezone-aware")
    return text
