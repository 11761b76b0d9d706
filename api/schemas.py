"""Request and response bodies of the REST API that the service layer does not already define.

Responses reuse the library's own models (``graphmem.views``, ``Plan``, ``SearchResult``), so a REST
response is the same JSON as ``model_dump(mode="json")`` in the SDK and ``--json`` in the CLI. This
module only adds what is specific to HTTP: request bodies with their limits and examples, the
pagination envelope, and small wrappers for counts and Cypher rows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from graphmem import limits
from graphmem.memory import NAMESPACE_PATTERN as MEMORY_NAMESPACE_PATTERN
from graphmem.model import Role
from graphmem.store.base import MAX_LIMIT
from graphmem.trust import Source
from graphmem.views import FactView, HistoryEntry

__all__ = [
    "ID_PATTERN",
    "MAX_BATCH_ITEMS",
    "MAX_QUERY_CHARS",
    "NAMESPACE_PATTERN",
    "BatchIn",
    "CypherIn",
    "CypherResult",
    "DeleteResult",
    "EpisodeIn",
    "ExplainIn",
    "FactPage",
    "Health",
    "HistoryPage",
    "Page",
    "SearchIn",
    "Timestamp",
    "UndoResult",
]

NAMESPACE_PATTERN = MEMORY_NAMESPACE_PATTERN
"""The namespace rule of ``graphmem.memory.validate_namespace``, repeated so OpenAPI can show it
(a test checks that both agree)."""

ID_PATTERN = r"^[^/]+$"
"""Ids and session names may hold anything but '/', which joins namespace and id in store keys."""

MAX_QUERY_CHARS = limits.MAX_QUERY_CHARS
MAX_BATCH_ITEMS = limits.MAX_BATCH_ITEMS
"""Cap on one batch; ``graphmem.api.app`` writes the server's configured cap (which may be lower) into the
served schema, so the schema never promises more than the server takes."""


def _to_utc(value: datetime) -> datetime:
    """Naive times are taken as UTC (like the SDK); times that cannot be expressed in UTC are refused."""
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("timestamp is out of range") from exc


def _iso_only(value: object) -> object:
    """The schema says ``date-time``: numbers (which pydantic would read as epoch seconds) and
    numeric text are refused, so the server takes exactly what the schema promises."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date-time text, e.g. 2024-03-01T10:00:00Z")
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValueError("must be an ISO 8601 date-time, e.g. 2024-03-01T10:00:00Z") from exc


Timestamp = Annotated[datetime, BeforeValidator(_iso_only), AfterValidator(_to_utc)]
"""An ISO 8601 time (``2024-03-01T10:00:00Z``); without an offset it is read as UTC."""

T = TypeVar("T")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EpisodeIn(_In):
    """One interaction to remember: a chat turn, an agent observation, a tool result, a document."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "content": "I moved to Lisbon last month.",
                    "speaker": "Maria",
                    "role": "user",
                    "session": "chat-42",
                    "timestamp": "2024-03-01T10:00:00Z",
                    "metadata": {"channel": "web"},
                }
            ]
        },
    )

    content: str = Field(min_length=1, description="the text; at most GRAPHMEM_MAX_EPISODE_CHARS characters")
    speaker: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="who said it; first-person statements attach to this entity",
    )
    role: Role | None = Field(default=None, description="who produced it (default user)")
    source: Source | None = Field(
        default=None, description="where it came from (default: the namespace's source, else from the role)"
    )
    trust: Source | None = Field(
        default=None, description="trust level on the source scale, overriding the source's own"
    )
    session: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        pattern=ID_PATTERN,
        description="the conversation or task run it belongs to",
    )
    timestamp: Timestamp | None = Field(default=None, description="when it happened (default now)")
    metadata: dict[str, Any] | None = Field(default=None, description="any JSON object, stored as is")
    id: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        pattern=ID_PATTERN,
        description="caller-chosen id; re-adding the same id changes nothing",
    )
    title: str | None = Field(
        default=None,
        min_length=1,
        max_length=300,
        description="a document passage's title: its main entity, kept apart from the text (role defaults "
        "to document)",
    )

    def as_item(self) -> dict[str, Any]:
        """The dict form ``Memory.add_many`` accepts (unset fields left out)."""
        return self.model_dump(exclude_none=True)


class BatchIn(_In):
    """Many interactions, written all or nothing (or one transaction per ``batch_size`` items)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "content": "My sister Anna lives in Porto.",
                            "speaker": "Maria",
                            "timestamp": "2024-03-01T10:00:00Z",
                        },
                        {
                            "content": "Anna works at the university.",
                            "speaker": "Maria",
                            "timestamp": "2024-03-01T10:01:00Z",
                        },
                    ]
                }
            ]
        },
    )

    items: list[EpisodeIn] = Field(min_length=1, max_length=MAX_BATCH_ITEMS)
    batch_size: int | None = Field(
        default=None,
        ge=1,
        le=MAX_BATCH_ITEMS,
        description="items per transaction; default: the whole batch in one",
    )


class SearchIn(_In):
    """A question to answer from memory."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"query": "Where does Maria's sister live?", "k": 10}]},
    )

    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS)
    k: int = Field(default=10, ge=1, le=200, description="how many facts (and episodes) to return")
    as_of: Timestamp | None = Field(default=None, description="answer as the memory stood at this time")
    include_quarantined: bool = Field(default=False, description="also return quarantined episodes (review)")


class ExplainIn(_In):
    """A question whose traversal plan to show (nothing is retrieved)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"query": "Where does Maria's sister live?"}]},
    )

    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS)
    as_of: Timestamp | None = None


class CypherIn(_In):
    """A read-only Cypher statement in the backend's dialect; it sees every namespace."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "query": "MATCH (e:Entity) WHERE e.namespace = $ns RETURN e.name AS name LIMIT 5",
                    "params": {"ns": "maria"},
                }
            ]
        },
    )

    query: str = Field(min_length=1, max_length=100_000)
    params: dict[str, Any] | None = Field(default=None, description="values for $parameters")
    limit: int | None = Field(
        default=None, ge=1, le=MAX_LIMIT, description="row cap (default GRAPHMEM_CYPHER_ROW_LIMIT)"
    )


class Page(BaseModel, Generic[T]):
    """One page of a list: ``next`` is the URL of the following page, or null on the last one."""

    data: list[T]
    count: int = Field(description="items on this page")
    next: str | None = Field(default=None, description="path and query of the next page")


class FactPage(Page[FactView]):
    """A page of facts."""


class HistoryPage(Page[HistoryEntry]):
    """A page of history entries, oldest first."""


class DeleteResult(BaseModel):
    """What a delete removed, by kind."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "namespace": "maria",
                    "episode_id": "ep-1",
                    "deleted": {"episodes": 1, "facts": 2, "entities": 1},
                },
            ]
        }
    )

    namespace: str
    episode_id: str | None = None
    deleted: dict[str, int]


class UndoResult(BaseModel):
    """The slot's history after a reconciliation decision was reversed, and each fact's status.
    A key without ``read`` gets ``statuses`` only: ``history`` is empty and ``redacted`` true."""

    fact_id: str
    history: list[HistoryEntry]
    statuses: dict[str, str] = Field(default_factory=dict, description="fact id -> status after the undo")
    redacted: bool = Field(default=False, description="true when the history was withheld (no read scope)")


class CypherResult(BaseModel):
    """Rows of a Cypher statement, as JSON objects keyed by the RETURN names."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"rows": [{"name": "Maria"}], "count": 1}]})

    rows: list[dict[str, Any]]
    count: int


class Health(BaseModel):
    """Liveness, and whether API keys are enforced."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"status": "ok", "version": "0.1.0", "auth": "enabled", "backend": "kuzu"},
            ]
        }
    )

    status: Literal["ok"] = "ok"
    version: str
    auth: Literal["enabled", "disabled"]
    backend: str
